// smartPatchBatchArgs(): many patch plans into one ffmpeg run. Pure: the exact graph and arguments are checked
// here; test/render/smart-render.test.ts runs them on real media.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isCutroomError } from '../../src/errors.js';
import { batchPatches, relabelGraph, smartPatchBatchArgs } from '../../src/plan/smart-patch-batch.js';
import type { RenderPlan } from '../../src/plan/types.js';

const OUT = [
  '-c:v',
  'libx264',
  '-preset',
  'veryfast',
  '-crf',
  '30',
  '-pix_fmt',
  'yuv420p',
  '-an',
  '-r',
  '30/1',
];

function plan(inputs: Array<[string, string]>, graph: string, output = OUT): RenderPlan {
  const args = ['-x', '1'];
  const planInputs = inputs.map(([ss, path], index) => {
    const options = ['-threads', '1', '-ss', ss];
    args.push(...options, '-i', path);
    return { index, asset_id: 'a', options, path };
  });
  args.push('-filter_complex', graph, '-map', '[vout]', ...output, '-movflags', '+faststart', '-f', 'mp4');
  return {
    inputs: planInputs,
    filtergraph: graph,
    args,
    files: [],
    meta: {} as RenderPlan['meta'],
    warnings: [],
  };
}

test('relabelGraph renumbers input references, prefixes labels, leaves escaped and quoted text alone', () => {
  assert.equal(
    relabelGraph(
      "[0:v]trim=end_frame=3[v0];\n[1:v:0][v0]overlay,drawtext=text='a[b]c':x=\\[1\\][vout]",
      4,
      'p2_',
    ),
    "[4:v]trim=end_frame=3[p2_v0];\n[5:v:0][p2_v0]overlay,drawtext=text='a[b]c':x=\\[1\\][p2_vout]",
  );
});

test('patches side by side, concatenated, an IDR forced at each patch start and the segment muxer split there', () => {
  const a = plan([['0.5', '/s.mp4']], '[0:v]trim=end_frame=15[v0];\n[v0]format=yuv420p[vout]');
  const b = plan(
    [
      ['2.9', '/s.mp4'],
      ['1.033', '/s.mp4'],
    ],
    '[0:v]trim=end_frame=2[v0];\n[1:v]trim=end_frame=1[v1];\n[v0][v1]concat=n=2[vout]',
  );
  const c = plan([['4', '/s.mp4']], '[0:v]trim=end_frame=1[v0];\n[v0]null[vout]');
  const r = smartPatchBatchArgs({
    patches: [
      { plan: a, frames: 15 },
      { plan: b, frames: 3 },
      { plan: c, frames: 1 },
    ],
    fps: { num: 30, den: 1 },
    timescale: 15360,
    format: 'mp4',
  });
  assert.deepEqual(r.starts, [0, 15, 18]);
  assert.equal(
    r.graph,
    [
      '[0:v]trim=end_frame=15[p0_v0]',
      '[p0_v0]format=yuv420p[p0_vout]',
      '[1:v]trim=end_frame=2[p1_v0]',
      '[2:v]trim=end_frame=1[p1_v1]',
      '[p1_v0][p1_v1]concat=n=2[p1_vout]',
      '[3:v]trim=end_frame=1[p2_v0]',
      '[p2_v0]null[p2_vout]',
      '[p0_vout][p1_vout][p2_vout]concat=n=3:v=1:a=0,setpts=N*1/(30*TB)[vout]',
    ].join(';\n'),
  );
  assert.deepEqual(r.args, [
    ...['-x', '1'],
    ...['-threads', '1', '-ss', '0.5', '-i', '/s.mp4'],
    ...['-threads', '1', '-ss', '2.9', '-i', '/s.mp4'],
    ...['-threads', '1', '-ss', '1.033', '-i', '/s.mp4'],
    ...['-threads', '1', '-ss', '4', '-i', '/s.mp4'],
    ...['-filter_complex', r.graph, '-map', '[vout]'],
    ...OUT,
    // Frame 15 at 0.5 s, 18 at 0.6 s: ffmpeg rounds each to the nearest 1/30 s tick.
    ...['-force_key_frames', '0,0.5,0.6', '-forced-idr', '1'],
    ...['-f', 'segment', '-segment_format', 'mp4', '-segment_frames', '15,18', '-reset_timestamps', '1'],
    ...['-segment_format_options', 'video_track_timescale=15360'],
  ]);
});

test('a long batch graph goes to the script file; patches asking for other encoder settings are refused', () => {
  const long = `[0:v]${'null,'.repeat(8000)}null[vout]`;
  const r = smartPatchBatchArgs({
    patches: [{ plan: plan([['0', '/s.mp4']], long), frames: 2 }],
    fps: { num: 30000, den: 1001 },
    timescale: 30000,
    format: 'mov',
    scriptPath: '/w/graph.txt',
  });
  assert.ok(r.args.includes('-filter_complex_script'));
  assert.equal(r.args[r.args.indexOf('-filter_complex_script') + 1], '/w/graph.txt');
  assert.ok(!r.args.includes('-filter_complex'));
  assert.match(r.graph, /setpts=N\*1001\/\(30000\*TB\)\[vout\]$/);
  assert.throws(
    () =>
      smartPatchBatchArgs({
        patches: [
          { plan: plan([['0', '/s.mp4']], '[0:v]null[vout]'), frames: 1 },
          {
            plan: plan([['1', '/s.mp4']], '[0:v]null[vout]', [...OUT.slice(0, -2), '-r', '25']),
            frames: 1,
          },
        ],
        fps: { num: 30, den: 1 },
        timescale: 15360,
        format: 'mp4',
      }),
    (err: unknown) => isCutroomError(err, 'RENDER_FAILED') && /encoder settings/.test(err.message),
  );
});

test('batchPatches: one source in up to `runs` runs of about equal frames, in order; sources apart; at most 48 a run', () => {
  const p = (key: string, frames: number, n: number) => ({ key, frames, n });
  const one = batchPatches([p('A', 10, 0), p('A', 10, 1), p('A', 10, 2), p('A', 10, 3), p('A', 10, 4)], 2);
  assert.deepEqual(one.map((b) => b.map((x) => x.n)), [[0, 1, 2], [3, 4]]);
  const two = batchPatches([p('A', 5, 0), p('B', 5, 1), p('A', 5, 2), p('B', 5, 3)], 1);
  assert.deepEqual(two.map((b) => b.map((x) => x.n)), [[0, 2], [1, 3]], 'a run never mixes sources');
  const many = batchPatches(Array.from({ length: 100 }, (_, i) => p('A', 3, i)), 1);
  assert.equal(many.length, 3);
  assert.ok(many.every((b) => b.length <= 48));
  assert.deepEqual(many.flat().map((x) => x.n), Array.from({ length: 100 }, (_, i) => i), 'every patch once, in order');
});
