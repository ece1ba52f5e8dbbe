// Every motion preset listed by GET /video/presets renders: its automation applied to a clip compiles and ffmpeg
// produces the right number of frames, with the preset's keyframes in the graph and no warning.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { compile } from '../../src/plan/compile.js';
import { MOTION_PRESETS, motionPresetAutomation } from '../../src/plan/filters/motion-presets.js';
import { parseTimeline } from '../../src/timeline/index.js';
import { frameCount, testsrcClip } from '../helpers/media.js';
import { realSource, runPlan, tempDir } from './helpers/plan-fixtures.js';

const tmp = tempDir('motion-presets');
after(() => tmp.cleanup());

for (const preset of MOTION_PRESETS) {
  test(`motion preset ${preset.id} renders and moves the picture`, async () => {
    const file = await testsrcClip({ durationMs: 1000, width: 320, height: 240, fps: 30, toneHz: 440 });
    const timeline = parseTimeline({
      tracks: [
        {
          id: 'v',
          kind: 'video',
          clips: [
            {
              id: 'c',
              asset_id: 'a',
              start_ms: 0,
              out_ms: 1000,
              automation: motionPresetAutomation({ id: preset.id, durationMs: 1000 }),
            },
          ],
        },
      ],
    });
    const plan = compile({
      timeline,
      sources: { a: realSource('a', file) },
      profile: 'draft_360p',
      work_dir: tmp.dir,
    });
    const out = join(tmp.dir, `${preset.id}.mp4`);
    runPlan(plan, out);
    assert.equal(await frameCount(out), 30);
    // The preset is applied, not silently dropped: the graph differs from the same clip without automation.
    const still = compile({
      timeline: parseTimeline({
        tracks: [{ id: 'v', kind: 'video', clips: [{ id: 'c', asset_id: 'a', start_ms: 0, out_ms: 1000 }] }],
      }),
      sources: { a: realSource('a', file) },
      profile: 'draft_360p',
      work_dir: tmp.dir,
    });
    assert.notEqual(plan.filtergraph, still.filtergraph);
    assert.deepEqual(plan.warnings, []);
  });
}
