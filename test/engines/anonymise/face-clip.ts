/**
 * The panning Megamind face clip (test/engines/regions/moving-face.ts) with a 440 Hz AAC track added, so
 * anonymise tests can check the audio is carried over. Cached under .cache/test-media/.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { ffmpegPath } from '../../../src/ffmpeg/binaries.js';
import { TEST_MEDIA_DIR } from '../../helpers/media.js';
import { panningFaceClip } from '../regions/moving-face.js';

export function faceClipWithAudio(): string {
  const video = panningFaceClip();
  const args = [
    '-i',
    video,
    '-f',
    'lavfi',
    '-i',
    'sine=frequency=440:sample_rate=48000:duration=2',
    '-map',
    '0:v',
    '-map',
    '1:a',
    '-c:v',
    'copy',
    '-c:a',
    'aac',
    '-b:a',
    '96k',
    '-shortest',
  ];
  const key = createHash('sha256').update(JSON.stringify({ video, args })).digest('hex').slice(0, 16);
  const out = join(TEST_MEDIA_DIR, `anonymise-face-audio-${key}.mp4`);
  if (existsSync(out)) return out;
  const tmp = `${out}.${process.pid}.tmp.mp4`;
  const r = spawnSync(ffmpegPath(), ['-hide_banner', '-nostdin', '-loglevel', 'error', '-y', ...args, tmp]);
  if (r.status !== 0) throw new Error(`ffmpeg failed: ${r.stderr.toString()}`);
  renameSync(tmp, out);
  return out;
}
