/**
 * Real-ffmpeg stand-ins for the render service in chunked-render tests: video chunks cut frame-exactly from a
 * testsrc2 pattern (which changes every frame, so a lost or repeated frame shows), audio as one 440 Hz sine
 * pass, and an unchunked reference render with the same encoder settings. Plus measurements on the output.
 */
import { capture } from '../../src/ffmpeg/capture.js';
import { readPcm } from '../../src/ffmpeg/frames.js';
import { runFfmpeg } from '../../src/ffmpeg/run.js';
import { formatNumber } from '../../src/format.js';
import type { AudioRenderRequest, ChunkRenderRequest } from '../../src/jobs/chunked-render.js';

export const FPS = 30;
export const SAMPLE_RATE = 48000;
export const TONE_HZ = 440;

const sec = (ms: number) => formatNumber(ms / 1000);
const videoSource = (durationMs: number) => `testsrc2=s=320x240:r=${FPS}:d=${sec(durationMs)}`;
const audioSource = (durationMs: number) =>
  `sine=frequency=${TONE_HZ}:sample_rate=${SAMPLE_RATE}:duration=${sec(durationMs)}`;
const H264 = ['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-threads', '1'];
const AAC = ['-c:a', 'aac', '-b:a', '128k'];

/**
 * Renders chunk [start_frame, end_frame) of a `totalMs` timeline, video only. `realtime` paces output to
 * wall-clock speed so a test can cancel or kill while a chunk is in progress.
 */
export function renderTestChunk(
  totalMs: number,
  opts: { realtime?: boolean } = {},
): (req: ChunkRenderRequest) => Promise<void> {
  return async ({ chunk, output, signal, onProgress }) => {
    const vf = `trim=start_frame=${chunk.start_frame}:end_frame=${chunk.end_frame},setpts=PTS-STARTPTS${opts.realtime ? ',realtime' : ''}`;
    await runFfmpeg({
      args: ['-f', 'lavfi', '-i', videoSource(totalMs), '-vf', vf, '-an', ...H264],
      output,
      durationMs: chunk.duration_ms,
      signal,
      stage: 'encode',
      onProgress: (p) => onProgress(p.fraction),
      context: { chunk: chunk.index },
    });
  };
}

export function renderTestAudio(totalMs: number): (req: AudioRenderRequest) => Promise<void> {
  return async ({ output, signal, onProgress }) => {
    await runFfmpeg({
      args: ['-f', 'lavfi', '-i', audioSource(totalMs), '-vn', ...AAC],
      output,
      durationMs: totalMs,
      signal,
      stage: 'encode',
      onProgress: (p) => onProgress(p.fraction),
    });
  };
}

/** The same content rendered in one ffmpeg run (what chunking must reproduce). */
export async function renderReference(totalMs: number, output: string): Promise<void> {
  await runFfmpeg({
    args: [
      ...['-f', 'lavfi', '-i', videoSource(totalMs), '-f', 'lavfi', '-i', audioSource(totalMs)],
      ...['-map', '0:v', '-map', '1:a', ...H264, ...AAC],
    ],
    output,
    stage: 'encode',
  });
}

/** Naive chunking (each chunk with its own AAC audio, joined by concat): the approach the runner avoids. */
export async function renderNaiveAudioChunk(
  totalMs: number,
  startSample: number,
  endSample: number,
  output: string,
): Promise<void> {
  await runFfmpeg({
    args: [
      ...['-f', 'lavfi', '-i', audioSource(totalMs)],
      ...[
        '-af',
        `atrim=start_sample=${startSample}:end_sample=${endSample},asetpts=PTS-STARTPTS`,
        '-vn',
        ...AAC,
      ],
    ],
    output,
    stage: 'encode',
  });
}

async function ffprobeJson(args: string[]): Promise<unknown> {
  const r = await capture({ binary: 'ffprobe', args: ['-v', 'error', ...args, '-of', 'json'] });
  if (r.exitCode !== 0) throw new Error(`ffprobe failed: ${r.stderrTail}`);
  return JSON.parse(r.stdout.toString('utf8'));
}

/** Presentation times (ms, float) of every decoded video frame. */
export async function videoFrameTimesMs(file: string): Promise<number[]> {
  const j = (await ffprobeJson([
    '-select_streams',
    'v:0',
    '-show_entries',
    'frame=best_effort_timestamp_time',
    file,
  ])) as {
    frames: Array<{ best_effort_timestamp_time: string }>;
  };
  return j.frames.map((f) => Number(f.best_effort_timestamp_time) * 1000);
}

export async function streamDurationsMs(
  file: string,
): Promise<{ video?: number; audio?: number; format: number }> {
  const j = (await ffprobeJson(['-show_entries', 'stream=codec_type,duration:format=duration', file])) as {
    streams: Array<{ codec_type: string; duration?: string }>;
    format: { duration: string };
  };
  const ms = (s?: string) => (s === undefined ? undefined : Math.round(Number(s) * 1000));
  const out: { video?: number; audio?: number; format: number } = { format: ms(j.format.duration)! };
  const v = ms(j.streams.find((s) => s.codec_type === 'video')?.duration);
  const a = ms(j.streams.find((s) => s.codec_type === 'audio')?.duration);
  if (v !== undefined) out.video = v;
  if (a !== undefined) out.audio = a;
  return out;
}

/** Per-frame PSNR (average over planes, dB) of `file` against `reference`, decoded frame by frame. */
export async function framePsnr(file: string, reference: string): Promise<number[]> {
  const r = await capture({
    binary: 'ffmpeg',
    args: [
      ...['-hide_banner', '-nostdin', '-i', file, '-i', reference],
      ...['-lavfi', '[0:v][1:v]psnr=stats_file=-', '-f', 'null', '-'],
    ],
  });
  if (r.exitCode !== 0) throw new Error(`psnr failed: ${r.stderrTail}`);
  return r.stdout
    .toString('utf8')
    .split('\n')
    .filter((l) => l.includes('psnr_avg:'))
    .map((l) => {
      const v = /psnr_avg:(\S+)/.exec(l)![1]!;
      return v === 'inf' ? Infinity : Number(v);
    });
}

export async function monoPcm(file: string): Promise<Float32Array> {
  return readPcm({ path: file, sampleRate: SAMPLE_RATE, channels: 1 });
}

/**
 * How far the audio departs from a continuous sine of TONE_HZ: a pure sine obeys x[n+1] = 2cos(ω)x[n] − x[n−1]
 * exactly, so the residual of that recurrence is ~codec noise (≈1e-4 at 128 kb/s AAC) where the wave is
 * continuous and jumps (≈1e-2) at a click, a gap or a phase break. Edges (fade-in/out of the codec) are skipped.
 */
export function sineDiscontinuity(x: Float32Array, skip = 2400): { max: number; at: number } {
  const c = 2 * Math.cos((2 * Math.PI * TONE_HZ) / SAMPLE_RATE);
  let max = 0;
  let at = -1;
  for (let i = skip; i < x.length - skip; i++) {
    const r = Math.abs(x[i + 1]! - c * x[i]! + x[i - 1]!);
    if (r > max) {
      max = r;
      at = i;
    }
  }
  return { max, at };
}
