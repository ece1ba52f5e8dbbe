import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RegionSummary } from '../../../src/engines/regions/index.js';
import { parseTimeline } from '../../../src/timeline/index.js';
import {
  cropPathStats,
  cropSize,
  faceSubjects,
  focusClipFields,
  focusLayout,
  focusTimeline,
  planFocus,
  type SubjectSample,
} from '../../../src/engines/focus/index.js';

const source = { width: 1920, height: 1080 };
const vertical = { w: 9, h: 16 };

function samples(from: number, to: number, f: (t: number) => number, y = 0.5): SubjectSample[] {
  const out: SubjectSample[] = [];
  for (let t = from; t < to; t += 200) out.push({ t_ms: t, x: f(t), y });
  return out;
}

test('crop size: full height for landscape → 9:16, full width for portrait → 1:1', () => {
  const c = cropSize(source, vertical);
  assert.equal(c.height, 1);
  assert.ok(Math.abs(c.width * 1920 - 1080 * (9 / 16)) < 1e-9);
  const sq = cropSize({ width: 1080, height: 1920 }, { w: 1, h: 1 });
  assert.equal(sq.width, 1);
  assert.ok(Math.abs(sq.height - 1080 / 1920) < 1e-9);
});

test('strategies per shot: stationary, pan, track; a jump at the shot change', () => {
  const subjects = [
    // Shot 0 (0–3 s): a subject that sways ±1 % — stationary.
    ...samples(0, 3000, (t) => 0.3 + 0.01 * Math.sin(t / 300)),
    // Shot 1 (3–6 s): walks right at constant speed — pan.
    ...samples(3000, 6000, (t) => 0.3 + ((t - 3000) / 3000) * 0.4),
    // Shot 2 (6–9 s): moves right, then back left — track.
    ...samples(6000, 9000, (t) =>
      t < 7500 ? 0.3 + ((t - 6000) / 1500) * 0.4 : 0.7 - ((t - 7500) / 1500) * 0.4,
    ),
  ];
  const shots = [
    { start_ms: 0, end_ms: 3000 },
    { start_ms: 3000, end_ms: 6000 },
    { start_ms: 6000, end_ms: 9000 },
  ];
  const plan = planFocus({ source, aspect: vertical, duration_ms: 9000, shots, subjects });
  assert.deepEqual(
    plan.shots.map((s) => s.strategy),
    ['stationary', 'pan', 'track'],
  );
  const inShot = (i: number) =>
    plan.keyframes.filter((k) => k.t_ms >= shots[i]!.start_ms && k.t_ms < shots[i]!.end_ms);
  assert.equal(inShot(0).length, 1);
  assert.ok(Math.abs(inShot(0)[0]!.center_x - 0.3) < 0.011);
  assert.equal(inShot(0)[0]!.easing, 'hold', 'the last keyframe of a shot holds until the cut');
  assert.equal(inShot(1).length, 2);
  assert.ok(Math.abs(inShot(1)[0]!.center_x - 0.3) < 0.01 && Math.abs(inShot(1)[1]!.center_x - 0.7) < 0.01);
  assert.ok(inShot(2).length > 2);
  // The subject stays inside the crop at every sample (between keyframes the value is interpolated).
  const crop = plan.crop.width;
  const valueAt = (t: number) => {
    const ks = plan.keyframes;
    let i = 0;
    while (i + 1 < ks.length && ks[i + 1]!.t_ms <= t) i++;
    const a = ks[i]!;
    const b = ks[i + 1];
    if (!b || a.easing === 'hold' || t <= a.t_ms) return a.center_x;
    const p = (t - a.t_ms) / (b.t_ms - a.t_ms);
    const e = a.easing === 'ease_in_out' ? 0.5 - 0.5 * Math.cos(Math.PI * p) : p;
    return a.center_x + (b.center_x - a.center_x) * e;
  };
  for (const s of subjects) {
    const c = valueAt(s.t_ms);
    assert.ok(Math.abs(s.x - c) <= crop / 2, `t=${s.t_ms}: subject ${s.x} vs crop ${c}±${crop / 2}`);
  }
  // Every centre keeps the crop inside the source.
  for (const k of plan.keyframes)
    assert.ok(k.center_x >= crop / 2 - 1e-4 && k.center_x <= 1 - crop / 2 + 1e-4);
});

test('tracking never jitters: a subject trembling inside the dead zone gives no extra keyframes', () => {
  const subjects = samples(
    0,
    4000,
    (t) => (t < 2000 ? 0.3 : 0.7) + (Math.floor(t / 200) % 2 ? 0.008 : -0.008),
  );
  const plan = planFocus({ source, aspect: vertical, duration_ms: 4000, subjects });
  assert.equal(plan.shots[0]!.strategy, 'track');
  // Consecutive keyframes never reverse direction (no back-and-forth).
  const xs = plan.keyframes.map((k) => k.center_x);
  for (let i = 2; i < xs.length; i++)
    assert.ok((xs[i]! - xs[i - 1]!) * (xs[i - 1]! - xs[i - 2]!) >= 0, JSON.stringify(xs));
  // The trembling halves add no keyframes besides the shot's last one: before 0.6 s and after 3.2 s (the glide
  // for the move at 2 s spans ≈ 0.6–3.2 s: the path is smoothed ±400 ms before and twice after the dead zone).
  const calm = plan.keyframes.filter(
    (k) => (k.t_ms > 0 && k.t_ms < 600) || (k.t_ms > 3200 && k.easing !== 'hold'),
  );
  assert.deepEqual(calm, []);
  assert.equal(
    JSON.stringify(plan),
    JSON.stringify(planFocus({ source, aspect: vertical, duration_ms: 4000, subjects })),
  );
});

test('clip transform: the crop window maps exactly onto the canvas (overlay x = W*px - w/2)', () => {
  for (const [src, canvas, aspect] of [
    [{ width: 1920, height: 1080 }, { width: 1080, height: 1920 }, vertical],
    [{ width: 400, height: 300 }, { width: 1080, height: 1920 }, vertical],
    [
      { width: 1280, height: 720 },
      { width: 1080, height: 1080 },
      { w: 1, h: 1 },
    ],
  ] as const) {
    for (const cx of [0.2, 0.5, 0.77]) {
      // One window (stationary) and a pan from cx to cx + 0.2 (the band then spans both windows).
      for (const dx of [0, 0.2]) {
        const plan = planFocus({
          source: src,
          aspect,
          duration_ms: 1000,
          subjects: [0, 200, 400, 600, 800].map((t) => ({ t_ms: t, x: cx + (dx * t) / 800, y: 0.5 })),
        });
        const f = focusClipFields({ plan, canvas });
        const { band, geometry: g } = focusLayout(plan, canvas);
        const bw = band.right - band.left;
        if (f.crop) {
          // The static crop is the band, in even source pixels (printed fractions never undershoot it).
          assert.ok(f.crop.left >= band.left && f.crop.left - band.left < 2e-6);
          assert.ok(Math.abs(1 - f.crop.left - f.crop.right - bw) < 2e-6);
          assert.equal(Math.round(band.left * src.width) % 2, 0);
        }
        // One window: the band is that window up to even-pixel snapping (no upscaled margin around it).
        const { band_size } = focusLayout(plan, canvas);
        if (dx === 0)
          assert.ok(band_size.width - plan.crop.width * src.width <= 4, `band ${band_size.width}`);
        const px = f.automation.find((a) => a.param === 'position_x')?.keyframes;
        for (const [i, k] of plan.keyframes.entries()) {
          const position = px ? px[i]!.value : f.transform.position_x;
          const x = canvas.width * position - g.picture.width / 2;
          const y = canvas.height * f.transform.position_y - g.picture.height / 2;
          // The picture covers the canvas...
          assert.ok(x <= 0.5 && x + g.picture.width >= canvas.width - 0.5, `x=${x}`);
          assert.ok(y <= 0.5 && y + g.picture.height >= canvas.height - 0.5, `y=${y}`);
          // ...and the canvas shows exactly the crop window: its left edge is at centre - width/2 of the source.
          const left = band.left + (-x / g.picture.width) * bw;
          assert.ok(Math.abs(left - (k.center_x - plan.crop.width / 2)) * src.width < 1.5, `left ${left}`);
          const shown = (canvas.width / g.picture.width) * bw;
          assert.ok(Math.abs(shown - plan.crop.width) * src.width < 1.5, `shown ${shown}`);
        }
      }
    }
  }
});

test('no subject: the crop stays centred; the face path sticks to one of two similar faces', () => {
  const centred = planFocus({ source, aspect: vertical, duration_ms: 5000, subjects: [] });
  assert.deepEqual(
    centred.keyframes.map((k) => [k.center_x, k.center_y]),
    [[0.5, 0.5]],
  );
  const face = (id: string, x: number, size: number) => ({
    track_id: id,
    box: { x, y: 0.3, w: size, h: size },
    score: 0.9,
    keypoints: {} as never,
    regions: { face: { x, y: 0.3, w: size, h: size } },
  });
  // t1 is larger at first; t2 becomes slightly larger later (within 40 %): the path stays on t1.
  const summary = {
    frame_sample_interval_ms: 200,
    width: 1920,
    height: 1080,
    fps: 25,
    tracks: [],
    samples: [
      { t_ms: 0, faces: [face('t1', 0.1, 0.2), face('t2', 0.7, 0.15)] },
      { t_ms: 200, faces: [face('t1', 0.1, 0.2), face('t2', 0.7, 0.22)] },
      { t_ms: 400, faces: [face('t2', 0.7, 0.22)] },
    ],
  } as unknown as RegionSummary;
  const path = faceSubjects(summary);
  assert.deepEqual(
    path.map((p) => Math.round(p.x * 100) / 100),
    [0.2, 0.2, 0.81],
  );
});

test('a long tracked recording is split into clips of at most 500 keyframes that join seamlessly', () => {
  const H = 600_000;
  const subjects: SubjectSample[] = [];
  for (let t = 0; t < H; t += 200) subjects.push({ t_ms: t, x: 0.5 + 0.3 * Math.sin(t / 7000), y: 0.5 });
  const plan = planFocus({ source, aspect: vertical, duration_ms: H, subjects });
  assert.ok(plan.keyframes.length > 1000);
  const tl = parseTimeline(
    focusTimeline({ assetId: 'a1', plan, canvas: { width: 1080, height: 1920 }, durationMs: H }),
  );
  const clips = tl.tracks[0]!.kind === 'video' ? tl.tracks[0]!.clips : [];
  assert.ok(clips.length >= 3);
  let t = 0;
  for (const c of clips) {
    assert.equal(c.start_ms, t);
    assert.equal(c.in_ms, t);
    const kx = c.automation.find((a) => a.param === 'position_x')!.keyframes;
    assert.ok(kx.length <= 500);
    assert.equal(kx[0]!.t_ms, 0);
    t = c.out_ms!;
  }
  assert.equal(t, H);
});

test('crop path: a jittery subject gives a smooth window (bounded acceleration), and no pan across a cut', () => {
  // A subject walking right, then standing, with ±3 % detector jitter per sample (deterministic), then a cut to another shot.
  const jitter = (t: number) => 0.03 * Math.sin(t * 1.7) * Math.cos(t * 0.37);
  const subjects = [
    ...samples(0, 4000, (t) => 0.25 + Math.min(t / 2000, 1) * 0.35 + jitter(t)),
    ...samples(4000, 8000, (t) => 0.7 - ((t - 4000) / 4000) * 0.4 + jitter(t)),
  ];
  const shots = [
    { start_ms: 0, end_ms: 4000 },
    { start_ms: 4000, end_ms: 8000 },
  ];
  const plan = planFocus({ source, aspect: vertical, duration_ms: 8000, shots, subjects });
  const stats = cropPathStats(plan, 30);
  assert.equal(stats.pans_across_cuts, 0, 'the window jumps at the cut');
  // The raw subject path at 5 samples/s: its jitter alone is ±58 px → accelerations of tens of thousands px/s².
  let raw = 0;
  for (let i = 1; i + 1 < subjects.length; i++) {
    if (subjects[i - 1]!.t_ms < 4000 !== subjects[i + 1]!.t_ms < 4000) continue;
    const a = ((subjects[i + 1]!.x - 2 * subjects[i]!.x + subjects[i - 1]!.x) * 1920) / 0.2 ** 2;
    raw = Math.max(raw, Math.abs(a));
  }
  assert.ok(raw > 2000, `raw subject acceleration ${raw}`);
  // Sampled per output frame (30 fps); the max sits at the joins of the 200 ms linear pieces (Δv over one
  // frame), the RMS is the smoothness seen over the shot. (ease_in_out per dead-zone step measured rms 2770,
  // max 9223 px/s² on this path.)
  assert.ok(
    stats.rms_acceleration_px_s2 < raw / 4 && stats.max_acceleration_px_s2 < 4000,
    `crop window acceleration ${JSON.stringify(stats)} vs raw ${raw.toFixed(0)}`,
  );
  // The walk is followed: the window moves at roughly the walking speed (336 px/s), not at jitter speed.
  assert.ok(stats.max_speed_px_s > 100 && stats.max_speed_px_s < 1000, JSON.stringify(stats));
});
