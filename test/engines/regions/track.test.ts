// Tracking is pure: synthetic detections with known motion, so the right answer is known exactly.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { trackFaces, type TrackInputSample } from '../../../src/engines/regions/track.js';
import { boxesAtFrame } from '../../../src/engines/regions/boxes-at-frame.js';
import type { Box, Detection, RegionSummary } from '../../../src/engines/regions/types.js';

function det(box: Box, score = 0.9): Detection {
  const p = (fx: number, fy: number) => ({ x: box.x + fx * box.w, y: box.y + fy * box.h });
  return {
    box,
    score,
    keypoints: {
      right_eye: p(0.3, 0.35),
      left_eye: p(0.7, 0.35),
      nose: p(0.5, 0.55),
      mouth: p(0.5, 0.75),
      right_ear: p(0.05, 0.45),
      left_ear: p(0.95, 0.45),
    },
  };
}

const centreX = (b: Box) => b.x + b.w / 2;

test('two faces crossing keep their ids', () => {
  // Face A moves right, face B moves left, same height: they overlap fully at t=1000.
  const samples: TrackInputSample[] = [];
  for (let i = 0; i <= 10; i++) {
    const t = i * 200;
    const a = det({ x: 0.1 + 0.06 * i, y: 0.4, w: 0.15, h: 0.2 });
    const b = det({ x: 0.7 - 0.06 * i, y: 0.42, w: 0.15, h: 0.2 });
    // Detector output order flips halfway, as a real one sorted by score might.
    samples.push({ t_ms: t, detections: i % 2 === 0 ? [a, b] : [b, a] });
  }
  const { samples: out, tracks } = trackFaces({ samples });
  assert.deepEqual(
    tracks.map((t) => t.id),
    ['t1', 't2'],
  );
  for (const s of out) {
    const t1 = s.faces.find((f) => f.track_id === 't1')!;
    const t2 = s.faces.find((f) => f.track_id === 't2')!;
    const i = s.t_ms / 200;
    // t1 is face A everywhere (moving right), t2 face B (moving left), before and after the crossing.
    assert.ok(Math.abs(centreX(t1.box) - (0.175 + 0.06 * i)) < 1e-6, `t1 at sample ${i}`);
    assert.ok(Math.abs(centreX(t2.box) - (0.775 - 0.06 * i)) < 1e-6, `t2 at sample ${i}`);
  }
});

test('a one-sample miss does not end a track; the gap is held by extrapolation', () => {
  const samples: TrackInputSample[] = [];
  for (let i = 0; i <= 6; i++) {
    const box = { x: 0.2 + 0.02 * i, y: 0.3, w: 0.2, h: 0.25 };
    samples.push({ t_ms: i * 200, detections: i === 3 ? [] : [det(box)] });
  }
  const { samples: out, tracks } = trackFaces({ samples, smooth: false });
  assert.deepEqual(tracks, [{ id: 't1', first_ms: 0, last_ms: 1200 }]);
  const held = out[3]!.faces;
  assert.equal(held.length, 1);
  assert.equal(held[0]!.held, true);
  assert.equal(held[0]!.track_id, 't1');
  // Constant velocity: the held box is where the face would have been.
  assert.ok(Math.abs(held[0]!.box.x - 0.26) < 1e-6, `held x ${held[0]!.box.x}`);
});

test('a face that leaves ends its track; one that comes back later gets a new id', () => {
  const samples: TrackInputSample[] = [];
  for (let i = 0; i <= 15; i++) {
    const present = i <= 4 || i >= 12;
    samples.push({ t_ms: i * 200, detections: present ? [det({ x: 0.4, y: 0.4, w: 0.2, h: 0.2 })] : [] });
  }
  const { samples: out, tracks } = trackFaces({ samples });
  assert.deepEqual(tracks, [
    { id: 't1', first_ms: 0, last_ms: 800 },
    { id: 't2', first_ms: 2400, last_ms: 3000 },
  ]);
  // No held boxes after the face left: samples 5..11 are empty.
  for (let i = 5; i <= 11; i++) assert.deepEqual(out[i]!.faces, [], `sample ${i} empty`);
});

test('a miss longer than the hold limit ends the track', () => {
  const samples: TrackInputSample[] = [];
  for (let i = 0; i <= 8; i++) {
    samples.push({
      t_ms: i * 200,
      detections: i >= 2 && i <= 5 ? [] : [det({ x: 0.4, y: 0.4, w: 0.2, h: 0.2 })],
    });
  }
  const { tracks } = trackFaces({ samples });
  assert.deepEqual(
    tracks.map((t) => t.id),
    ['t1', 't2'],
  );
});

test('smoothing removes jitter but keeps steady motion', () => {
  const jitter = [0, 0.01, -0.01, 0.01, -0.01, 0.01, 0];
  const samples = jitter.map((j, i) => ({
    t_ms: i * 200,
    detections: [det({ x: 0.3 + 0.01 * i + j, y: 0.3, w: 0.2, h: 0.2 })],
  }));
  const smooth = trackFaces({ samples }).samples;
  const raw = trackFaces({ samples, smooth: false }).samples;
  const dev = (s: typeof raw) =>
    s.slice(1, -1).reduce((acc, x, k) => acc + Math.abs(x.faces[0]!.box.x - (0.3 + 0.01 * (k + 1))), 0);
  assert.ok(dev(smooth) < dev(raw) / 2, `smoothed deviation ${dev(smooth)} vs raw ${dev(raw)}`);
  const steady = trackFaces({
    samples: [0, 1, 2, 3].map((i) => ({
      t_ms: i * 200,
      detections: [det({ x: 0.1 * i, y: 0.3, w: 0.2, h: 0.2 })],
    })),
  }).samples;
  steady.forEach((s, i) => assert.ok(Math.abs(s.faces[0]!.box.x - 0.1 * i) < 1e-6));
});

test('tracking is deterministic', () => {
  const samples: TrackInputSample[] = [0, 1, 2, 3, 4].map((i) => ({
    t_ms: i * 200,
    detections: [
      det({ x: 0.1 + i / 30, y: 0.2, w: 0.1, h: 0.1 }),
      det({ x: 0.6, y: 0.5 - i / 40, w: 0.2, h: 0.2 }),
    ],
  }));
  assert.equal(JSON.stringify(trackFaces({ samples })), JSON.stringify(trackFaces({ samples })));
});

test('boxesAtFrame interpolates between samples and holds half an interval at the ends', () => {
  const face = (x: number) => ({
    track_id: 't1',
    box: { x, y: 0.2, w: 0.2, h: 0.2 },
    score: 0.9,
    keypoints: det({ x, y: 0.2, w: 0.2, h: 0.2 }).keypoints,
    regions: { face: { x, y: 0.2, w: 0.2, h: 0.2 } },
  });
  const summary: RegionSummary = {
    frame_sample_interval_ms: 200,
    width: 640,
    height: 360,
    fps: 25,
    samples: [
      { t_ms: 0, faces: [face(0.1)] },
      { t_ms: 200, faces: [face(0.3)] },
      { t_ms: 400, faces: [] },
    ],
    tracks: [{ id: 't1', first_ms: 0, last_ms: 200 }],
  };
  assert.equal(boxesAtFrame(summary, { tMs: 100 })[0]!.box.x, 0.2);
  // Frame 2 at 25 fps is 80 ms: 40% of the way.
  assert.ok(Math.abs(boxesAtFrame(summary, { frameIndex: 2 })[0]!.box.x - 0.18) < 1e-9);
  assert.equal(boxesAtFrame(summary, { tMs: 300 })[0]!.box.x, 0.3);
  assert.deepEqual(boxesAtFrame(summary, { tMs: 301 }), []);
});
