// Every catalog transition renders with this ffmpeg: one timeline joins 42 small clips with each transition
// once; the output must have exactly the timeline's frames and every transition must be in the plan meta.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { compile } from '../../src/plan/compile.js';
import { listTransitions } from '../../src/plan/transitions/catalog.js';
import { frameCount, solidClip } from '../helpers/media.js';
import { checkGraph } from './helpers/graph-check.js';
import { realSource, runPlan, tempDir, timeline } from './helpers/plan-fixtures.js';

test('every catalog transition renders (xfade name valid in this ffmpeg)', async () => {
  const yellow = await solidClip({ color: '#FFFF00', durationMs: 1000, width: 160, height: 90 });
  const cyan = await solidClip({ color: '#00FFFF', durationMs: 1000, width: 160, height: 90 });
  const specs = listTransitions();
  const clips = Array.from({ length: specs.length + 1 }, (_, i) => ({
    id: `c${i}`,
    asset_id: i % 2 ? 'y' : 'c',
    start_ms: i * 300,
    in_ms: 200,
    out_ms: 500,
  }));
  const transitions = specs.map((s, i) => ({
    id: `t${i}`,
    type: s.id,
    from_clip_id: `c${i}`,
    to_clip_id: `c${i + 1}`,
    duration_ms: 200,
  }));
  const plan = compile({
    timeline: timeline({ tracks: [{ id: 'v', kind: 'video', clips, transitions }] }),
    sources: { y: realSource('y', yellow), c: realSource('c', cyan) },
    profile: 'draft_360p',
  });
  assert.deepEqual(checkGraph(plan), []);
  assert.deepEqual(plan.meta.transitions.map((t) => t.type).sort(), specs.map((s) => s.id).sort());
  for (const s of specs) assert.ok(plan.filtergraph.includes(`xfade=transition=${s.xfade}:`), s.id);
  const tmp = tempDir('xfade-all');
  try {
    const out = join(tmp.dir, 'all.mp4');
    runPlan(plan, out);
    assert.equal(await frameCount(out), plan.meta.frame_count);
    assert.equal(plan.meta.frame_count, (specs.length + 1) * 9);
  } finally {
    tmp.cleanup();
  }
});
