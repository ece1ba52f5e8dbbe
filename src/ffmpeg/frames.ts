/**
 * Decoded frames and samples for analysis engines (faces, shots, VAD, multicam sync): one ffmpeg process whose
 * raw output comes through a pipe. Scaling, rotation and frame-rate sampling happen inside ffmpeg (fast, exact
 * timestamps); the caller gets exact-size Buffers.
 */
import { spawn } from 'node:child_process';
import { cutroomError } from '../errors.js';
import { binaryPath } from './binaries.js';
import { capture } from './capture.js';
import { formatNumber } from '../format.js';
import { inputUrl } from './input-url.js';
import { StderrTail } from './stderr-tail.js';

export type RawPixFmt = 'rgb24' | 'gray';

export interface ReadFramesOptions {
  path: string;
  /** Output size; ffmpeg scales (after autorotation, so this is display orientation). */
  width: number;
  height: number;
  pixFmt: RawPixFmt;
  /** Sample this many frames per second (ffmpeg `fps` filter); omit to get every decoded frame. */
  fps?: number;
  startMs?: number;
  durationMs?: number;
  /**
   * swscale algorithm for the downscale. bilinear (default) is the safe choice for detectors; `area` averages
   * whole source blocks, which is both cheaper and better for tiny analysis frames (1080p -> 64x36).
   */
  scaleFlags?: 'bilinear' | 'area' | 'fast_bilinear';
  signal?: AbortSignal;
}

export interface RawFrame {
  /** 0-based index of the frame in this read. */
  index: number;
  /** Presentation time in the source, integer ms (startMs included). */
  ptsMs: number;
  /** width * height * (3 for rgb24, 1 for gray) bytes. */
  data: Buffer;
}

const BYTES_PER_PIXEL: Record<RawPixFmt, number> = { rgb24: 3, gray: 1 };

function checkPositiveInt(name: string, value: number): void {
  if (!Number.isInteger(value) || value <= 0) {
    throw cutroomError('INVALID_PARAM', `${name} must be a positive integer, got ${value}`, {
      [name]: value,
    });
  }
}

function rangeArgs(startMs: number | undefined, durationMs: number | undefined): string[] {
  const args: string[] = [];
  // Input-side -ss: ffmpeg seeks to the keyframe before, then decodes and drops up to the exact time
  // (accurate_seek, on by default when transcoding), so this is both fast and frame-exact.
  if (startMs !== undefined && startMs > 0) args.push('-ss', formatNumber(startMs / 1000));
  if (durationMs !== undefined) args.push('-t', formatNumber(durationMs / 1000));
  return args;
}

/** showinfo prints "n:  12 pts:  6144 pts_time:0.4 ..." for each frame leaving the graph. */
const SHOWINFO_RE = /Parsed_showinfo.*?\bn:\s*(\d+)\b.*?\bpts_time:\s*(-?[\d.]+)/;

/**
 * Yields frames as they are decoded. Breaking out of the loop (or aborting the signal) kills ffmpeg at once.
 * ffmpeg failing → DECODE_FAILED with its stderr tail; abort → rejects with the signal's reason.
 */
export async function* readFrames(opts: ReadFramesOptions): AsyncGenerator<RawFrame, void, undefined> {
  const { path, width, height, pixFmt, fps, startMs, durationMs, signal, scaleFlags = 'bilinear' } = opts;
  checkPositiveInt('width', width);
  checkPositiveInt('height', height);
  if (fps !== undefined && !(fps > 0))
    throw cutroomError('INVALID_PARAM', `fps must be > 0, got ${fps}`, { fps });
  signal?.throwIfAborted();

  const filters: string[] = [];
  if (fps !== undefined) filters.push(`fps=${formatNumber(fps)}`);
  filters.push(`scale=${width}:${height}:flags=${scaleFlags}`, 'showinfo');
  const args = [
    '-hide_banner',
    '-nostdin',
    '-loglevel',
    'info',
    ...rangeArgs(startMs, durationMs),
    '-i',
    inputUrl(path),
    '-map',
    '0:v:0',
    '-an',
    '-sn',
    '-dn',
    '-vf',
    filters.join(','),
    // Without passthrough, a VFR source would get frames duplicated/dropped to the container's nominal rate.
    ...(fps === undefined ? ['-fps_mode', 'passthrough'] : []),
    '-f',
    'rawvideo',
    '-pix_fmt',
    pixFmt,
    'pipe:1',
  ];
  const child = spawn(binaryPath('ffmpeg'), args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const frameSize = width * height * BYTES_PER_PIXEL[pixFmt];
  const offsetMs = startMs ?? 0;

  const tail = new StderrTail();
  const pts = new Map<number, number>();
  let wake: (() => void) | undefined;
  let closed = false;
  let exitCode: number | null = null;
  let spawnError: Error | undefined;
  let partialLine = '';

  child.stderr.on('data', (chunk: Buffer) => {
    const lines = (partialLine + chunk.toString('utf8')).split('\n');
    partialLine = lines.pop() ?? '';
    for (const line of lines) {
      const m = SHOWINFO_RE.exec(line);
      // showinfo lines are bookkeeping; keep them out of the error tail.
      if (m) pts.set(Number(m[1]), offsetMs + Math.round(Number(m[2]) * 1000));
      else tail.push(line + '\n');
    }
    wake?.();
  });
  const exited = new Promise<void>((resolve) => {
    child.on('error', (err) => {
      spawnError = err;
      closed = true;
      wake?.();
      resolve();
    });
    child.on('close', (code) => {
      exitCode = code;
      closed = true;
      wake?.();
      resolve();
    });
  });
  const kill = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  };
  const onAbort = () => kill();
  signal?.addEventListener('abort', onAbort, { once: true });

  /** stdout and stderr are separate pipes: the frame can arrive before its showinfo line. */
  async function ptsOf(index: number): Promise<number> {
    while (!pts.has(index) && !closed) {
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
      wake = undefined;
    }
    // Fallback when the log line never came (should not happen): position on the sampling grid.
    return pts.get(index) ?? offsetMs + (fps !== undefined ? Math.round((index * 1000) / fps) : 0);
  }

  let index = 0;
  try {
    let frame = Buffer.allocUnsafe(frameSize);
    let filled = 0;
    for await (const chunk of child.stdout as AsyncIterable<Buffer>) {
      let offset = 0;
      // A chunk may end mid-frame or hold several frames.
      while (offset < chunk.length) {
        const n = Math.min(frameSize - filled, chunk.length - offset);
        chunk.copy(frame, filled, offset, offset + n);
        filled += n;
        offset += n;
        if (filled === frameSize) {
          const ptsMs = await ptsOf(index);
          pts.delete(index);
          // Frames already in the pipe must not reach a consumer that aborted.
          signal?.throwIfAborted();
          yield { index, ptsMs, data: frame };
          index += 1;
          frame = Buffer.allocUnsafe(frameSize);
          filled = 0;
        }
      }
    }
    await exited;
    signal?.throwIfAborted();
    if (spawnError) {
      throw cutroomError(
        'FFMPEG_NOT_FOUND',
        `ffmpeg could not be started: ${spawnError.message}`,
        {},
        { cause: spawnError },
      );
    }
    if (exitCode !== 0) {
      throw cutroomError(
        'DECODE_FAILED',
        `ffmpeg failed reading frames from ${path}: ${lastLine(tail.text())}`,
        {
          path,
          exit_code: exitCode,
          stderr_tail: tail.text(),
        },
      );
    }
  } finally {
    // Runs on normal end, on error and when the consumer breaks out early (generator return).
    signal?.removeEventListener('abort', onAbort);
    kill();
    await exited;
  }
}

function lastLine(text: string): string {
  return text.trim().split('\n').pop() ?? '';
}

export interface ReadPcmOptions {
  path: string;
  sampleRate: number;
  /** Downmixed/upmixed by ffmpeg; samples are interleaved when > 1. Default 1. */
  channels?: number;
  startMs?: number;
  durationMs?: number;
  signal?: AbortSignal;
}

/**
 * The first audio stream as 32-bit float samples in [-1, 1], resampled by ffmpeg. Whole result in memory:
 * 1 h of mono 16 kHz is 230 MB, so callers of long files should read windows (startMs/durationMs).
 */
export async function readPcm(opts: ReadPcmOptions): Promise<Float32Array> {
  const { path, sampleRate, channels = 1, startMs, durationMs, signal } = opts;
  checkPositiveInt('sampleRate', sampleRate);
  checkPositiveInt('channels', channels);
  const r = await capture({
    binary: 'ffmpeg',
    args: [
      '-hide_banner',
      '-nostdin',
      '-loglevel',
      'error',
      ...rangeArgs(startMs, durationMs),
      '-i',
      inputUrl(path),
      '-map',
      '0:a:0',
      '-vn',
      '-sn',
      '-dn',
      '-ac',
      String(channels),
      '-ar',
      String(sampleRate),
      '-f',
      'f32le',
      'pipe:1',
    ],
    ...(signal ? { signal } : {}),
    maxStdoutBytes: Number.MAX_SAFE_INTEGER,
  });
  if (r.exitCode !== 0) {
    const noAudio = /matches no streams/i.test(r.stderrTail);
    throw cutroomError(
      'DECODE_FAILED',
      noAudio
        ? `${path} has no audio stream`
        : `ffmpeg failed reading audio from ${path}: ${lastLine(r.stderrTail)}`,
      {
        path,
        exit_code: r.exitCode,
        stderr_tail: r.stderrTail,
        ...(noAudio ? { reason: 'no_audio_stream' } : {}),
      },
    );
  }
  // Copy into a fresh, aligned buffer: Buffer.concat output may sit at an odd offset of a shared pool.
  const samples = new Float32Array(Math.floor(r.stdout.length / 4));
  new Uint8Array(samples.buffer).set(r.stdout.subarray(0, samples.length * 4));
  return samples;
}
