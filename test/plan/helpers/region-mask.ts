// A region mask video for planner tests, like the regions engine writes (gray, white regions on black).
import { spawnSync } from 'node:child_process';
import { ffmpegPath } from '../../../src/ffmpeg/binaries.js';

export /** Gray mask 320x240 @30: a white 120x120 square at (100, 60) during source t < 1 s, black after. */
function makeMask(file: string): void {
  const r = spawnSync(ffmpegPath(), [
    '-v',
    'error',
    '-y',
    '-f',
    'lavfi',
    '-i',
    'color=c=black:s=320x240:r=30:d=2',
    '-vf',
    "drawbox=x=100:y=60:w=120:h=120:color=white:t=fill:enable='lt(t,1)',format=gray",
    '-c:v',
    'libx264',
    '-qp',
    '0',
    '-preset',
    'ultrafast',
    '-threads',
    '1',
    file,
  ]);
  if (r.status !== 0) throw new Error(r.stderr.toString());
}
