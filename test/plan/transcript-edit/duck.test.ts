// duck_under compiled into the graph: gain automation from speech windows, floored sidechaincompress without them.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compile } from '../../../src/plan/compile.js';
import { duckKeyframes } from '../../../src/plan/duck/duck-gain.js';
import { speechOnTimeline } from '../../../src/plan/duck/speech-on-timeline.js';
import type { PlanArtifact } from '../../../src/plan/types.js';
import { checkGraph } from '../helpers/graph-check.js';
import { fakeAudioInfo, source, timeline } from '../helpers/plan-fixtures.js';

const sources = {
  voice: source('voice', '/media/voice.wav', fakeAudioInfo(20_000)),
  music: source('music', '/media/music.wav', fakeAudioInfo(20_000)),
};
const speechArtifact: PlanArtifact = {
  id: 'art_speech',
  kind: 'audio_semantic_timeline',
  asset_id: 'voice',
  backend_version: 'v',
  cache_key: 'k'.repeat(64),
  meta: {},
  data: {
    windows: [
      { start_ms: 1000, end_ms: 3000, kind: 'speech', confidence: 1 },
      { start_ms: 3000, end_ms: 3200, kind: 'silence', confidence: 1 },
      { start_ms: 3200, end_ms: 5000, kind: 'speech', confidence: 1 },
      { start_ms: 8000, end_ms: 9000, kind: 'speech', confidence: 1 },
    ],
  },
};
const doc = (duck: unknown) =>
  timeline({
    tracks: [
      { id: 'dialogue', kind: 'audio', clips: [{ id: 'v', asset_id: 'voice', start_ms: 2000, in_ms: 500 }] },
      { id: 'bed', kind: 'audio', duck_under: duck as 'speech', clips: [{ id: 'm', asset_id: 'music', start_ms: 0 }] },
    ],
  });

test('duck keyframes: look-ahead attack, release after, spans closer than attack+release merge', () => {
  const k = duckKeyframes({
    spans: [
      { start_ms: 1000, end_ms: 2000 },
      { start_ms: 2300, end_ms: 3000 },
      { start_ms: 5000, end_ms: 6000 },
    ],
    depthDb: -12,
    attackMs: 150,
    releaseMs: 400,
  });
  const low = 10 ** (-12 / 20);
  assert.deepEqual(
    k.map((x) => [x.t_ms, Math.round(x.value * 1e4) / 1e4]),
    [
      [850, 1],
      [1000, Math.round(low * 1e4) / 1e4],
      [3000, Math.round(low * 1e4) / 1e4],
      [3400, 1],
      [4850, 1],
      [5000, Math.round(low * 1e4) / 1e4],
      [6000, Math.round(low * 1e4) / 1e4],
      [6400, 1],
    ],
  );
});

test('speech windows move with the clip: source in point and timeline start', () => {
  const r = speechOnTimeline({ tracks: doc('speech').tracks, trackIndexes: [0], sources, artifacts: { art_speech: speechArtifact } });
  // Clip at 2000 from source 500: window 1000-3000 -> 2500-4500.
  assert.deepEqual(r.spans.slice(0, 2), [
    { start_ms: 2500, end_ms: 4500 },
    { start_ms: 4700, end_ms: 6500 },
  ]);
  assert.deepEqual(r.usedArtifacts, ['art_speech']);
});

test('duck_under "speech" compiles to a volume expression on the music only, artifact listed as a dependency', () => {
  const plan = compile({ timeline: doc('speech'), sources, artifacts: { art_speech: speechArtifact }, profile: 'draft_360p' });
  assert.deepEqual(checkGraph(plan).filter((p) => !p.includes('vout')), []);
  const duck = plan.filtergraph.split(';\n').find((s) => s.includes('[duck'))!;
  assert.match(duck, /volume=volume=.*:eval=frame\[duck\d+\]$/);
  assert.ok(!plan.filtergraph.includes('sidechaincompress'));
  assert.deepEqual(plan.meta.ducking, [
    { track_id: 'bed', method: 'gain', key_track_ids: ['dialogue'], depth_db: -12, attack_ms: 150, release_ms: 400, span_count: 3 },
  ]);
  assert.ok(plan.meta.dependency_notices.some((d) => d.artifact_id === 'art_speech'));
  // Deterministic.
  const again = compile({ timeline: doc('speech'), sources, artifacts: { art_speech: speechArtifact }, profile: 'draft_360p' });
  assert.equal(again.filtergraph, plan.filtergraph);
});

test('without speech windows: sidechaincompress keyed by the dialogue (split so the mix keeps it) and a warning', () => {
  const plan = compile({ timeline: doc({ track_id: 'dialogue', depth_db: -18 }), sources, profile: 'draft_360p' });
  assert.deepEqual(checkGraph(plan).filter((p) => !p.includes('vout')), []);
  assert.match(plan.filtergraph, /asplit=2\[dkm\d+\]\[dkk\d+\]/);
  // Parallel with a floor: the dry bed at depth_db (-18 dB = 0.125893) plus the compressed bed at 1 - that;
  // the compressor attacks within 20 ms (it cannot look ahead), release as asked.
  assert.match(plan.filtergraph, /\[tracka\d+\]asplit=2\[dkd(\d+)\]\[dkw(\d+)\];\n\[dkd\1\]volume=volume=0\.125893\[dkf(\d+)\]/);
  assert.match(
    plan.filtergraph,
    /\[dkw\d+\]\[dkk\d+\]sidechaincompress=threshold=0\.0016:ratio=20:attack=20:release=400:level_sc=1:makeup=1:knee=1,volume=volume=0\.874107\[dkc(\d+)\];\n\[dkf\d+\]\[dkc\1\]amix=inputs=2:duration=longest:normalize=0\[duck\d+\]/,
  );
  assert.ok(plan.warnings.some((w) => w.code === 'DUCK_SPEECH_UNKNOWN' && w.path === 'tracks[1].duck_under'));
  assert.equal((plan.meta.ducking as Array<{ method: string }>)[0]!.method, 'sidechain');
  const bad = compile({ timeline: doc({ track_id: 'nope' }), sources, profile: 'draft_360p' });
  assert.ok(bad.warnings.some((w) => w.code === 'DUCK_KEY_INVALID' && w.path === 'tracks[1].duck_under.track_id'));
  assert.ok(!bad.filtergraph.includes('[duck'));
});
