// `motion` on clips (issue 15, points 2 and 8): every listed preset renders from the timeline, intensity and
// easing change the move, custom rectangles put the crop where they say at the first and last frame, and an
// unknown preset is a coded error. Real renders, measured on their pixels.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ffmpegPath } from '../../../src/ffmpeg/binaries.js';
import { isCutroomError } from '../../../src/errors.js';
import { compile } from '../../../src/plan/compile.js';
import { MOTION_PRESETS } from '../../../src/plan/filters/motion-presets.js';
import { MotionEasingSchema } from '../../../src/timeline/motion.js';
import { EasingSchema, parseTimeline, type TimelineInput } from '../../../src/timeline/index.js';
import { frameCount, sampleColor, testsrcClip, type Rgb } from '../../helpers/media.js';
import { realSource, runPlan, tempDir } from '../helpers/plan-fixtures.js';

const tmp = tempDir('clip-motion');
after(() => tmp.cleanup());

/** Quadrants: top-left red, top-right green, bottom-left blue, bottom-right white; 1280x720 PNG. */
let quadrants = '';
/** Left half red, right half blue; 1280x720 PNG. */
let halves = '';

function makeImage(name: string, graph: string): string {
  const file = join(tmp.dir, name);
  const r = spawnSync(ffmpegPath(), [
    '-v',
    'error',
    '-y',
    '-f',
    'lavfi',
    '-i',
    graph,
    '-frames:v',
    '1',
    file,
  ]);
  if (r.status !== 0) throw new Error(r.stderr.toString());
  return file;
}

before(() => {
  quadrants = makeImage(
    'quadrants.png',
    'color=red:s=640x360[a];color=0x00FF00:s=640x360[b];color=blue:s=640x360[c];color=white:s=640x360[d];[a][b]hstack[t];[c][d]hstack[u];[t][u]vstack',
  );
  halves = makeImage('halves.png', 'color=red:s=640x720[a];color=blue:s=640x720[b];[a][b]hstack');
});

function imageTimeline(motion: unknown, durationMs = 1000): TimelineInput {
  return {
    tracks: [
      {
        id: 'v',
        kind: 'video',
        clips: [{ id: 'c', asset_id: 'img', start_ms: 0, duration_ms: durationMs, motion } as never],
      },
    ],
  };
}

async function renderImage(name: string, file: string, motion: unknown): Promise<string> {
  const plan = compile({
    timeline: parseTimeline(imageTimeline(motion)),
    sources: { img: realSource('img', file) },
    profile: 'draft_360p',
    work_dir: tmp.dir,
  });
  assert.deepEqual(plan.warnings, []);
  const out = join(tmp.dir, `${name}.mp4`);
  runPlan(plan, out);
  return out;
}

const isRed = (c: Rgb) => c.r > 200 && c.g < 60 && c.b < 60;
const isBlue = (c: Rgb) => c.b > 200 && c.r < 60 && c.g < 60;
const isWhite = (c: Rgb) => c.r > 200 && c.g > 200 && c.b > 200;

test('the motion easing names are the timeline easing names', () => {
  assert.deepEqual(MotionEasingSchema.options, EasingSchema.options);
});

test('custom rectangles: the first frame shows the from rectangle, the last the to rectangle', async () => {
  const out = await renderImage('rects', quadrants, {
    from: { x: 0, y: 0, w: 0.5 },
    to: { x: 0.5, y: 0.5, w: 0.5 },
    easing: 'linear',
  });
  assert.equal(await frameCount(out), 30);
  // 640x360 output: the whole frame is one quadrant at the start (red) and at the end (white), corners included.
  for (const [x, y] of [
    [8, 8],
    [628, 348],
    [320, 180],
  ] as const) {
    assert.ok(isRed(await sampleColor({ file: out, tMs: 0, x, y })), `first frame at ${x},${y} is red`);
    assert.ok(isWhite(await sampleColor({ file: out, tMs: 955, x, y })), `last frame at ${x},${y} is white`);
  }
});

test('pan_left moves the picture left; intensity scales the move; zoom_in is an alias', async () => {
  // Halves meet at the picture's middle. pan_left at 115 % puts that edge at 57 % of the canvas on the first
  // frame and at 43 % on the last.
  const plain = await renderImage('pan-left', halves, 'pan_left');
  assert.ok(isRed(await sampleColor({ file: plain, tMs: 0, x: 345, y: 180 })), 'start: 54 % is red');
  assert.ok(isBlue(await sampleColor({ file: plain, tMs: 955, x: 295, y: 180 })), 'end: 46 % is blue');
  // Intensity 2 (130 %, centre 0.64 -> 0.36): the edge starts at 64 %, so 60 % is still red; at 1x it is blue.
  const strong = await renderImage('pan-left-2x', halves, { preset: 'pan_left', intensity: 2 });
  assert.ok(isRed(await sampleColor({ file: strong, tMs: 0, x: 384, y: 180 })), 'intensity 2: 60 % red');
  assert.ok(isBlue(await sampleColor({ file: plain, tMs: 0, x: 384, y: 180 })), 'intensity 1: 60 % blue');
  // Intensity 0 does not move: the edge stays at 50 %.
  const none = await renderImage('pan-left-0x', halves, { preset: 'pan_left', intensity: 0 });
  for (const t of [0, 955]) {
    assert.ok(isRed(await sampleColor({ file: none, tMs: t, x: 300, y: 180 })));
    assert.ok(isBlue(await sampleColor({ file: none, tMs: t, x: 336, y: 180 })));
  }
  // zoom_in (= ken_burns_in): the first frame is the whole picture, the last 115 % (red/blue edge stays centred,
  // the top-left red quadrant's corner stays red: zoom is about the centre).
  const zoom = await renderImage('zoom-in', quadrants, { preset: 'zoom_in', easing: 'linear' });
  assert.ok(isRed(await sampleColor({ file: zoom, tMs: 955, x: 300, y: 160 })));
  assert.ok(isWhite(await sampleColor({ file: zoom, tMs: 955, x: 336, y: 196 })));
});

test('easing changes the middle of the move, not its ends', async () => {
  const lin = compile({
    timeline: parseTimeline(imageTimeline({ preset: 'pan_left', easing: 'linear' })),
    sources: { img: realSource('img', halves) },
    profile: 'draft_360p',
  });
  const eased = compile({
    timeline: parseTimeline(imageTimeline({ preset: 'pan_left', easing: 'ease_in' })),
    sources: { img: realSource('img', halves) },
    profile: 'draft_360p',
  });
  assert.match(lin.filtergraph, /zoompan=/);
  assert.match(eased.filtergraph, /pow\(/);
  assert.doesNotMatch(lin.filtergraph, /pow\(|cos\(/);
});

test("every listed preset, referenced by a video clip's motion, renders every frame", async () => {
  // One render with one 300 ms clip per preset keeps this fast; each clip's zoompan is in the graph.
  const file = await testsrcClip({ durationMs: 1000, width: 320, height: 240, fps: 30, toneHz: 440 });
  const clips = MOTION_PRESETS.map((p, i) => ({
    id: `c${i}`,
    asset_id: 'a',
    start_ms: i * 300,
    out_ms: 300,
    motion: p.id,
  }));
  const plan = compile({
    timeline: parseTimeline({ tracks: [{ id: 'v', kind: 'video', clips }] }),
    sources: { a: realSource('a', file) },
    profile: 'draft_360p',
    work_dir: tmp.dir,
  });
  assert.equal(plan.filtergraph.match(/zoompan=/g)?.length, MOTION_PRESETS.length);
  const out = join(tmp.dir, 'video-presets.mp4');
  runPlan(plan, out);
  assert.equal(await frameCount(out, { decode: true }), 9 * MOTION_PRESETS.length);
});

test('an unknown motion preset is UNKNOWN_MOTION_PRESET naming the path and the valid ids', () => {
  assert.throws(
    () =>
      compile({
        timeline: parseTimeline(imageTimeline({ preset: 'ken_burns_sideways' })),
        sources: { img: realSource('img', halves) },
        profile: 'draft_360p',
      }),
    (err) =>
      isCutroomError(err, 'UNKNOWN_MOTION_PRESET') &&
      /tracks\[0\]\.clips\[0\]\.motion\.preset/.test(err.message) &&
      (err.details.valid as string[]).includes('zoom_in'),
  );
});

test('a rectangle outside the picture is a validation error with its path', () => {
  assert.throws(
    () => parseTimeline(imageTimeline({ from: { x: 0.8, y: 0, w: 0.5 }, to: { x: 0, y: 0, w: 1 } })),
    (err) => isCutroomError(err, 'VALIDATION_FAILED') && /clips\[0\]\.motion/.test(err.message),
  );
});
