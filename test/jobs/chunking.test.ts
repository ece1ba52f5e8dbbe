import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isCutroomError } from '../../src/errors.js';
import { planChunks, type RenderChunk } from '../../src/jobs/chunking.js';
import { timelineCutTimes } from '../../src/jobs/cut-times.js';
import { parseTimeline } from '../../src/timeline/index.js';

function assertTiles(chunks: RenderChunk[], totalFrames: number): void {
  assert.equal(chunks[0]!.start_frame, 0);
  assert.equal(chunks.at(-1)!.end_frame, totalFrames);
  for (let i = 0; i < chunks.length; i++) {
    const c = chunks[i]!;
    assert.equal(c.index, i);
    assert.ok(c.frame_count >= 1);
    assert.equal(c.frame_count, c.end_frame - c.start_frame);
    if (i > 0) {
      const p = chunks[i - 1]!;
      assert.equal(c.start_frame, p.end_frame);
      assert.equal(c.start_ms, p.start_ms + p.duration_ms, 'ms ranges abut exactly');
    }
  }
}

test('splits at frame-exact boundaries whose ms ranges map back to the same frames', () => {
  const fps = { num: 30, den: 1 };
  const chunks = planChunks({ durationMs: 10000, fps, targetChunkMs: 3000 });
  assert.equal(chunks.length, 3);
  assertTiles(chunks, 300);
  assert.deepEqual(
    chunks.map((c) => [c.start_frame, c.end_frame, c.start_ms, c.duration_ms]),
    [
      [0, 100, 0, 3333],
      [100, 200, 3333, 3334],
      [200, 300, 6667, 3333],
    ],
  );
  // Round-trip as the planner does it: frame = round(ms · fps / 1000).
  for (const c of chunks) {
    assert.equal(Math.round((c.start_ms * 30) / 1000), c.start_frame);
    assert.equal(Math.round(((c.start_ms + c.duration_ms) * 30) / 1000), c.end_frame);
  }
});

test('NTSC rates keep exact tiling', () => {
  const fps = { num: 30000, den: 1001 };
  const chunks = planChunks({ durationMs: 61_000, fps, targetChunkMs: 7000 });
  const total = Math.round((61_000 * 30000) / (1000 * 1001));
  assertTiles(chunks, total);
  for (const c of chunks) assert.equal(Math.round((c.start_ms * 30000) / (1000 * 1001)), c.start_frame);
});

test('boundaries move onto a cut between clips when one is within the tolerance', () => {
  const fps = { num: 25, den: 1 };
  // Ideal boundaries at 4000 and 8000 ms (frames 100, 200); cuts at 4400 ms (+10 %) and 9500 ms (+37 %).
  const chunks = planChunks({
    durationMs: 12000,
    fps,
    targetChunkMs: 4000,
    cutTimesMs: [9500, 4400, 4400],
    tolerance: 0.25,
  });
  assert.deepEqual(
    chunks.map((c) => c.start_frame),
    [0, 110, 200],
  );
  assertTiles(chunks, 300);
  // Nearest cut wins.
  const near = planChunks({ durationMs: 12000, fps, targetChunkMs: 4000, cutTimesMs: [3400, 4200, 4800] });
  assert.equal(near[1]!.start_frame, 105);
  // No tolerance: cuts ignored.
  assert.equal(
    planChunks({ durationMs: 12000, fps, targetChunkMs: 4000, cutTimesMs: [4400], tolerance: 0 })[1]!
      .start_frame,
    100,
  );
});

test('short timelines are one chunk; every chunk has at least one frame', () => {
  const fps = { num: 30, den: 1 };
  assert.equal(planChunks({ durationMs: 1000, fps, targetChunkMs: 5000 }).length, 1);
  const tiny = planChunks({ durationMs: 100, fps, targetChunkMs: 10 });
  assertTiles(tiny, 3);
  assert.equal(tiny.length, 3);
});

test('bad input is INVALID_PARAM with every problem listed', () => {
  try {
    planChunks({ durationMs: -1, fps: { num: 0, den: 1 }, targetChunkMs: 0 });
    assert.fail('no throw');
  } catch (err) {
    assert.ok(isCutroomError(err, 'INVALID_PARAM'));
    assert.deepEqual(
      (err.details.issues as Array<{ path: string }>).map((i) => i.path),
      ['durationMs', 'fps', 'targetChunkMs'],
    );
  }
});

test('cut times are clip starts on visible main video tracks, without transitions into them', () => {
  const timeline = parseTimeline({
    tracks: [
      {
        id: 'main',
        kind: 'video',
        clips: [
          { id: 'a', asset_id: 'ast_aaaaaaaa', start_ms: 0, out_ms: 4000 },
          { id: 'b', asset_id: 'ast_aaaaaaaa', start_ms: 4000, out_ms: 4000 },
          { id: 'c', asset_id: 'ast_aaaaaaaa', start_ms: 8000, out_ms: 4000 },
        ],
        transitions: [{ id: 't', type: 'crossfade', from_clip_id: 'b', to_clip_id: 'c', duration_ms: 1000 }],
      },
      {
        id: 'pip',
        kind: 'overlay',
        clips: [{ id: 'o', asset_id: 'ast_aaaaaaaa', start_ms: 2500, out_ms: 1000 }],
      },
      {
        id: 'old',
        kind: 'video',
        hidden: true,
        clips: [{ id: 'h', asset_id: 'ast_aaaaaaaa', start_ms: 1500, out_ms: 1000 }],
      },
    ],
  });
  assert.deepEqual(timelineCutTimes(timeline), [4000]);
});
