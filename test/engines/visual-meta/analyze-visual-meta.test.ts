// Real decoding through ffmpeg: edits with known cut frames built from real footage, fades, a dissolve, a flash,
// a pan, and Megamind.avi with labels made by eye (labels.json).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { analyzeVisualMeta } from '../../../src/engines/visual-meta/analyze-visual-meta.js';
import { probeMedia } from '../../../src/ffmpeg/probe.js';
import { buildCutEdit, gradualEdit, panClip, REAL, realCutEdit, realMediaAvailable } from './fixtures.js';
import { matchCuts } from './match-cuts.js';

const skip = realMediaAvailable()
  ? false
  : 'Debian packages opencv-doc and pd-extendedview are not installed';

async function analyse(path: string, intervalMs = 200) {
  const info = await probeMedia({ path });
  return analyzeVisualMeta({ path, info, intervalMs });
}

function near(actual: number, expected: number, what: string) {
  assert.ok(Math.abs(actual - expected) <= 1, `${what}: ${actual} is not within ±1 of ${expected}`);
}

test('hard cuts between real clips are found at their exact frames', { skip }, async () => {
  const edit = await realCutEdit();
  const { shotList, visualMeta } = await analyse(edit.path);
  assert.equal(shotList.frame_count, edit.frameCount);
  assert.deepEqual(shotList.cuts, edit.cuts);
  assert.equal(shotList.shots.length, edit.cuts.length + 1);
  // Shot times come from the frames' timestamps: 25 fps → 40 ms per frame.
  assert.deepEqual(
    shotList.shots.map((s) => s.start_ms),
    [0, ...edit.cuts.map((c) => c * 40)],
  );
  assert.equal(shotList.shots.at(-1)!.end_ms, edit.frameCount * 40);
  // Samples cover the whole edit at the requested interval.
  assert.equal(visualMeta.samples.length, Math.ceil((edit.frameCount * 40) / 200));
  for (const s of visualMeta.samples) {
    assert.ok(s.primary_subject_center_x >= 0 && s.primary_subject_center_x <= 1);
    assert.ok(Math.abs(s.color_histogram.y.reduce((a, b) => a + b, 0) - 1) < 0.01);
  }
});

test('fade through black and a dissolve are ranges, the flash frame is no cut', { skip }, async () => {
  const edit = await gradualEdit();
  const { shotList, visualMeta } = await analyse(edit.path, 400);
  assert.equal(shotList.frame_count, edit.frameCount);
  assert.deepEqual(shotList.cuts, edit.cuts, `cuts ${JSON.stringify(shotList.cuts)}`);
  assert.ok(!shotList.cuts.some((c) => Math.abs(c - edit.flashFrame) <= 2), 'flash reported as a cut');
  assert.equal(shotList.transitions.length, edit.transitions.length, JSON.stringify(shotList.transitions));
  edit.transitions.forEach((want, i) => {
    const got = shotList.transitions[i]!;
    assert.equal(got.kind, want.kind);
    near(got.start_frame, want.start_frame, `${want.kind} start`);
    near(got.end_frame, want.end_frame, `${want.kind} end`);
  });
  assert.deepEqual(
    shotList.shots.map((s) => s.transition_in),
    [null, 'cut', 'fade', 'dissolve'],
  );
  // The black stretch (frames 100..110 = 4.0..4.44 s) reads as dark in the samples.
  const dark = visualMeta.samples.find((s) => s.t_ms === 4000)!;
  assert.ok(dark.luma_mean < 0.1, `luma at 4.0 s: ${dark.luma_mean}`);
});

test('a pan over a still picture is not a cut and is measured as global motion', { skip }, async () => {
  const path = await panClip();
  const { shotList, visualMeta } = await analyse(path, 400);
  assert.deepEqual(shotList.cuts, []);
  assert.equal(shotList.shots.length, 1);
  // The crop window moves right 8 px per frame over a 640-px-wide view: content moves LEFT 1/80 of the width
  // per frame, 25/80 = 0.31 widths per second.
  for (const s of visualMeta.samples.slice(1)) {
    assert.ok(s.global_motion_x < -0.15 && s.global_motion_x > -0.5, `global_motion_x ${s.global_motion_x}`);
  }
});

test(
  'labelled real videos (Megamind, its glitchy copy, diver): every cut ±1 frame, no false cut',
  { skip },
  async () => {
    const labels = JSON.parse(readFileSync(new URL('./labels.json', import.meta.url), 'utf8')) as {
      videos: Array<{ path: string; frames: number; cuts: number[] }>;
    };
    assert.equal(labels.videos.length, 3);
    for (const v of labels.videos) {
      const { shotList } = await analyse(v.path, 1000);
      assert.equal(shotList.frame_count, v.frames);
      const m = matchCuts(shotList.cuts, v.cuts, 1);
      assert.equal(m.f1, 1, `${v.path}: ${JSON.stringify({ detected: shotList.cuts, ...m })}`);
    }
  },
);

test('a face summary decides the subject centre; bad intervals are coded errors', { skip }, async () => {
  const edit = await realCutEdit();
  const info = await probeMedia({ path: edit.path });
  const faceSummary = {
    samples: [
      {
        t_ms: 100,
        faces: [
          { x: 0.1, y: 0.1, width: 0.1, height: 0.1 },
          { x: 0.6, y: 0.2, width: 0.3, height: 0.4 },
        ],
      },
    ],
  };
  const { visualMeta } = await analyzeVisualMeta({ path: edit.path, info, intervalMs: 1000, faceSummary });
  assert.equal(visualMeta.samples[0]!.subject_source, 'face');
  assert.equal(visualMeta.samples[0]!.primary_subject_center_x, 0.75);
  assert.equal(visualMeta.samples[0]!.primary_subject_center_y, 0.4);
  assert.notEqual(visualMeta.samples[1]!.subject_source, 'face');
  await assert.rejects(analyzeVisualMeta({ path: edit.path, info, intervalMs: 10 }), {
    code: 'INVALID_PARAM',
  });
});

test('an aborted analysis rejects and stops ffmpeg', { skip }, async () => {
  const edit = await realCutEdit();
  const info = await probeMedia({ path: edit.path });
  const ac = new AbortController();
  const run = analyzeVisualMeta({ path: edit.path, info, intervalMs: 500, signal: ac.signal });
  ac.abort(new Error('user cancelled'));
  await assert.rejects(run, /user cancelled/);
});

test(
  'jump cuts inside one static shot (vtest.avi, time jumps) are cuts; its continuous walking is not',
  { skip },
  async () => {
    // A fixed camera, people walking: only they change at a jump. Positions chosen by hand, not from the bench.
    const edit = await buildCutEdit({
      name: 'vtest-jump-cuts',
      // A diver lead-in: buildCutEdit labels segment lengths, and a leading vtest segment came out 2 frames long.
      segments: [
        { src: REAL.diver, startFrame: 0, frames: 40 },
        { src: REAL.vtest, startFrame: 20, frames: 45 },
        { src: REAL.vtest, startFrame: 330, frames: 40 },
        { src: REAL.vtest, startFrame: 520, frames: 35 },
        { src: REAL.vtest, startFrame: 700, frames: 50 },
        { src: REAL.vtest, startFrame: 160, frames: 120 },
      ],
    });
    const { shotList } = await analyse(edit.path);
    // ±1 frame like the bench (10 fps footage conformed to 25 fps repeats frames).
    const m = matchCuts(shotList.cuts, edit.cuts, 1);
    assert.deepEqual(
      { tp: m.tp, fp: m.fp },
      { tp: edit.cuts.length, fp: 0 },
      `cuts ${JSON.stringify(shotList.cuts)} vs labelled ${JSON.stringify(edit.cuts)}`,
    );
    assert.deepEqual(shotList.transitions, []);
  },
);
