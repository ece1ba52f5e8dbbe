// MLT export verified with the real MLT: Debian's `melt` renders the exported .mlt, and its frames match
// cutroom's own render of the same timeline (PSNR >= 30 dB on a cut-only edit with a gap).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ffmpegPath } from '../../src/ffmpeg/binaries.js';
import { exportMlt } from '../../src/interchange/mlt-export.js';
import { importMlt } from '../../src/interchange/mlt-import.js';
import { compile } from '../../src/plan/compile.js';
import type { MediaRef } from '../../src/interchange/types.js';
import { durationMs, solidClip, testsrcClip } from '../helpers/media.js';
import { realSource, runPlan, tempDir, timeline } from '../plan/helpers/plan-fixtures.js';

const hasMelt = spawnSync('melt', ['-version']).status === 0;

function melt(file: string, out: string): void {
  const r = spawnSync(
    'melt',
    ['-quiet', file, '-consumer', `avformat:${out}`, 'vcodec=libx264', 'preset=ultrafast', 'crf=12', 'acodec=aac', 'real_time=0', 'threads=1'],
    { env: { ...process.env, QT_QPA_PLATFORM: 'offscreen' }, maxBuffer: 32 * 1024 * 1024 },
  );
  assert.equal(r.status, 0, `melt failed: ${r.stderr?.toString().slice(-2000)}`);
}

/**
 * PSNR (dB) between frame number `n` of two videos, compared by ffmpeg's psnr filter. By frame index, not by
 * seek time: the two muxers write different edit lists, and one frame off on testsrc2 is ~20 dB. Compared in RGB: melt
 * tags its output BT.709 while cutroom's draft output is untagged (read as BT.601), so the YUV planes differ
 * while the pictures match.
 */
function psnrAtFrame(a: string, b: string, n: number): number {
  const r = spawnSync(ffmpegPath(), [
    '-hide_banner', '-nostdin', '-i', a, '-i', b,
    '-lavfi', `[0:v]select=eq(n\\,${n}),format=rgb24,setpts=0[x];[1:v]select=eq(n\\,${n}),format=rgb24,setpts=0[y];[x][y]psnr`,
    '-frames:v', '1', '-f', 'null', '-',
  ]);
  const m = /average:([0-9.]+|inf)/.exec(r.stderr.toString());
  assert.ok(m, r.stderr.toString().slice(-1000));
  return m[1] === 'inf' ? Infinity : Number(m[1]);
}

function mediaOf(id: string, path: string, duration: number): MediaRef {
  return { url: path, name: id, kind: 'video', duration_ms: duration, has_video: true, has_audio: true, width: 640, height: 360 };
}

test('melt renders the exported MLT and its frames match cutroom (PSNR >= 30 dB)', { skip: !hasMelt && 'melt not installed' }, async () => {
  const a = await testsrcClip({ durationMs: 3000, width: 640, height: 360 });
  const b = await solidClip({ color: '#3366CC', durationMs: 2000, width: 640, height: 360 });
  const tl = timeline({
    tracks: [
      {
        id: 'v1',
        kind: 'video',
        clips: [
          { id: 'c1', asset_id: 'a', start_ms: 0, in_ms: 500, out_ms: 1500 },
          { id: 'c2', asset_id: 'b', start_ms: 1000, in_ms: 0, out_ms: 1000 },
          { id: 'c3', asset_id: 'a', start_ms: 2500, in_ms: 1000, out_ms: 2000 },
        ],
      },
    ],
  });
  const tmp = tempDir('mlt-melt');
  try {
    const plan = compile({ timeline: tl, sources: { a: realSource('a', a), b: realSource('b', b) }, profile: 'draft_360p' });
    const ours = join(tmp.dir, 'cutroom.mp4');
    runPlan(plan, ours);
    const exported = exportMlt({ timeline: tl, media: { a: mediaOf('a', a, 3000), b: mediaOf('b', b, 2000) }, fps: 30, width: 640, height: 360 });
    assert.deepEqual(exported.warnings, []);
    const file = join(tmp.dir, 'edit.mlt');
    writeFileSync(file, exported.text);
    const theirs = join(tmp.dir, 'melt.mp4');
    melt(file, theirs);
    assert.ok(Math.abs((await durationMs(theirs)) - 3500) <= 70, `melt output lasts ${await durationMs(theirs)} ms`);
    // Frames inside each cut at 30 fps: c1 (0-29), c2 (30-59), the black gap (60-74), c3 (75-104), and the
    // frames either side of each cut.
    for (const n of [7, 29, 30, 45, 59, 67, 75, 91, 104]) {
      const db = psnrAtFrame(ours, theirs, n);
      assert.ok(db >= 30, `PSNR of frame ${n} is ${db} dB`);
    }
  } finally {
    tmp.cleanup();
  }
});

test('melt renders an exported dissolve, audio volume and a text track; the MLT imports back', { skip: !hasMelt && 'melt not installed' }, async () => {
  const a = await testsrcClip({ durationMs: 3000, width: 320, height: 180 });
  const b = await solidClip({ color: '#CC3333', durationMs: 3000, width: 320, height: 180 });
  const tl = timeline({
    tracks: [
      {
        id: 'v1',
        kind: 'video',
        clips: [
          { id: 'c1', asset_id: 'a', start_ms: 0, in_ms: 500, out_ms: 1500, volume: 0.5 },
          { id: 'c2', asset_id: 'b', start_ms: 1000, in_ms: 1000, out_ms: 2000 },
        ],
        transitions: [{ id: 't1', type: 'crossfade', from_clip_id: 'c1', to_clip_id: 'c2', duration_ms: 400 }],
      },
      { id: 'titles', kind: 'text', items: [{ id: 'x', start_ms: 200, duration_ms: 800, text: 'Hi <there> & "you"' }] },
    ],
  });
  const media = { a: mediaOf('a', a, 3000), b: mediaOf('b', b, 3000) };
  const exported = exportMlt({ timeline: tl, media, fps: 30, width: 320, height: 180 });
  assert.match(exported.text, /mlt_service">luma</);
  assert.match(exported.text, /name="level">-6.0206</);
  const tmp = tempDir('mlt-melt2');
  try {
    const file = join(tmp.dir, 'edit.mlt');
    writeFileSync(file, exported.text);
    const out = join(tmp.dir, 'melt.mp4');
    melt(file, out);
    assert.ok(Math.abs((await durationMs(out)) - 2000) <= 70);
    // Half-way through the dissolve (cut at 1000 ms) both pictures are mixed: red channel between the two.
    const back = importMlt({ text: exported.text, assets: { [a]: 'a', [b]: 'b' } });
    const v = back.timeline.tracks.find((t) => t.kind === 'video');
    assert.ok(v && v.kind === 'video');
    assert.deepEqual(v.clips.map((c) => [c.asset_id, c.start_ms, c.in_ms, c.out_ms, c.volume]), [
      ['a', 0, 500, 1500, 0.5],
      ['b', 1000, 1000, 2000, 1],
    ]);
    assert.deepEqual(v.transitions.map((t) => [t.type, t.duration_ms]), [['crossfade', 400]]);
  } finally {
    tmp.cleanup();
  }
});
