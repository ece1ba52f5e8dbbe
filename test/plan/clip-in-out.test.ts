// A clip's own transitions, in from nothing and out to nothing (issue 15, point 4): fade, slide, zoom and wipe,
// on the bottom track (to the background colour) and on an upper track (to the tracks below), measured on the
// rendered pixels at chosen times.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { compile } from '../../src/plan/compile.js';
import type { PlanSource } from '../../src/plan/types.js';
import { parseTimeline, type TimelineInput } from '../../src/timeline/index.js';
import { frameCount, sampleColor, solidClip, type Rgb } from '../helpers/media.js';
import { realSource, runPlan, tempDir } from './helpers/plan-fixtures.js';

const tmp = tempDir('clip-in-out');
after(() => tmp.cleanup());

let sources: Record<string, PlanSource> = {};
before(async () => {
  sources = {
    red: realSource('red', await solidClip({ color: '#FF0000', durationMs: 1000, width: 320, height: 180 })),
    blue: realSource(
      'blue',
      await solidClip({ color: '#0000FF', durationMs: 1000, width: 320, height: 180 }),
    ),
    green: realSource(
      'green',
      await solidClip({ color: '#00FF00', durationMs: 1000, width: 320, height: 180 }),
    ),
  };
});

function render(name: string, input: TimelineInput): { file: string; warnings: unknown[] } {
  const plan = compile({ timeline: parseTimeline(input), sources, profile: 'draft_360p', work_dir: tmp.dir });
  const file = join(tmp.dir, `${name}.mp4`);
  runPlan(plan, file);
  return { file, warnings: plan.warnings };
}

const near = (c: Rgb, want: Rgb, tol = 40) =>
  Math.abs(c.r - want.r) < tol && Math.abs(c.g - want.g) < tol && Math.abs(c.b - want.b) < tol;
const RED = { r: 255, g: 0, b: 0 };
const BLACK = { r: 0, g: 0, b: 0 };
const BLUE = { r: 0, g: 0, b: 255 };
const GREEN = { r: 0, g: 255, b: 0 };

async function at(file: string, tMs: number, x: number, y = 180): Promise<Rgb> {
  return sampleColor({ file, tMs, x, y });
}

test('bottom track: fade in from the background, wipe out to it', async () => {
  const { file, warnings } = render('fade-wipe', {
    background: '#000000',
    tracks: [
      {
        id: 'v',
        kind: 'video',
        clips: [
          {
            id: 'r',
            asset_id: 'red',
            start_ms: 0,
            out_ms: 1000,
            transition_in: { type: 'fade', duration_ms: 300 },
            transition_out: { type: 'wipe_left', duration_ms: 300 },
          },
        ],
      },
    ],
  });
  assert.deepEqual(warnings, []);
  assert.equal(await frameCount(file), 30);
  assert.ok(near(await at(file, 0, 320), BLACK, 20), 'first frame: background');
  const half = await at(file, 150, 320);
  assert.ok(half.r > 90 && half.r < 170 && half.g < 40, `half-way through the fade: ${JSON.stringify(half)}`);
  assert.ok(near(await at(file, 500, 320), RED));
  // 850 ms: half-way through the wipe, the edge moving left has reached the middle; the right half is gone.
  assert.ok(near(await at(file, 850, 100), RED), 'left half still red');
  assert.ok(near(await at(file, 850, 540), BLACK), 'right half wiped to the background');
});

test('upper track: slide in from the right, zoom out; wipe in over the track below', async () => {
  const { file } = render('slide-zoom', {
    tracks: [
      { id: 'base', kind: 'video', clips: [{ id: 'b', asset_id: 'blue', start_ms: 0, out_ms: 1000 }] },
      {
        id: 'top',
        kind: 'overlay',
        clips: [
          {
            id: 'g',
            asset_id: 'green',
            start_ms: 0,
            out_ms: 1000,
            transition_in: { type: 'slide_left', duration_ms: 400 },
            transition_out: { type: 'zoom', duration_ms: 300 },
          },
        ],
      },
    ],
  });
  assert.ok(near(await at(file, 0, 320), BLUE), 'first frame: the green clip is still off the canvas');
  // 200 ms: eased half-way, the green picture's left edge is at the canvas middle.
  assert.ok(near(await at(file, 200, 200), BLUE), 'left of the middle: blue');
  assert.ok(near(await at(file, 200, 440), GREEN), 'right of the middle: green');
  assert.ok(near(await at(file, 500, 100), GREEN), 'in place');
  // Last frame: zoomed almost to nothing about the centre.
  assert.ok(near(await at(file, 960, 100), BLUE), 'zoomed out: blue around');
  const wiped = render('wipe-over', {
    tracks: [
      { id: 'base', kind: 'video', clips: [{ id: 'b', asset_id: 'blue', start_ms: 0, out_ms: 1000 }] },
      {
        id: 'top',
        kind: 'overlay',
        clips: [
          {
            id: 'g',
            asset_id: 'green',
            start_ms: 0,
            out_ms: 1000,
            transition_in: { type: 'wipe_right', duration_ms: 300 },
          },
        ],
      },
    ],
  }).file;
  // 150 ms: the edge moving right has revealed the left half.
  assert.ok(near(await at(wiped, 150, 100), GREEN), 'revealed part: green');
  assert.ok(near(await at(wiped, 150, 540), BLUE), 'not yet revealed: the track below');
  assert.ok(near(await at(wiped, 500, 540), GREEN), 'after the wipe: green everywhere');
});

test('in + out longer than the clip: both shortened, with a warning', () => {
  const plan = compile({
    timeline: parseTimeline({
      tracks: [
        {
          id: 'v',
          kind: 'video',
          clips: [
            {
              id: 'r',
              asset_id: 'red',
              start_ms: 0,
              out_ms: 500,
              transition_in: { type: 'fade', duration_ms: 400 },
              transition_out: { type: 'fade', duration_ms: 400 },
            },
          ],
        },
      ],
    }),
    sources,
    profile: 'draft_360p',
  });
  assert.deepEqual(
    plan.warnings.map((w) => [w.code, w.path]),
    [['CLIP_TRANSITION_CLAMPED', 'tracks[0].clips[0].transition_in']],
  );
});

test('an unknown single-clip transition type is a validation error naming the path', () => {
  assert.throws(
    () =>
      parseTimeline({
        tracks: [
          {
            id: 'v',
            kind: 'video',
            clips: [{ id: 'r', asset_id: 'red', start_ms: 0, transition_in: { type: 'spin' } }],
          },
        ],
      }),
    /clips\[0\]\.transition_in\.type/,
  );
});
