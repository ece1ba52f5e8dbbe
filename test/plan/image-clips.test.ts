// Image assets as clips (issue 15, point 2): JPEG (with an EXIF orientation), PNG and WebP, each with its own
// duration, probed by the real probe and rendered; the output is measured: frame count per image, colours, and
// the JPEG shown upright (rotated as its EXIF orientation says, not stretched).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ffmpegPath } from '../../src/ffmpeg/binaries.js';
import { probeMedia } from '../../src/ffmpeg/probe.js';
import { compile } from '../../src/plan/compile.js';
import type { PlanSource } from '../../src/plan/types.js';
import { parseTimeline } from '../../src/timeline/index.js';
import { frameCount, sampleColor, type Rgb } from '../helpers/media.js';
import { runPlan, tempDir } from './helpers/plan-fixtures.js';

const tmp = tempDir('image-clips');
after(() => tmp.cleanup());

function ffmpeg(args: string[]): void {
  const r = spawnSync(ffmpegPath(), ['-v', 'error', '-y', ...args]);
  if (r.status !== 0) throw new Error(r.stderr.toString());
}

/** A JPEG with an APP1 EXIF segment whose only tag is Orientation (0x0112). */
function withExifOrientation(jpeg: Buffer, orientation: number): Buffer {
  const tiff = Buffer.alloc(26);
  tiff.write('MM', 0, 'latin1');
  tiff.writeUInt16BE(42, 2);
  tiff.writeUInt32BE(8, 4);
  tiff.writeUInt16BE(1, 8); // one IFD entry
  tiff.writeUInt16BE(0x0112, 10);
  tiff.writeUInt16BE(3, 12); // SHORT
  tiff.writeUInt32BE(1, 14);
  tiff.writeUInt16BE(orientation, 18);
  tiff.writeUInt32BE(0, 22); // no next IFD
  const app1 = Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), tiff]);
  const header = Buffer.alloc(4);
  header.writeUInt16BE(0xffe1, 0);
  header.writeUInt16BE(app1.length + 2, 2);
  return Buffer.concat([jpeg.subarray(0, 2), header, app1, jpeg.subarray(2)]);
}

const files: Record<string, string> = {};
before(() => {
  // 320x360 coded: red top half, blue bottom half. Orientation 6 = rotate 90° clockwise to display: 360x320,
  // red on the right, blue on the left.
  const plain = join(tmp.dir, 'plain.jpg');
  ffmpeg([
    '-f',
    'lavfi',
    '-i',
    'color=red:s=320x180[a];color=blue:s=320x180[b];[a][b]vstack',
    '-frames:v',
    '1',
    plain,
  ]);
  files.jpg = join(tmp.dir, 'rotated-exif-6.jpg');
  writeFileSync(files.jpg, withExifOrientation(readFileSync(plain), 6));
  files.png = join(tmp.dir, 'green.png');
  ffmpeg(['-f', 'lavfi', '-i', 'color=0x00FF00:s=320x180', '-frames:v', '1', files.png]);
  files.webp = join(tmp.dir, 'magenta.webp');
  ffmpeg([
    '-f',
    'lavfi',
    '-i',
    'color=0xFF00FF:s=320x180',
    '-frames:v',
    '1',
    '-c:v',
    'libwebp',
    '-lossless',
    '1',
    files.webp,
  ]);
});

async function source(id: string, path: string): Promise<PlanSource> {
  return { asset_id: id, path, content_hash: id.repeat(8), info: await probeMedia({ path }) };
}

const near = (c: Rgb, want: Rgb) =>
  Math.abs(c.r - want.r) < 40 && Math.abs(c.g - want.g) < 40 && Math.abs(c.b - want.b) < 40;

test('the probe reports an EXIF-rotated JPEG in its displayed size', async () => {
  const info = await probeMedia({ path: files.jpg! });
  assert.equal(info.kind, 'image');
  assert.equal(info.video?.rotation, 90);
  assert.deepEqual([info.video?.display_width, info.video?.display_height], [360, 320]);
  const plain = await probeMedia({ path: files.png! });
  assert.equal(plain.video?.rotation, 0);
});

test('JPEG, PNG and WebP clips render for their durations, the JPEG upright', async () => {
  const timeline = parseTimeline({
    tracks: [
      {
        id: 'v',
        kind: 'video',
        clips: [
          { id: 'j', asset_id: 'jpg', start_ms: 0, duration_ms: 500 },
          { id: 'p', asset_id: 'png', start_ms: 500, duration_ms: 300 },
          { id: 'w', asset_id: 'webp', start_ms: 800, duration_ms: 400 },
        ],
      },
    ],
  });
  const plan = compile({
    timeline,
    sources: {
      jpg: await source('jpg', files.jpg!),
      png: await source('png', files.png!),
      webp: await source('webp', files.webp!),
    },
    profile: 'draft_360p',
    work_dir: tmp.dir,
  });
  assert.deepEqual(plan.warnings, []);
  const out = join(tmp.dir, 'images.mp4');
  runPlan(plan, out);
  assert.equal(await frameCount(out), 36); // 15 + 9 + 12 frames at 30 fps
  // The rotated JPEG fits 360x320 into 640x360 as 406x360 centred: blue left, red right, black bars outside.
  assert.ok(near(await sampleColor({ file: out, tMs: 100, x: 150, y: 180 }), { r: 0, g: 0, b: 255 }));
  assert.ok(near(await sampleColor({ file: out, tMs: 100, x: 480, y: 180 }), { r: 255, g: 0, b: 0 }));
  assert.ok(near(await sampleColor({ file: out, tMs: 100, x: 40, y: 180 }), { r: 0, g: 0, b: 0 }));
  assert.ok(near(await sampleColor({ file: out, tMs: 600, x: 320, y: 180 }), { r: 0, g: 255, b: 0 }));
  assert.ok(near(await sampleColor({ file: out, tMs: 1000, x: 320, y: 180 }), { r: 255, g: 0, b: 255 }));
});
