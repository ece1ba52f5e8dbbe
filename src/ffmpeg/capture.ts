/**
 * Run ffmpeg/ffprobe to completion and collect its output: for short commands (probe, checks, listings). Long
 * renders go through run.ts (progress, cancel, partial-output cleanup); frame streams through frames.ts.
 */
import { spawn } from 'node:child_process';
import { cutroomError } from '../errors.js';
import { binaryPath, type FfmpegBinary } from './binaries.js';
import { StderrTail } from './stderr-tail.js';

export interface CaptureOptions {
  binary: FfmpegBinary;
  args: string[];
  signal?: AbortSignal;
  /** Kill the process after this long (SIGKILL); the result then has timedOut: true. */
  timeoutMs?: number;
  /** Stop collecting stdout beyond this many bytes (the process is killed); default 64 MiB. */
  maxStdoutBytes?: number;
}

export interface CaptureResult {
  stdout: Buffer;
  /** Last ~40 lines of stderr (bounded memory). */
  stderrTail: string;
  exitCode: number | null;
  timedOut: boolean;
}

/**
 * Resolves with whatever the process printed, whatever its exit code; rejects only when it cannot start
 * (FFMPEG_NOT_FOUND) or the signal aborts (with the signal's reason, like node's own APIs).
 */
export function capture(opts: CaptureOptions): Promise<CaptureResult> {
  const { binary, args, signal, timeoutMs, maxStdoutBytes = 64 * 1024 * 1024 } = opts;
  return new Promise((resolve, reject) => {
    // Inside the executor: a missing binary (FFMPEG_NOT_FOUND) rejects instead of throwing synchronously.
    const path = binaryPath(binary);
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const child = spawn(path, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    let outBytes = 0;
    const tail = new StderrTail();
    let timedOut = false;
    let settled = false;

    const kill = () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    };
    const onAbort = () => {
      kill();
      finish(() => reject(signal?.reason));
    };
    const timer =
      timeoutMs !== undefined
        ? setTimeout(() => {
            timedOut = true;
            kill();
          }, timeoutMs)
        : undefined;
    signal?.addEventListener('abort', onAbort, { once: true });

    function finish(action: () => void) {
      if (settled) return;
      settled = true;
      if (timer) clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      action();
    }

    child.stdout.on('data', (chunk: Buffer) => {
      outBytes += chunk.length;
      if (outBytes > maxStdoutBytes) {
        kill();
        return;
      }
      out.push(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => tail.push(chunk));
    child.on('error', (err: NodeJS.ErrnoException) => {
      finish(() =>
        reject(
          err.code === 'ENOENT' || err.code === 'EACCES'
            ? cutroomError('FFMPEG_NOT_FOUND', `${binary} could not be started (${path}): ${err.message}`, {
                binary,
                path,
              })
            : err,
        ),
      );
    });
    child.on('close', (code) => {
      finish(() =>
        resolve({ stdout: Buffer.concat(out), stderrTail: tail.text(), exitCode: code, timedOut }),
      );
    });
  });
}
