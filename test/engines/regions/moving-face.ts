/**
 * A video whose face motion is known exactly: a crop window pans across one real frame (Megamind.avi at
 * 0.5 s, from opencv-doc), so the face inside it moves left at a known speed. Cached under .cache/test-media/
 * keyed by the ffmpeg arguments.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { ffmpegPath } from '../../../src/ffmpeg/binaries.js';
import { TEST_MEDIA_DIR } from '../../helpers/media.js';

export const MEGAMIND = '/usr/share/doc/opencv-doc/examples/data/Megamind.avi';

/** Window 400×300 at y=70; x = 20 + 100·t px. Megamind is 720×528. */
export const PAN = {
  srcWidth: 720,
  width: 400,
  height: 300,
  y: 70,
  x0: 20,
  pxPerSecond: 100,
  durationMs: 2000,
};
/** Woman's face centre in the source frame (from labels.json, Megamind.avi@500), in px. */
export const FACE_CENTRE_SRC = { x: 0.46 * 720, y: 0.51 * 528 };

/** Face centre x as a fraction of the panned video's width, at time t. */
export function expectedFaceX(tMs: number): number {
  return (FACE_CENTRE_SRC.x - (PAN.x0 + (PAN.pxPerSecond * tMs) / 1000)) / PAN.width;
}

function ffmpeg(args: string[]): void {
  const r = spawnSync(ffmpegPath(), ['-hide_banner', '-nostdin', '-loglevel', 'error', '-y', ...args]);
  if (r.status !== 0) throw new Error(`ffmpeg ${args.join(' ')} failed: ${r.stderr.toString()}`);
}

export function panningFaceClip(): string {
  const still = ['-ss', '0.5', '-i', MEGAMIND, '-frames:v', '1', '-update', '1'];
  const crop = `crop=${PAN.width}:${PAN.height}:x='${PAN.x0}+${PAN.pxPerSecond}*t':y=${PAN.y}`;
  const encode = [
    '-loop',
    '1',
    '-framerate',
    '25',
    '-t',
    String(PAN.durationMs / 1000),
    '-vf',
    `${crop},format=yuv420p`,
    '-c:v',
    'libx264',
    '-preset',
    'ultrafast',
    '-threads',
    '1',
    '-an',
  ];
  const key = createHash('sha256').update(JSON.stringify({ still, encode })).digest('hex').slice(0, 16);
  mkdirSync(TEST_MEDIA_DIR, { recursive: true });
  const out = join(TEST_MEDIA_DIR, `regions-panning-face-${key}.mp4`);
  if (existsSync(out)) return out;
  const png = join(TEST_MEDIA_DIR, `regions-megamind-500-${key}.${process.pid}.png`);
  ffmpeg([...still, png]);
  const tmp = `${out}.${process.pid}.tmp.mp4`;
  ffmpeg([...encode.slice(0, 4), '-i', png, ...encode.slice(4), tmp]);
  renameSync(tmp, out);
  return out;
}
