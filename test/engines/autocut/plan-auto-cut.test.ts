import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PACING_PRESETS, planAutoCut, type AutoCutCamera } from '../../../src/engines/autocut/index.js';
import { syntheticAudio, toLocal, type Span } from './synthetic.js';

/** Two speakers in turns of `turnMs` with 200 ms pauses; the speaker's own camera is 14 dB louder. */
function conversation(totalMs: number, turnMs: number, offsetB: number, silence?: [number, number]) {
  const a: Span[] = [];
  const b: Span[] = [];
  for (let t = 0, i = 0; t < totalMs; t += turnMs, i++) {
    const start = t + 100;
    const end = Math.min(totalMs, t + turnMs - 100);
    if (silence && start < silence[1] && end > silence[0]) continue;
    const aSpeaks = i % 2 === 0;
    a.push({ start_ms: start, end_ms: end, lufs: aSpeaks ? -20 : -34 });
    b.push({ start_ms: start, end_ms: end, lufs: aSpeaks ? -34 : -20 });
  }
  const cams: AutoCutCamera[] = [
    { asset_id: 'cam_a', offset_ms: 0, duration_ms: totalMs, audio: syntheticAudio(totalMs, a) },
    {
      asset_id: 'cam_b',
      offset_ms: offsetB,
      duration_ms: totalMs - offsetB,
      audio: syntheticAudio(totalMs - offsetB, toLocal(b, offsetB)),
    },
  ];
  return cams;
}

test('the louder camera is shown while its speaker talks, cut in the pause between turns', () => {
  const plan = planAutoCut({ cameras: conversation(10_000, 5000, 700), pacing: PACING_PRESETS.medium });
  // Common span starts where camera B starts.
  assert.equal(plan.common_start_ms, 700);
  assert.equal(plan.duration_ms, 9300);
  assert.deepEqual(
    plan.shots.map((s) => s.asset_id),
    ['cam_a', 'cam_b'],
  );
  const cut = plan.shots[1]!.start_ms + plan.common_start_ms;
  // The pause between turns is 4900..5100 on the common clock.
  assert.ok(cut >= 4900 && cut <= 5100, `cut at ${cut} ms (common clock)`);
  assert.equal(plan.shots[1]!.cut_in_pause, true);
  // In points through the offsets: B's media time = common - 700.
  assert.equal(plan.shots[1]!.in_ms, cut - 700);
  assert.equal(plan.shots[0]!.in_ms, 700);
});

test('pacing presets change shot lengths and keep every shot within the preset bounds', () => {
  const cams = conversation(60_000, 6000, 300);
  const counts: Record<string, number> = {};
  for (const pacing of ['fast', 'medium', 'slow'] as const) {
    const p = PACING_PRESETS[pacing];
    const plan = planAutoCut({ cameras: cams, pacing: p });
    counts[pacing] = plan.shots.length;
    let t = 0;
    for (const [i, s] of plan.shots.entries()) {
      assert.equal(s.start_ms, t, `${pacing}: shots are butt-joined`);
      const len = s.end_ms - s.start_ms;
      assert.ok(len >= p.min_ms && len <= p.max_ms, `${pacing} shot ${i}: ${len} ms`);
      if (i > 0) assert.notEqual(s.asset_id, plan.shots[i - 1]!.asset_id);
      t = s.end_ms;
    }
    assert.equal(t, plan.duration_ms);
  }
  assert.ok(
    counts.fast! > counts.medium! && counts.medium! >= counts.slow! && counts.fast! > counts.slow!,
    JSON.stringify(counts),
  );
});

test('the wide camera covers a stretch where nobody speaks', () => {
  const cams = conversation(20_000, 4000, 0, [8000, 12000]);
  cams.push({ asset_id: 'wide', offset_ms: 0, duration_ms: 20_000, audio: syntheticAudio(20_000, []) });
  const plan = planAutoCut({ cameras: cams, pacing: PACING_PRESETS.medium, wide_asset_id: 'wide' });
  const at = (t: number) => plan.shots.find((s) => s.start_ms <= t && t < s.end_ms)!.asset_id;
  assert.equal(at(10_000), 'wide');
  assert.equal(plan.wide_asset_id, 'wide');
  assert.equal(at(2000), 'cam_a');
});

test('same inputs give the same plan; weights are reported', () => {
  const cams = conversation(30_000, 2500, 450);
  const a = planAutoCut({ cameras: cams, pacing: PACING_PRESETS.fast, weights: { motion: 0.2 } });
  const b = planAutoCut({
    cameras: conversation(30_000, 2500, 450),
    pacing: PACING_PRESETS.fast,
    weights: { motion: 0.2 },
  });
  assert.equal(JSON.stringify(a), JSON.stringify(b));
  assert.equal(a.weights.motion, 0.2);
  assert.equal(a.weights.speaker, 1);
});

test('a span shorter than the minimum shot is one shot of the best camera', () => {
  const plan = planAutoCut({ cameras: conversation(1500, 1500, 0), pacing: PACING_PRESETS.medium });
  assert.equal(plan.shots.length, 1);
  assert.equal(plan.shots[0]!.asset_id, 'cam_a');
  assert.equal(plan.shots[0]!.end_ms, 1500);
});

test('a visibly moving mouth outvotes a microphone 6 dB louder; without mouth data loudness decides', () => {
  // Both cameras hear speech the whole 10 s; cam_b's mic is 6 dB louder, but cam_a's subject's mouth moves.
  const speech: Span[] = [{ start_ms: 0, end_ms: 10_000, lufs: -26 }];
  const louder: Span[] = [{ start_ms: 0, end_ms: 10_000, lufs: -20 }];
  const mouth = (activity: number) => ({
    version: 'test',
    fps: 10,
    samples: Array.from({ length: 100 }, (_, i) => ({
      t_ms: i * 100,
      faces: [{ track_id: 't1', activity: i % 2 === 0 ? activity : activity / 2 }],
    })),
  });
  const cams: AutoCutCamera[] = [
    { asset_id: 'cam_a', offset_ms: 0, duration_ms: 10_000, audio: syntheticAudio(10_000, speech) },
    { asset_id: 'cam_b', offset_ms: 0, duration_ms: 10_000, audio: syntheticAudio(10_000, louder) },
  ];
  const byEar = planAutoCut({ cameras: cams, pacing: PACING_PRESETS.slow });
  assert.deepEqual(
    byEar.shots.map((s) => s.asset_id),
    ['cam_b'],
  );
  const bySight = planAutoCut({
    cameras: [
      { ...cams[0]!, mouth: mouth(8) },
      { ...cams[1]!, mouth: mouth(0.05) },
    ],
    pacing: PACING_PRESETS.slow,
  });
  assert.deepEqual(
    bySight.shots.map((s) => s.asset_id),
    ['cam_a'],
  );
  // Weight 0: sight ignored.
  const off = planAutoCut({
    cameras: [
      { ...cams[0]!, mouth: mouth(8) },
      { ...cams[1]!, mouth: mouth(0.05) },
    ],
    pacing: PACING_PRESETS.slow,
    weights: { visual_speech: 0 },
  });
  assert.deepEqual(
    off.shots.map((s) => s.asset_id),
    ['cam_b'],
  );
});
