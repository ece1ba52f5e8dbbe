/**
 * runFfmpeg: one ffmpeg job (encode, mux, proxy, chunk) with progress, cancel and a bounded stderr tail.
 *
 * Progress comes from `-progress pipe:1` (key=value blocks ending in `progress=continue|end`), which is stable
 * across ffmpeg versions, unlike the human status line on stderr (`-nostats` turns that off).
 */
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';
import { cutroomError } from '../errors.js';
import { binaryPath } from './binaries.js';
import { inputUrl } from './input-url.js';
import { StderrTail } from './stderr-tail.js';

export type RenderStage = 'probe' | 'plan' | 'encode' | 'mux' | 'store';

export interface FfmpegProgress {
  /** 0..1, never decreasing; 1 at the end. 0 throughout when durationMs is unknown. */
  fraction: number;
  /** Output time written so far, integer ms. */
  outTimeMs: number;
  /** Frames per second being encoded (0 for audio-only jobs). */
  fps: number;
  /** Encoding speed relative to real time (2 = twice as fast as playback); 0 when unknown. */
  speed: number;
  /** Estimated wall-clock ms left; null when durationMs or speed is unknown. */
  etaMs: number | null;
}

export interface RunFfmpegOptions {
  /** Everything between the global options and the output: inputs, filters, codecs, output options. */
  args: string[];
  /** Output file; appended last (as a file: URL) and deleted if the run fails or is cancelled. */
  output?: string;
  /** Expected output duration, for the progress fraction and ETA. */
  durationMs?: number;
  signal?: AbortSignal;
  onProgress?: (progress: FfmpegProgress) => void;
  /** Kill ffmpeg after this long: RENDER_FAILED with details.timed_out. */
  timeoutMs?: number;
  stage: RenderStage;
  /** Carried into error details (job id, chunk index, profile…). */
  context?: Record<string, unknown>;
  /**
   * Run this many niceness steps below the server process's CPU priority (capped at 19), for background work
   * such as timeline visuals, so it yields the cores to an interactive preview. Relative, because the server may
   * itself run niced (an absolute value at or under its own would change nothing). Best effort: a platform that
   * refuses leaves the inherited priority.
   */
  nicer?: number;
}

export interface RunFfmpegResult {
  stderrTail: string;
  elapsedMs: number;
}

function parseSpeed(text: string | undefined): number {
  const value = Number.parseFloat(text ?? '');
  return Number.isFinite(value) && value > 0 ? value : 0;
}

export function runFfmpeg(opts: RunFfmpegOptions): Promise<RunFfmpegResult> {
  const { args, output, durationMs, signal, onProgress, timeoutMs, stage, context = {}, nicer } = opts;
  const fullArgs = [
    '-hide_banner',
    '-nostdin',
    '-nostats',
    '-progress',
    'pipe:1',
    '-y',
    ...args,
    ...(output !== undefined ? [inputUrl(output)] : []),
  ];
  const started = Date.now();

  return new Promise<RunFfmpegResult>((resolve, reject) => {
    if (signal?.aborted) {
      reject(cutroomError('RENDER_CANCELLED', 'ffmpeg run cancelled before it started', { stage, context }));
      return;
    }
    // Inside the executor: a missing binary (FFMPEG_NOT_FOUND) rejects instead of throwing synchronously.
    const path = binaryPath('ffmpeg');
    const child = spawn(path, fullArgs, { stdio: ['ignore', 'pipe', 'pipe'] });
    if (nicer !== undefined && child.pid !== undefined) {
      try {
        setPriority(child.pid, Math.min(19, getPriority() + nicer));
      } catch {
        // not permitted here (or the process already exited): it runs at the default priority
      }
    }
    const tail = new StderrTail(40);
    let cancelled = false;
    let timedOut = false;
    let settled = false;

    let block: Record<string, string> = {};
    let partialLine = '';
    let lastFraction = 0;

    const kill = () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    };
    const onAbort = () => {
      cancelled = true;
      kill();
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    const timer =
      timeoutMs !== undefined
        ? setTimeout(() => {
            timedOut = true;
            kill();
          }, timeoutMs)
        : undefined;

    const emit = (end: boolean) => {
      if (!onProgress) return;
      // out_time_us is the real microsecond field (out_time_ms is also µs, a long-standing ffmpeg quirk).
      const outUs = Number(block.out_time_us ?? block.out_time_ms);
      const outTimeMs = Number.isFinite(outUs) && outUs > 0 ? Math.round(outUs / 1000) : 0;
      const speed = parseSpeed(block.speed);
      const fpsValue = Number.parseFloat(block.fps ?? '');
      let fraction = durationMs !== undefined && durationMs > 0 ? Math.min(1, outTimeMs / durationMs) : 0;
      if (end) fraction = 1;
      fraction = Math.max(lastFraction, fraction);
      lastFraction = fraction;
      const etaMs = end
        ? 0
        : durationMs !== undefined && speed > 0
          ? Math.max(0, Math.round((durationMs - outTimeMs) / speed))
          : null;
      try {
        onProgress({ fraction, outTimeMs, fps: Number.isFinite(fpsValue) ? fpsValue : 0, speed, etaMs });
      } catch {
        // A throwing progress listener must not break the render.
      }
    };

    child.stdout.on('data', (chunk: Buffer) => {
      const lines = (partialLine + chunk.toString('utf8')).split('\n');
      partialLine = lines.pop() ?? '';
      for (const line of lines) {
        const eq = line.indexOf('=');
        if (eq <= 0) continue;
        const key = line.slice(0, eq).trim();
        const value = line.slice(eq + 1).trim();
        if (key === 'progress') {
          emit(value === 'end');
          block = {};
        } else {
          block[key] = value;
        }
      }
    });
    child.stderr.on('data', (chunk: Buffer) => tail.push(chunk));

    const finish = (action: () => void) => {
      if (settled) return;
      settled = true;
      if (timer) clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      action();
    };
    const removePartial = () => {
      if (output !== undefined) rmSync(output, { force: true });
    };

    child.on('error', (err: NodeJS.ErrnoException) => {
      finish(() =>
        reject(
          err.code === 'ENOENT' || err.code === 'EACCES'
            ? cutroomError('FFMPEG_NOT_FOUND', `ffmpeg could not be started (${path}): ${err.message}`, {
                path,
              })
            : cutroomError('RENDER_FAILED', `ffmpeg could not be started: ${err.message}`, {
                stage,
                context,
              }),
        ),
      );
    });
    child.on('close', (code, killSignal) => {
      finish(() => {
        const elapsedMs = Date.now() - started;
        const stderrTail = tail.text();
        if (cancelled) {
          removePartial();
          reject(
            cutroomError('RENDER_CANCELLED', 'ffmpeg run cancelled; partial output removed', {
              stage,
              context,
            }),
          );
          return;
        }
        if (timedOut || code !== 0) {
          removePartial();
          const lastLine = stderrTail.trim().split('\n').pop() ?? '';
          const why = timedOut ? `timed out after ${timeoutMs} ms` : `exited with code ${code ?? killSignal}`;
          reject(
            cutroomError('RENDER_FAILED', `ffmpeg ${why} during ${stage}: ${lastLine}`, {
              stage,
              context,
              stderr_tail: stderrTail,
              exit_code: code,
              ...(killSignal ? { signal: killSignal } : {}),
              ...(timedOut ? { timed_out: true } : {}),
            }),
          );
          return;
        }
        resolve({ stderrTail, elapsedMs });
      });
    });
  });
}
