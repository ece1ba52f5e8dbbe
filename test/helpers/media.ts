/**
 * Small generated test media, each named after the quirk it exercises (STYLE.md), plus measurement helpers
 * that check render output with ffmpeg/ffprobe themselves.
 *
 * Generation is cached under `.cache/test-media/` keyed by a hash of the exact ffmpeg arguments, so a fixture
 * is made once per machine. Each file is written to a unique temp name and renamed into place: rename is atomic,
 * so parallel test processes never see half a file (two processes may both generate; the last rename wins and
 * both results are identical).
 */
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ffmpegPath, ffprobePath } from '../../src/ffmpeg/binaries.js';

/** Bump when generation changes in a way the args do not show. */
const GENERATOR_VERSION = 1;

export const TEST_MEDIA_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../.cache/test-media');

// ----------------------------------------------------------------------------------------------------------------
// process plumbing

interface RunResult {
  stdout: Buffer;
  stderr: string;
  code: number | null;
}

function run(cmd: string, args: string[]): Promise<RunResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    child.on('error', reject);
    child.on('close', (code) =>
      resolvePromise({ stdout: Buffer.concat(out), stderr: Buffer.concat(err).toString('utf8'), code }),
    );
  });
}

async function runOk(cmd: string, args: string[]): Promise<RunResult> {
  const r = await run(cmd, args);
  if (r.code !== 0) {
    throw new Error(
      `${cmd} ${args.join(' ')} exited ${r.code}: ${r.stderr.split('\n').slice(-15).join('\n')}`,
    );
  }
  return r;
}

function ffmpeg(args: string[], loglevel: 'error' | 'info' = 'error'): Promise<RunResult> {
  return runOk(ffmpegPath(), ['-hide_banner', '-nostdin', '-loglevel', loglevel, '-y', ...args]);
}

function ffprobe(args: string[]): Promise<RunResult> {
  return runOk(ffprobePath(), ['-v', 'error', ...args]);
}

/** Seconds for an ffmpeg argument from integer ms, fixed-point (never 1e-7 or 0.30000000000000004). */
function sec(ms: number): string {
  return (ms / 1000).toFixed(6).replace(/0+$/, '').replace(/\.$/, '');
}

const inflight = new Map<string, Promise<string>>();

/**
 * Produce a cached file: `make(tmpPath)` writes it; the key covers name, extension and `keyParts` (the exact
 * ffmpeg args of every step). Returns the absolute path.
 */
function cached(
  name: string,
  ext: string,
  keyParts: unknown,
  make: (tmp: string) => Promise<void>,
): Promise<string> {
  const hash = createHash('sha256')
    .update(JSON.stringify({ v: GENERATOR_VERSION, name, ext, keyParts }))
    .digest('hex')
    .slice(0, 16);
  const finalPath = join(TEST_MEDIA_DIR, `${name}-${hash}.${ext}`);
  const existing = inflight.get(finalPath);
  if (existing) return existing;
  const promise = (async () => {
    if (existsSync(finalPath)) return finalPath;
    mkdirSync(TEST_MEDIA_DIR, { recursive: true });
    // Keep the real extension last: ffmpeg picks the muxer from it.
    const tmp = join(TEST_MEDIA_DIR, `.tmp-${process.pid}-${randomBytes(4).toString('hex')}-${name}.${ext}`);
    try {
      await make(tmp);
      renameSync(tmp, finalPath);
    } finally {
      rmSync(tmp, { force: true });
    }
    return finalPath;
  })();
  inflight.set(finalPath, promise);
  promise.catch(() => inflight.delete(finalPath));
  return promise;
}

/** One ffmpeg step: `args` without the output path. */
function cachedFfmpeg(name: string, ext: string, args: string[]): Promise<string> {
  return cached(name, ext, args, async (tmp) => {
    await ffmpeg([...args, tmp]);
  });
}

// ----------------------------------------------------------------------------------------------------------------
// generators

/** '#RRGGBB' -> '0xRRGGBB' (lavfi colour syntax). */
function lavfiColor(color: string): string {
  if (!/^#[0-9a-fA-F]{6}$/.test(color)) throw new Error(`colour must be #RRGGBB, got ${color}`);
  return `0x${color.slice(1).toUpperCase()}`;
}

// Small GOP, no B-frames: every seek lands within a few frames of a keyframe, and pts == dts.
const H264 = [
  '-c:v',
  'libx264',
  '-preset',
  'ultrafast',
  '-pix_fmt',
  'yuv420p',
  '-g',
  '5',
  '-bf',
  '0',
  '-threads',
  '1',
];
const AAC = ['-c:a', 'aac', '-b:a', '96k'];

export interface SolidClipOptions {
  /** '#RRGGBB'. */
  color: string;
  durationMs: number;
  width?: number;
  height?: number;
  fps?: number;
  /** Sine tone in the audio track; undefined = 440 Hz, null = a silent audio track (still present). */
  toneHz?: number | null;
  sampleRate?: number;
}

function audioSource(toneHz: number | null, sampleRate: number, durationMs: number): string {
  return toneHz === null
    ? `anullsrc=channel_layout=mono:sample_rate=${sampleRate},atrim=duration=${sec(durationMs)}`
    : `sine=frequency=${toneHz}:sample_rate=${sampleRate}:duration=${sec(durationMs)}`;
}

/** One solid colour, H.264 yuv420p + AAC mono in MP4. */
export function solidClip(opts: SolidClipOptions): Promise<string> {
  const { color, durationMs, width = 320, height = 240, fps = 30, toneHz = 440, sampleRate = 48000 } = opts;
  const args = [
    '-f',
    'lavfi',
    '-i',
    `color=c=${lavfiColor(color)}:s=${width}x${height}:r=${fps}:d=${sec(durationMs)}`,
    '-f',
    'lavfi',
    '-i',
    audioSource(toneHz, sampleRate, durationMs),
    '-map',
    '0:v',
    '-map',
    '1:a',
    ...H264,
    ...AAC,
  ];
  return cachedFfmpeg('solid', 'mp4', args);
}

export interface TestsrcClipOptions {
  durationMs: number;
  width?: number;
  height?: number;
  fps?: number;
  /** undefined = 440 Hz, null = no audio track. */
  toneHz?: number | null;
}

/** testsrc2 (moving pattern + counter): motion for shot/motion analysis and visibly different frames. */
export function testsrcClip(opts: TestsrcClipOptions): Promise<string> {
  const { durationMs, width = 320, height = 240, fps = 30, toneHz = 440 } = opts;
  const args = ['-f', 'lavfi', '-i', `testsrc2=s=${width}x${height}:r=${fps}:d=${sec(durationMs)}`];
  if (toneHz !== null) {
    args.push(
      '-f',
      'lavfi',
      '-i',
      audioSource(toneHz, 48000, durationMs),
      '-map',
      '0:v',
      '-map',
      '1:a',
      ...H264,
      ...AAC,
    );
  } else {
    args.push(...H264);
  }
  return cachedFfmpeg('testsrc', 'mp4', args);
}

export interface LongGopClipOptions {
  durationMs: number;
  /** x264 pixel format: yuv420p, yuv444p (High 4:4:4) or yuv420p10le (High 10). */
  pixFmt: 'yuv420p' | 'yuv444p' | 'yuv420p10le';
  width?: number;
  height?: number;
  fps?: number;
}

/**
 * A source that is hard to seek: testsrc2 (every frame differs) encoded like a camera or a web download, one
 * keyframe per 250 frames (x264 -g 250, scene cuts off), 3 B-frames with pyramid references, 3 reference frames.
 * A seek lands far from its keyframe, and decode order differs from display order. With a sine tone.
 */
export function longGopClip(opts: LongGopClipOptions): Promise<string> {
  const { durationMs, pixFmt, width = 320, height = 240, fps = 25 } = opts;
  const args = [
    '-f',
    'lavfi',
    '-i',
    `testsrc2=s=${width}x${height}:r=${fps}:d=${sec(durationMs)}`,
    '-f',
    'lavfi',
    '-i',
    audioSource(440, 48000, durationMs),
    '-map',
    '0:v',
    '-map',
    '1:a',
    ...['-c:v', 'libx264', '-preset', 'veryfast', '-pix_fmt', pixFmt, '-g', '250', '-bf', '3'],
    ...['-x264-params', 'scenecut=0:b-pyramid=normal:ref=3', '-threads', '1'],
    ...AAC,
  ];
  return cachedFfmpeg(`longgop-${pixFmt}`, 'mp4', args);
}

/**
 * Solid colours one after another (`stepMs` each, concatenated), so the frame at a time is known by its colour:
 * [red, green, blue] with stepMs 1000 is red at 0.5 s, green at 1.5 s, blue at 2.5 s.
 */
export function colourStepsClip(opts: { colors: string[]; stepMs: number }): Promise<string> {
  const { colors, stepMs } = opts;
  const args: string[] = [];
  for (const c of colors) args.push('-f', 'lavfi', '-i', `color=c=${lavfiColor(c)}:s=320x240:r=30:d=${sec(stepMs)}`);
  const inputs = colors.map((_, i) => `[${i}:v]`).join('');
  args.push(
    '-f',
    'lavfi',
    '-i',
    audioSource(440, 48000, stepMs * colors.length),
    '-filter_complex',
    `${inputs}concat=n=${colors.length}:v=1:a=0[v]`,
    '-map',
    '[v]',
    '-map',
    `${colors.length}:a`,
    ...H264,
    ...AAC,
  );
  return cachedFfmpeg('colour-steps', 'mp4', args);
}

/**
 * Variable frame rate like a phone: 1 s at 30 fps then 1 s at 10 fps, kept VFR by `-fps_mode vfr` (without it
 * the muxer would duplicate frames to a constant rate). Probes as r_frame_rate 30/1, avg_frame_rate 400/19,
 * duration 1.9 s: the last frame has no duration, so the edit list ends at its start (40 packets, 39 frames
 * shown; frame times 0, 33, …, 967, 1000, 1100, …, 1800 ms).
 */
export function vfrClip(): Promise<string> {
  const args = [
    '-filter_complex',
    'testsrc2=s=320x240:r=30:d=1[a];testsrc2=s=320x240:r=10:d=1[b];[a][b]concat=n=2:v=1:a=0[v]',
    '-map',
    '[v]',
    '-fps_mode',
    'vfr',
    ...H264,
  ];
  return cachedFfmpeg('vfr-phone', 'mp4', args);
}

export interface RotatedClipOptions {
  /** Clockwise display rotation: 90 = a phone held upright (ffprobe shows display matrix rotation -90). */
  rotation?: 90 | 180 | 270;
}

/**
 * Coded 320x240, displayed rotated. The left half of the coded frame is white, the right half black, so a test
 * can tell clockwise from counter-clockwise: rotated 90 clockwise, white ends up on top.
 *
 * ffmpeg 5.1 has no `-display_rotation` (6.0+); the `rotate` tag is honoured only when stream-copying, and its
 * sign is inverted relative to the clockwise angle (tag 270 -> matrix rotation -90 -> shown 90 clockwise;
 * checked with autorotate), hence the two steps and the 360 - rotation.
 */
export function rotatedClip(opts: RotatedClipOptions = {}): Promise<string> {
  const rotation = opts.rotation ?? 90;
  const encode = [
    '-f',
    'lavfi',
    '-i',
    'color=c=black:s=320x240:r=30:d=1,drawbox=x=0:y=0:w=160:h=240:c=white:t=fill',
    '-f',
    'lavfi',
    '-i',
    audioSource(440, 48000, 1000),
    '-map',
    '0:v',
    '-map',
    '1:a',
    ...H264,
    ...AAC,
  ];
  const tag = ['-c', 'copy', '-metadata:s:v:0', `rotate=${(360 - rotation) % 360}`];
  return cached(`rotate-${rotation}`, 'mp4', { encode, tag }, async (tmp) => {
    const stage = `${tmp}.stage.mp4`;
    try {
      await ffmpeg([...encode, stage]);
      await ffmpeg(['-i', stage, ...tag, tmp]);
    } finally {
      rmSync(stage, { force: true });
    }
  });
}

/** Coded 320x240 with sample aspect ratio 2:1: displayed 640x240 (anamorphic). */
export function sarClip(): Promise<string> {
  const args = ['-f', 'lavfi', '-i', 'testsrc2=s=320x240:r=25:d=1,setsar=2/1', ...H264];
  return cachedFfmpeg('sar-2x1', 'mp4', args);
}

/** Video only (no audio stream at all). */
export function noAudioClip(opts: { durationMs?: number; color?: string } = {}): Promise<string> {
  const { durationMs = 1000, color = '#00FF00' } = opts;
  const args = [
    '-f',
    'lavfi',
    '-i',
    `color=c=${lavfiColor(color)}:s=320x240:r=30:d=${sec(durationMs)}`,
    ...H264,
  ];
  return cachedFfmpeg('no-audio', 'mp4', args);
}

export interface AudioOnlyOptions {
  toneHz?: number;
  durationMs?: number;
  sampleRate?: number;
  /** 'wav' (PCM, exact sample count) or 'm4a' (AAC). */
  format?: 'wav' | 'm4a';
  /** Peak amplitude 0..1 of the sine (default 0.5; the lavfi sine source alone is 1/8). */
  amplitude?: number;
}

/** A sine tone without video. */
export function audioOnly(opts: AudioOnlyOptions = {}): Promise<string> {
  const { toneHz = 1000, durationMs = 1000, sampleRate = 48000, format = 'wav', amplitude = 0.5 } = opts;
  // aevalsrc gives an exact amplitude (the sine source is fixed at 1/8 full scale).
  const src = `aevalsrc=${amplitude}*sin(2*PI*${toneHz}*t):s=${sampleRate}:d=${sec(durationMs)}`;
  const codec = format === 'wav' ? ['-c:a', 'pcm_s16le'] : AAC;
  return cachedFfmpeg('audio-only', format, ['-f', 'lavfi', '-i', src, ...codec]);
}

/** A tone whose loudness pulses (beats of rising and falling amplitude): a waveform with visible shape. */
export function pulsingTone(opts: { durationMs?: number } = {}): Promise<string> {
  const { durationMs = 3000 } = opts;
  // No commas: they would split the lavfi filter arguments.
  const src = `aevalsrc=0.8*sin(2*PI*220*t)*abs(sin(PI*t*2))*abs(sin(PI*t*2))*abs(sin(PI*t*2))*(0.3+0.7*abs(sin(PI*t/3))):s=16000:d=${sec(durationMs)}`;
  return cachedFfmpeg('pulsing-tone', 'wav', ['-f', 'lavfi', '-i', src, '-c:a', 'pcm_s16le']);
}

/** A PNG still image. */
export function pngImage(opts: { color?: string; width?: number; height?: number } = {}): Promise<string> {
  const { color = '#0000FF', width = 320, height = 240 } = opts;
  const args = [
    '-f',
    'lavfi',
    '-i',
    `color=c=${lavfiColor(color)}:s=${width}x${height}:d=1`,
    '-frames:v',
    '1',
  ];
  return cachedFfmpeg('still', 'png', args);
}

/** An MP4 holding exactly one video frame. */
export function oneFrameClip(): Promise<string> {
  const args = ['-f', 'lavfi', '-i', 'color=c=0xFF00FF:s=320x240:r=30', '-frames:v', '1', ...H264];
  return cachedFfmpeg('one-frame', 'mp4', args);
}

/** MP4 with a container timecode (a tmcd data track): probes as timecode "01:00:00:00" with 2 streams. */
export function timecodeClip(opts: { timecode?: string } = {}): Promise<string> {
  const { timecode = '01:00:00:00' } = opts;
  const args = ['-f', 'lavfi', '-i', 'color=c=0xFF0000:s=320x240:r=25:d=1', ...H264, '-timecode', timecode];
  return cachedFfmpeg('timecode', 'mp4', args);
}

/** A real MP4 cut in half: the moov atom (written at the end by default) is gone. */
export async function truncatedMp4(): Promise<string> {
  const whole = await testsrcClip({ durationMs: 2000 });
  // The key names the source file (itself keyed by its args), so a changed source makes a new cut.
  return cached('truncated', 'mp4', { source: basename(whole) }, async (tmp) => {
    const bytes = await readFile(whole);
    writeFileSync(tmp, bytes.subarray(0, Math.floor(bytes.length / 2)));
  });
}

/** A text file named .mp4. */
export function textRenamedMp4(): Promise<string> {
  return cached('text-renamed', 'mp4', { v: 1 }, async (tmp) => {
    writeFileSync(tmp, 'This is not a video.\nJust some text someone renamed to .mp4.\n'.repeat(20));
  });
}

/** A zero-byte .mp4. */
export function emptyFile(): Promise<string> {
  return cached('empty', 'mp4', { v: 1 }, async (tmp) => {
    writeFileSync(tmp, '');
  });
}

// ----------------------------------------------------------------------------------------------------------------
// measurement

export interface ProbeJson {
  format: Record<string, unknown> & { duration?: string };
  streams: Array<
    Record<string, unknown> & { codec_type?: string; duration?: string; nb_read_packets?: string }
  >;
}

export async function probeJson(file: string): Promise<ProbeJson> {
  const r = await ffprobe(['-show_format', '-show_streams', '-of', 'json', file]);
  return JSON.parse(r.stdout.toString('utf8')) as ProbeJson;
}

/**
 * Duration in integer ms. `stream`: 'format' (container, default), 'video' or 'audio' (first stream of the
 * type; AAC streams end on a 1024-sample boundary, so the container may be a few ms longer than the video).
 */
export async function durationMs(
  file: string,
  stream: 'format' | 'video' | 'audio' = 'format',
): Promise<number> {
  const j = await probeJson(file);
  const text =
    stream === 'format' ? j.format.duration : j.streams.find((s) => s.codec_type === stream)?.duration;
  if (text === undefined) throw new Error(`${file}: no ${stream} duration`);
  return Math.round(Number(text) * 1000);
}

/**
 * Number of video frames. Default: packets of the first video stream, counted by reading the file (fast, no
 * decoding). `decode: true` counts decoded frames instead, which is what a player shows: it differs when an edit
 * list hides packets (e.g. vfrClip's last frame, which has no duration: 40 packets, 39 frames).
 */
export async function frameCount(file: string, opts: { decode?: boolean } = {}): Promise<number> {
  const [flag, entry] = opts.decode
    ? ['-count_frames', 'nb_read_frames']
    : ['-count_packets', 'nb_read_packets'];
  const r = await ffprobe([
    '-select_streams',
    'v:0',
    flag!,
    '-show_entries',
    `stream=${entry}`,
    '-of',
    'json',
    file,
  ]);
  const j = JSON.parse(r.stdout.toString('utf8')) as { streams: Array<Record<string, string>> };
  return Number(j.streams[0]?.[entry!] ?? NaN);
}

export async function hasAudio(file: string): Promise<boolean> {
  const j = await probeJson(file);
  return j.streams.some((s) => s.codec_type === 'audio');
}

export interface Rgb {
  r: number;
  g: number;
  b: number;
}

/**
 * Average colour of the 4x4 block whose top-left corner is (x, y), in the frame shown at `tMs`. `-ss` after
 * `-i` decodes from the start and drops frames up to tMs, so the frame is exact (input seeking may land on a
 * keyframe in some builds). No scaling: coordinates are in the decoded frame, which ffmpeg autorotates (a
 * rotated clip is sampled in display orientation) but does not stretch for SAR.
 */
export async function sampleColor(opts: { file: string; tMs: number; x: number; y: number }): Promise<Rgb> {
  const { file, tMs, x, y } = opts;
  const r = await ffmpeg([
    '-i',
    file,
    '-ss',
    sec(tMs),
    '-frames:v',
    '1',
    '-an',
    '-vf',
    `crop=4:4:${x}:${y}`,
    '-f',
    'rawvideo',
    '-pix_fmt',
    'rgb24',
    'pipe:1',
  ]);
  const px = r.stdout;
  if (px.length !== 4 * 4 * 3)
    throw new Error(`sampleColor: expected 48 bytes, got ${px.length} (t=${tMs}ms beyond the end?)`);
  const sum = { r: 0, g: 0, b: 0 };
  for (let i = 0; i < px.length; i += 3) {
    sum.r += px[i]!;
    sum.g += px[i + 1]!;
    sum.b += px[i + 2]!;
  }
  return { r: Math.round(sum.r / 16), g: Math.round(sum.g / 16), b: Math.round(sum.b / 16) };
}

function parseDb(text: string | undefined): number {
  if (text === undefined) return NaN;
  // astats prints "-inf" for digital silence.
  return /-inf/i.test(text) ? -Infinity : Number(text);
}

/** RMS and peak level (dBFS) of the first audio stream over [startMs, startMs + durationMs). */
export async function audioStats(opts: { file: string; startMs?: number; durationMs?: number }): Promise<{
  rmsDb: number;
  peakDb: number;
}> {
  const { file, startMs, durationMs: dur } = opts;
  const input: string[] = [];
  if (startMs !== undefined) input.push('-ss', sec(startMs));
  if (dur !== undefined) input.push('-t', sec(dur));
  const r = await ffmpeg(
    ['-i', file, ...input, '-vn', '-af', 'astats=measure_perchannel=none', '-f', 'null', '-'],
    'info',
  );
  // The "Overall" section comes last; take the last match of each.
  const rms = [...r.stderr.matchAll(/RMS level dB:\s*(\S+)/g)].pop()?.[1];
  const peak = [...r.stderr.matchAll(/Peak level dB:\s*(\S+)/g)].pop()?.[1];
  if (rms === undefined || peak === undefined) throw new Error(`audioStats: no astats output for ${file}`);
  return { rmsDb: parseDb(rms), peakDb: parseDb(peak) };
}

/** Integrated loudness (EBU R128, LUFS) of the first audio stream. */
export async function loudness(opts: { file: string }): Promise<{ integratedLufs: number }> {
  const r = await ffmpeg(['-i', opts.file, '-vn', '-af', 'ebur128', '-f', 'null', '-'], 'info');
  const summary = r.stderr.slice(r.stderr.lastIndexOf('Summary:'));
  const m = /I:\s*(-?[\d.]+|-inf)\s*LUFS/.exec(summary);
  if (!m) throw new Error(`loudness: no ebur128 summary for ${opts.file}`);
  return { integratedLufs: parseDb(m[1]) };
}
