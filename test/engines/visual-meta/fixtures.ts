/**
 * Edits with KNOWN shot boundaries, built from real footage made by others (Debian opencv-doc and pd-extendedview
 * sample videos) and from lavfi sources. Every segment is cut by frame number (`trim=start_frame/end_frame`) and
 * re-timed with `setpts=N/FPS/TB`, so each output frame is a distinct source frame and the cut frames are exactly
 * the cumulative segment lengths. Cached under .cache/test-media/ keyed by the full ffmpeg argument list.
 */
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ffmpegPath } from '../../../src/ffmpeg/binaries.js';

export const MEDIA_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../../.cache/test-media');

export const OPENCV_DATA = '/usr/share/doc/opencv-doc/examples/data';
export const REAL = {
  megamind: `${OPENCV_DATA}/Megamind.avi`,
  megamindBugy: `${OPENCV_DATA}/Megamind_bugy.avi`,
  vtest: `${OPENCV_DATA}/vtest.avi`,
  tree: `${OPENCV_DATA}/tree.avi`,
  diver: '/usr/share/doc/pd-extendedview/media/diver.mov',
} as const;

export function realMediaAvailable(): boolean {
  return Object.values(REAL).every((p) => existsSync(p));
}

/** ffmpeg to completion; resolves with its stderr (e.g. the ebur128 log). */
export function runFfmpeg(args: string[], loglevel: 'error' | 'info' = 'error'): Promise<string> {
  return new Promise((res, rej) => {
    const child = spawn(ffmpegPath(), ['-hide_banner', '-nostdin', '-loglevel', loglevel, '-y', ...args], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let err = '';
    child.stderr.on('data', (c: Buffer) => (err += c.toString('utf8')));
    child.on('error', rej);
    child.on('close', (code) =>
      code === 0 ? res(err) : rej(new Error(`ffmpeg exited ${code}: ${err.slice(-2000)}`)),
    );
  });
}

/** Run ffmpeg once per distinct argument list; the output (extension `ext`) is cached and renamed into place. */
export async function cachedFfmpeg(name: string, args: string[], ext = 'mp4'): Promise<string> {
  const hash = createHash('sha256')
    .update(JSON.stringify({ v: 2, name, args }))
    .digest('hex')
    .slice(0, 16);
  const out = join(MEDIA_DIR, `${name}-${hash}.${ext}`);
  if (existsSync(out)) return out;
  mkdirSync(MEDIA_DIR, { recursive: true });
  const tmp = join(MEDIA_DIR, `.tmp-${process.pid}-${randomBytes(4).toString('hex')}-${name}.${ext}`);
  try {
    await runFfmpeg([...args, tmp]);
    renameSync(tmp, out);
  } finally {
    rmSync(tmp, { force: true });
  }
  return out;
}

const ENCODE = [
  '-c:v',
  'libx264',
  '-preset',
  'ultrafast',
  '-crf',
  '18',
  '-pix_fmt',
  'yuv420p',
  '-threads',
  '1',
  '-an',
];

export interface Segment {
  /** Input file, or a lavfi source when `lavfi` is true. */
  src: string;
  lavfi?: boolean;
  startFrame: number;
  frames: number;
  /** Extra filters applied to this segment after trimming (e.g. a flash). */
  filter?: string;
}

export interface BuiltEdit {
  path: string;
  /** First frame of every segment after the first: the cut frames. */
  cuts: number[];
  frameCount: number;
}

/** Concatenate segments (hard cuts) at `fps`, `width`x`height`. */
export async function buildCutEdit({
  name,
  segments,
  fps = 25,
  width = 320,
  height = 240,
}: {
  name: string;
  segments: Segment[];
  fps?: number;
  width?: number;
  height?: number;
}): Promise<BuiltEdit> {
  const inputs: string[] = [];
  const chains: string[] = [];
  segments.forEach((s, i) => {
    if (s.lavfi) inputs.push('-f', 'lavfi', '-i', s.src);
    else inputs.push('-i', s.src);
    const extra = s.filter ? `,${s.filter}` : '';
    chains.push(
      `[${i}:v]trim=start_frame=${s.startFrame}:end_frame=${s.startFrame + s.frames},settb=AVTB,setpts=N/${fps}/TB,` +
        `scale=${width}:${height},setsar=1,format=yuv420p${extra}[s${i}]`,
    );
  });
  const graph = `${chains.join(';')};${segments.map((_, i) => `[s${i}]`).join('')}concat=n=${segments.length}:v=1:a=0[v]`;
  const path = await cachedFfmpeg(name, [
    ...inputs,
    '-filter_complex',
    graph,
    '-map',
    '[v]',
    '-r',
    String(fps),
    ...ENCODE,
  ]);
  const cuts: number[] = [];
  let acc = 0;
  for (const s of segments) {
    if (acc > 0) cuts.push(acc);
    acc += s.frames;
  }
  return { path, cuts, frameCount: acc };
}

/** Real footage, five hard cuts between different sources (each source retimed to 25 fps). */
export function realCutEdit(): Promise<BuiltEdit> {
  return buildCutEdit({
    name: 'real-cuts',
    segments: [
      { src: REAL.diver, startFrame: 0, frames: 60 },
      { src: REAL.vtest, startFrame: 100, frames: 50 },
      { src: REAL.megamind, startFrame: 30, frames: 45 },
      { src: REAL.tree, startFrame: 0, frames: 55 },
      { src: REAL.diver, startFrame: 200, frames: 40 },
      { src: REAL.vtest, startFrame: 400, frames: 50 },
    ],
  });
}

export interface GradualEdit {
  path: string;
  cuts: number[];
  /** Known transition ranges (inclusive) and kind. */
  transitions: Array<{ start_frame: number; end_frame: number; kind: 'fade' | 'dissolve' }>;
  /** Frame index of a single-frame white flash inside a shot. */
  flashFrame: number;
  frameCount: number;
}

/**
 * Synthetic + real edit at 25 fps, 320x240:
 *  A diver 0..49 | cut | B testsrc2 50..99 (flash: frame 75 all white) | fade out over 10 frames (90..99) to
 *  black 100..109, fade in 110..119 of C mandelbrot 110..159 | dissolve (xfade fade 12 frames) to D vtest.
 */
export async function gradualEdit(): Promise<GradualEdit> {
  const fps = 25;
  const W = 320;
  const H = 240;
  // settb first: setpts=N/FPS/TB in a coarse source time base (1/10) would round timestamps together.
  const norm = `settb=AVTB,setsar=1,format=yuv420p,scale=${W}:${H},fps=${fps}`;
  const graph = [
    `[0:v]trim=start_frame=0:end_frame=50,settb=AVTB,setpts=N/${fps}/TB,${norm}[a]`,
    // B: 50 frames, white flash on its 26th frame (edit frame 75), fade out over its last 10 frames.
    `testsrc2=s=${W}x${H}:r=${fps}:d=2,${norm},drawbox=x=0:y=0:w=iw:h=ih:c=white:t=fill:enable='eq(n,25)',fade=t=out:start_frame=40:nb_frames=10[b]`,
    `color=c=black:s=${W}x${H}:r=${fps}:d=0.4,${norm}[k]`,
    // C: mandelbrot, fades in over its first 10 frames; 50 frames; then dissolves into D.
    `mandelbrot=s=${W}x${H}:r=${fps},trim=start_frame=0:end_frame=50,settb=AVTB,setpts=N/${fps}/TB,${norm},fade=t=in:start_frame=0:nb_frames=10[c]`,
    `[1:v]trim=start_frame=200:end_frame=260,settb=AVTB,setpts=N/${fps}/TB,${norm}[d]`,
    `[a][b][k]concat=n=3:v=1:a=0[abk]`,
    // xfade offset 1.52 s into C = C frame 38: the blend covers frames 38..49 of C (12 frames).
    `[c][d]xfade=transition=fade:duration=0.48:offset=1.52[cd]`,
    `[abk][cd]concat=n=2:v=1:a=0[v]`,
  ].join(';');
  const path = await cachedFfmpeg('gradual-edit', [
    '-i',
    REAL.diver,
    '-i',
    REAL.vtest,
    '-filter_complex',
    graph,
    '-map',
    '[v]',
    '-r',
    String(fps),
    ...ENCODE,
  ]);
  // a: 0..49, b: 50..99, black: 100..109, c: 110..159, d from 148 (blended). Measured on the output: fade-out
  // frames 91..99 are partial (fade's first frame is still full level), 100..110 black (C's first frame is at
  // level 0), 111..119 partial, 120 full; xfade's first frame (148) is still pure C, 149..160 are blends.
  return {
    path,
    cuts: [50],
    transitions: [
      { start_frame: 91, end_frame: 119, kind: 'fade' },
      { start_frame: 149, end_frame: 160, kind: 'dissolve' },
    ],
    flashFrame: 75,
    frameCount: 50 + 50 + 10 + 38 + 60,
  };
}

/** A pan over a still real picture (diver frame upscaled 3x, crop moving 4 px/frame), 60 frames: no cut. */
export function panClip(): Promise<string> {
  return cachedFfmpeg('pan-diver', [
    '-i',
    REAL.diver,
    '-filter_complex',
    `[0:v]trim=start_frame=100:end_frame=101,scale=1920:1440,loop=loop=59:size=1:start=0,setpts=N/25/TB,crop=w=640:h=480:x='n*8':y='200+n*2',scale=320:240,setsar=1,format=yuv420p[v]`,
    '-map',
    '[v]',
    '-r',
    '25',
    ...ENCODE,
  ]);
}
