import assert from 'node:assert/strict';
import { test } from 'node:test';
import { planHighlights } from '../../../src/engines/highlights/index.js';
import type { VisualMeta } from '../../../src/engines/visual-meta/index.js';
import { syntheticAudio } from '../autocut/synthetic.js';

// Six phrases of 3 s separated by 1 s pauses; phrase 3 is shouted and has two loudness peaks.
const spans = [0, 1, 2, 3, 4, 5].map((i) => ({
  start_ms: 1000 + i * 4000,
  end_ms: 4000 + i * 4000,
  lufs: i === 3 ? -12 : -26,
}));
const audio = {
  ...syntheticAudio(25_000, spans),
  peaks: [
    { t_ms: 14_000, momentary_lufs: -10, sample_peak_dbfs: -1 },
    { t_ms: 15_500, momentary_lufs: -11, sample_peak_dbfs: -1 },
  ],
};

test('picks the loud phrase first, boundaries on speech edges, no overlap, within the target', () => {
  const plan = planHighlights({ duration_ms: 25_000, audio, target_ms: 7000, min_ms: 2000, max_ms: 3500 });
  assert.equal(plan.candidates_from, 'phrases');
  assert.ok(plan.total_ms <= 7000);
  assert.equal(plan.ranges.length, 2);
  const loud = plan.ranges.find((r) => r.start_ms === 13_000);
  assert.ok(loud, JSON.stringify(plan.ranges));
  assert.equal(loud.end_ms, 16_000);
  assert.deepEqual(loud.reasons, ['speech', 'loud', 'loudness_peak']);
  const edges = new Set(spans.flatMap((s) => [s.start_ms, s.end_ms]));
  for (const r of plan.ranges) assert.ok(edges.has(r.start_ms) && edges.has(r.end_ms), JSON.stringify(r));
  for (let i = 1; i < plan.ranges.length; i++)
    assert.ok(plan.ranges[i]!.start_ms >= plan.ranges[i - 1]!.end_ms);
  assert.ok(loud.score > plan.ranges.find((r) => r !== loud)!.score);
});

test('joined phrases become one candidate when they fit max_ms; a larger target takes more', () => {
  const singles = planHighlights({ duration_ms: 25_000, audio, target_ms: 8000, min_ms: 2000, max_ms: 8000 });
  assert.equal(singles.candidate_count, 6);
  // Across 1 s pauses: the 6 phrases plus the 5 pairs that fit in 8 s (7 s each).
  const joined = planHighlights({
    duration_ms: 25_000,
    audio,
    target_ms: 8000,
    min_ms: 2000,
    max_ms: 8000,
    join_gap_ms: 1000,
  });
  assert.equal(joined.candidate_count, 11);
  const onlyPairs = planHighlights({
    duration_ms: 25_000,
    audio,
    target_ms: 8000,
    min_ms: 6000,
    max_ms: 8000,
    join_gap_ms: 1000,
  });
  assert.equal(onlyPairs.ranges.length, 1);
  assert.equal(onlyPairs.ranges[0]!.end_ms - onlyPairs.ranges[0]!.start_ms, 7000);
  assert.ok([9000, 13_000].includes(onlyPairs.ranges[0]!.start_ms), 'a pair holding the loud phrase');
  const big = planHighlights({ duration_ms: 25_000, audio, target_ms: 20_000, min_ms: 2000, max_ms: 3500 });
  assert.equal(big.ranges.length, 6);
  assert.equal(big.total_ms, 18_000);
});

test('motion weights move the pick; no speech falls back to fixed windows; deterministic', () => {
  const samples = Array.from({ length: 125 }, (_, i) => ({
    t_ms: i * 200,
    frame_diff: i * 200 >= 20_000 ? 0.2 : 0,
  }));
  const visual = { samples } as unknown as VisualMeta;
  const flat = {
    ...syntheticAudio(
      25_000,
      spans.map((s) => ({ ...s, lufs: -26 })),
    ),
    peaks: [],
  };
  const plan = planHighlights({
    duration_ms: 25_000,
    audio: flat,
    visual,
    target_ms: 3000,
    min_ms: 2000,
    max_ms: 3500,
    weights: { motion: 5 },
  });
  assert.equal(plan.ranges[0]!.start_ms, 21_000);
  assert.ok(plan.ranges[0]!.reasons.includes('motion'));
  const none = planHighlights({ duration_ms: 25_000, target_ms: 6000 });
  assert.equal(none.candidates_from, 'fixed');
  assert.ok(none.total_ms <= 6000 && none.ranges.length > 0);
  assert.equal(
    JSON.stringify(planHighlights({ duration_ms: 25_000, audio, target_ms: 9000 })),
    JSON.stringify(planHighlights({ duration_ms: 25_000, audio, target_ms: 9000 })),
  );
});
