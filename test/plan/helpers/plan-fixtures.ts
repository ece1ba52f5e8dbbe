// Helpers for planner tests: timelines from loose input, fake or real sources, running a plan with ffmpeg.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { ffmpegPath, ffprobePath } from '../../../src/ffmpeg/binaries.js';
import type { CompileInput, PlanSource, RenderPlan } from '../../../src/plan/types.js';
import { TimelineSchema, type MediaInfo, type TimelineInput } from '../../../src/timeline/index.js';

export function timeline(input: TimelineInput) {
  return TimelineSchema.parse(input);
}

/** A fixed MediaInfo for golden tests (no file needed). */
export function fakeVideoInfo(o: {
  durationMs: number;
  width?: number;
  height?: number;
  fps?: { num: number; den: number };
  audio?: boolean;
  rotation?: 0 | 90 | 180 | 270;
  vfr?: boolean;
}): MediaInfo {
  const width = o.width ?? 1920;
  const height = o.height ?? 1080;
  const rot = o.rotation ?? 0;
  const fps = o.fps ?? { num: 30, den: 1 };
  return {
    kind: 'video',
    format_name: 'mov,mp4,m4a,3gp,3g2,mj2',
    duration_ms: o.durationMs,
    size_bytes: 1000000,
    video: {
      index: 0,
      codec: 'h264',
      width,
      height,
      display_width: rot === 90 || rot === 270 ? height : width,
      display_height: rot === 90 || rot === 270 ? width : height,
      fps,
      avg_fps: o.vfr ? { num: 400, den: 19 } : fps,
      vfr: o.vfr ?? false,
      rotation: rot,
      sar: { num: 1, den: 1 },
      pix_fmt: 'yuv420p',
      duration_ms: o.durationMs,
      start_ms: 0,
      still: false,
    },
    ...(o.audio === false
      ? {}
      : {
          audio: {
            index: 1,
            codec: 'aac',
            sample_rate: 48000,
            channels: 2,
            channel_layout: 'stereo',
            duration_ms: o.durationMs,
            start_ms: 0,
          },
        }),
    stream_count: o.audio === false ? 1 : 2,
  };
}

export function fakeImageInfo(o: { width?: number; height?: number } = {}): MediaInfo {
  const width = o.width ?? 1000;
  const height = o.height ?? 1000;
  return {
    kind: 'image',
    format_name: 'png_pipe',
    duration_ms: 0,
    size_bytes: 5000,
    video: {
      index: 0,
      codec: 'png',
      width,
      height,
      display_width: width,
      display_height: height,
      fps: { num: 25, den: 1 },
      avg_fps: { num: 25, den: 1 },
      vfr: false,
      rotation: 0,
      sar: { num: 1, den: 1 },
      pix_fmt: 'rgb24',
      duration_ms: 0,
      start_ms: 0,
      still: true,
    },
    stream_count: 1,
  };
}

export function fakeAudioInfo(durationMs: number): MediaInfo {
  return {
    kind: 'audio',
    format_name: 'wav',
    duration_ms: durationMs,
    size_bytes: 100000,
    audio: {
      index: 0,
      codec: 'pcm_s16le',
      sample_rate: 44100,
      channels: 1,
      channel_layout: 'mono',
      duration_ms: durationMs,
      start_ms: 0,
    },
    stream_count: 1,
  };
}

export function source(asset_id: string, path: string, info: MediaInfo): PlanSource {
  return { asset_id, path, content_hash: createHash('sha256').update(asset_id).digest('hex'), info };
}

/** Probe a real file into MediaInfo (test-side, minimal: what the planner reads). */
export function probeInfo(file: string): MediaInfo {
  const r = spawnSync(ffprobePath(), ['-v', 'error', '-show_format', '-show_streams', '-of', 'json', file]);
  if (r.status !== 0) throw new Error(r.stderr.toString());
  const j = JSON.parse(r.stdout.toString()) as {
    format: { duration?: string; format_name: string; size: string };
    streams: Array<Record<string, unknown>>;
  };
  const rat = (s: unknown): { num: number; den: number } => {
    const [a, b] = String(s ?? '0/1')
      .split('/')
      .map(Number);
    return { num: a ?? 0, den: b || 1 };
  };
  const v = j.streams.find((s) => s.codec_type === 'video');
  const a = j.streams.find((s) => s.codec_type === 'audio');
  const image = /image2|png_pipe|jpeg_pipe/.test(j.format.format_name);
  const ms = (x: unknown) => Math.round(Number(x ?? j.format.duration ?? 0) * 1000);
  let rotation: 0 | 90 | 180 | 270 = 0;
  if (v) {
    const side = (v.side_data_list as Array<{ rotation?: number }> | undefined)?.find(
      (d) => d.rotation !== undefined,
    );
    const tagRotate = (v.tags as Record<string, string> | undefined)?.rotate;
    const raw =
      side?.rotation !== undefined ? -side.rotation : tagRotate !== undefined ? Number(tagRotate) : 0;
    rotation = (((raw % 360) + 360) % 360) as 0 | 90 | 180 | 270;
  }
  const w = Number(v?.width ?? 0);
  const h = Number(v?.height ?? 0);
  const swap = rotation === 90 || rotation === 270;
  const fps = rat(v?.r_frame_rate);
  const avg = rat(v?.avg_frame_rate);
  return {
    kind: image ? 'image' : v ? 'video' : 'audio',
    format_name: j.format.format_name,
    duration_ms: ms(j.format.duration),
    size_bytes: Number(j.format.size),
    ...(v
      ? {
          video: {
            index: Number(v.index),
            codec: String(v.codec_name),
            width: w,
            height: h,
            display_width: swap ? h : w,
            display_height: swap ? w : h,
            fps,
            avg_fps: avg,
            vfr: avg.num * fps.den !== fps.num * avg.den,
            rotation,
            sar: { num: 1, den: 1 },
            pix_fmt: String(v.pix_fmt),
            duration_ms: image ? 0 : ms(v.duration),
            start_ms: 0,
            still: image,
          },
        }
      : {}),
    ...(a
      ? {
          audio: {
            index: Number(a.index),
            codec: String(a.codec_name),
            sample_rate: Number(a.sample_rate),
            channels: Number(a.channels),
            channel_layout: String(a.channel_layout ?? ''),
            duration_ms: ms(a.duration),
            start_ms: 0,
          },
        }
      : {}),
    stream_count: j.streams.length,
  };
}

export function realSource(asset_id: string, file: string): PlanSource {
  return {
    asset_id,
    path: file,
    content_hash: createHash('sha256').update(file).digest('hex'),
    info: probeInfo(file),
  };
}

export function tempDir(prefix: string): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), `cutroom-${prefix}-`));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Run a plan with real ffmpeg (ultrafast, as the suite must stay fast); returns the output path. */
export function runPlan(plan: RenderPlan, outFile: string): { stderr: string } {
  for (const f of plan.files) {
    mkdirSync(dirname(f.path), { recursive: true });
    writeFileSync(f.path, f.content);
  }
  const args = plan.args.map((a) => (a === 'veryfast' || a === 'medium' ? 'ultrafast' : a));
  const r = spawnSync(
    ffmpegPath(),
    ['-hide_banner', '-nostdin', '-loglevel', 'error', '-y', ...args, outFile],
    {
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  const stderr = r.stderr?.toString() ?? '';
  if (r.status !== 0)
    throw new Error(`ffmpeg exited ${r.status}: ${stderr.split('\n').slice(-20).join('\n')}`);
  return { stderr };
}

export type { CompileInput };

/**
 * RMS level (dBFS) of the first audio stream over [startMs, startMs + durationMs), measured on exactly that
 * window (atrim before astats; -ss/-t after -i would trim only the output, not what astats sees).
 */
export function audioRmsDb(opts: { file: string; startMs: number; durationMs: number }): number {
  const af = `atrim=start=${opts.startMs / 1000}:end=${(opts.startMs + opts.durationMs) / 1000},astats=measure_perchannel=none`;
  const r = spawnSync(ffmpegPath(), [
    '-hide_banner',
    '-nostdin',
    '-loglevel',
    'info',
    '-i',
    opts.file,
    '-vn',
    '-af',
    af,
    '-f',
    'null',
    '-',
  ]);
  const m = [...(r.stderr?.toString() ?? '').matchAll(/RMS level dB:\s*(\S+)/g)].pop()?.[1];
  if (m === undefined) throw new Error(`audioRmsDb: no astats output for ${opts.file}`);
  return /-inf/i.test(m) ? -Infinity : Number(m);
}
