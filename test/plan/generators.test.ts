// Generated clips (issue 15, point 2): colour fill, linear and radial gradients and shapes with fill and stroke,
// rendered and measured at chosen pixels; keyframeable through the clips' automation; coded errors for misuse.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { isCutroomError } from '../../src/errors.js';
import { compile } from '../../src/plan/compile.js';
import { parseTimeline, type TimelineInput } from '../../src/timeline/index.js';
import { frameCount, sampleColor, type Rgb } from '../helpers/media.js';
import { runPlan, tempDir } from './helpers/plan-fixtures.js';

const tmp = tempDir('generators');
after(() => tmp.cleanup());

function render(name: string, input: TimelineInput): string {
  const plan = compile({
    timeline: parseTimeline(input),
    sources: {},
    profile: 'draft_360p',
    work_dir: tmp.dir,
  });
  assert.deepEqual(plan.warnings, []);
  const file = join(tmp.dir, `${name}.mp4`);
  runPlan(plan, file);
  return file;
}
const near = (c: Rgb, want: Rgb, tol = 40) =>
  Math.abs(c.r - want.r) < tol && Math.abs(c.g - want.g) < tol && Math.abs(c.b - want.b) < tol;

test('linear and radial gradients: colours at the ends and in the middle', async () => {
  const file = render('gradients', {
    tracks: [
      {
        id: 'v',
        kind: 'video',
        clips: [
          {
            id: 'lin',
            asset_id: 'generator:lin',
            start_ms: 0,
            duration_ms: 300,
            generator: { type: 'linear_gradient', colors: ['#000000', '#FFFFFF'], angle_deg: 0 },
          },
          {
            id: 'rad',
            asset_id: 'generator:rad',
            start_ms: 300,
            duration_ms: 300,
            generator: { type: 'radial_gradient', colors: ['#FF0000', '#0000FF'] },
          },
        ],
      },
    ],
  });
  assert.equal(await frameCount(file), 18);
  const left = await sampleColor({ file, tMs: 100, x: 2, y: 180 });
  const mid = await sampleColor({ file, tMs: 100, x: 318, y: 180 });
  const right = await sampleColor({ file, tMs: 100, x: 634, y: 180 });
  assert.ok(left.r < 20 && right.r > 235, `${JSON.stringify(left)} -> ${JSON.stringify(right)}`);
  assert.ok(Math.abs(mid.r - 128) < 16, `middle is mid-grey: ${JSON.stringify(mid)}`);
  assert.ok(
    near(await sampleColor({ file, tMs: 400, x: 318, y: 178 }), { r: 255, g: 0, b: 0 }),
    'red centre',
  );
  assert.ok(
    near(await sampleColor({ file, tMs: 400, x: 0, y: 0 }), { r: 0, g: 0, b: 255 }, 60),
    'blue corner',
  );
});

test('a stroked ellipse over a colour fill, fading in through opacity keyframes', async () => {
  const file = render('shape', {
    tracks: [
      {
        id: 'bg',
        kind: 'video',
        clips: [
          {
            id: 'fill',
            asset_id: 'generator:fill',
            start_ms: 0,
            duration_ms: 1000,
            generator: { type: 'color', color: '#0000FF' },
          },
        ],
      },
      {
        id: 'top',
        kind: 'overlay',
        clips: [
          {
            id: 'dot',
            asset_id: 'generator:dot',
            start_ms: 0,
            duration_ms: 1000,
            generator: {
              type: 'shape',
              shape: 'ellipse',
              width: 0.5,
              height: 0.5,
              fill: '#00FF00',
              stroke: { color: '#FFFFFF', width_px: 8 },
            },
            automation: [
              {
                param: 'opacity',
                keyframes: [
                  { t_ms: 0, value: 0 },
                  { t_ms: 500, value: 1 },
                ],
              },
            ],
          },
        ],
      },
    ],
  });
  assert.ok(
    near(await sampleColor({ file, tMs: 0, x: 318, y: 178 }), { r: 0, g: 0, b: 255 }),
    'opacity 0: fill',
  );
  assert.ok(
    near(await sampleColor({ file, tMs: 700, x: 318, y: 178 }), { r: 0, g: 255, b: 0 }),
    'ellipse fill',
  );
  // The ellipse is 320x180 centred: its right edge at x = 480, the stroke just inside it.
  const stroke = await sampleColor({ file, tMs: 700, x: 472, y: 178 });
  assert.ok(stroke.r > 180 && stroke.g > 180 && stroke.b > 180, `stroke: ${JSON.stringify(stroke)}`);
  assert.ok(
    near(await sampleColor({ file, tMs: 700, x: 560, y: 178 }), { r: 0, g: 0, b: 255 }),
    'outside: fill',
  );
  assert.ok(
    near(await sampleColor({ file, tMs: 700, x: 330, y: 60 }), { r: 0, g: 0, b: 255 }),
    'above: fill',
  );
  const half = await sampleColor({ file, tMs: 250, x: 318, y: 178 });
  assert.ok(half.g > 90 && half.g < 170 && half.b > 90, `half-way fade: ${JSON.stringify(half)}`);
});

test('generator misuse is TIMELINE_INVALID with paths', () => {
  assert.throws(
    () =>
      compile({
        timeline: parseTimeline({
          tracks: [
            {
              id: 'v',
              kind: 'video',
              clips: [
                {
                  id: 'a',
                  asset_id: 'plain',
                  start_ms: 0,
                  duration_ms: 100,
                  generator: { type: 'color', color: '#FF0000' },
                },
                {
                  id: 'b',
                  asset_id: 'generator:b',
                  start_ms: 100,
                  generator: { type: 'color', color: '#FF0000' },
                },
                { id: 'c', asset_id: 'generator:c', start_ms: 5000, duration_ms: 100 },
              ],
            },
          ],
        }),
        sources: {},
        profile: 'draft_360p',
      }),
    (err) =>
      isCutroomError(err, 'TIMELINE_INVALID') &&
      (err.details.issues as Array<{ path: string }>).map((i) => i.path).join() ===
        'tracks[0].clips[0].asset_id,tracks[0].clips[1].duration_ms,tracks[0].clips[2].generator',
  );
  assert.throws(
    () =>
      parseTimeline({
        tracks: [
          {
            id: 'v',
            kind: 'video',
            clips: [
              { id: 'a', asset_id: 'generator:x', start_ms: 0, generator: { type: 'color', color: 'red' } },
            ],
          },
        ],
      }),
    /generator\.color/,
  );
});

test('the render service asks the registry for no asset of a generator clip', async () => {
  const { collectAssetRefs } = await import('../../src/render/collect-asset-refs.js');
  const refs = collectAssetRefs(
    parseTimeline({
      tracks: [
        {
          id: 'v',
          kind: 'video',
          clips: [
            {
              id: 'g',
              asset_id: 'generator:g',
              start_ms: 0,
              duration_ms: 100,
              generator: { type: 'color', color: '#FF0000' },
            },
            { id: 'm', asset_id: 'real', start_ms: 100, out_ms: 200 },
          ],
        },
      ],
    }),
  );
  assert.deepEqual([...refs.media.keys()], ['real']);
});
