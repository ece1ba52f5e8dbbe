import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { autoCut } from '../../../src/engines/autocut/index.js';
import { renderToFile } from '../../../src/render/index.js';
import { durationMs, hasAudio, sampleColor } from '../../helpers/media.js';
import { makeServices } from '../../media/setup.js';
import { speechAvailable } from '../multicam/speech-media.js';
import { CAMERA_B_OFFSET_MS, conversationCameras, SWITCH_MS } from './cameras.js';

test(
  'auto-cut of two cameras renders, showing A while A is louder and B after',
  { skip: !speechAvailable() },
  async () => {
    const services = await makeServices();
    try {
      const ctx = await services.tenant();
      const { a, b } = await conversationCameras();
      const camA = (await services.assets.registerAsset(ctx, { source: { path: a } })).asset;
      const camB = (await services.assets.registerAsset(ctx, { source: { path: b } })).asset;
      const result = await autoCut(services, ctx, {
        asset_ids: [camA.id, camB.id],
        offsets_ms: { [camA.id]: 0, [camB.id]: CAMERA_B_OFFSET_MS },
        pacing: 'medium',
        faces: 'none',
      });
      const shots = result.timeline.tracks[0]!;
      assert.equal(shots.kind, 'video');
      // The span both cameras cover starts at B's start: timeline 0 = common 700 ms.
      assert.equal(result.plan.common_start_ms, CAMERA_B_OFFSET_MS);
      assert.equal(result.plan.shots[0]!.asset_id, camA.id);
      assert.equal(result.plan.shots.at(-1)!.asset_id, camB.id);
      const cut = result.plan.shots.find((s) => s.asset_id === camB.id)!.start_ms + CAMERA_B_OFFSET_MS;
      assert.ok(Math.abs(cut - SWITCH_MS) <= 1000, `cut to B at common ${cut} ms`);
      assert.equal(result.timeline.multicam?.offsets_ms[camB.id], CAMERA_B_OFFSET_MS);
      assert.equal(
        (result.timeline.multicam?.scoring as { scoring_version: string }).scoring_version,
        'autocut-dp-2',
      );
      assert.ok(result.project, 'saved as a project');
      const saved = await services.projects.getProject(ctx, result.project.id);
      assert.deepEqual(saved.document.sequences[0], result.timeline);

      // Same inputs → the same timeline; a missing region summary is a warning, not a silent gap.
      const again = await autoCut(services, ctx, {
        asset_ids: [camA.id, camB.id],
        offsets_ms: { [camA.id]: 0, [camB.id]: CAMERA_B_OFFSET_MS },
        pacing: 'medium',
        faces: 'latest',
        save_project: false,
      });
      assert.equal(again.project, null);
      assert.deepEqual(again.plan.shots, result.plan.shots);
      const missing = again.warnings.filter(
        (w) => w.code === 'ASSIST_INPUT_MISSING' && /region summary/.test(w.message),
      );
      assert.equal(missing.length, 2, JSON.stringify(again.warnings));

      // Without offsets the cameras are aligned first (multicam engine, GCC-PHAT) and the alignment is recorded.
      const aligned = await autoCut(services, ctx, {
        asset_ids: [camA.id, camB.id],
        faces: 'none',
        save_project: false,
      });
      assert.ok(aligned.timeline.multicam?.alignment_artifact_id);
      const found = aligned.timeline.multicam.offsets_ms[camB.id]!;
      assert.ok(Math.abs(found - CAMERA_B_OFFSET_MS) <= 2, `aligned offset ${found}`);
      assert.deepEqual(
        aligned.plan.shots.map((x) => x.asset_id),
        result.plan.shots.map((x) => x.asset_id),
      );

      const out = join(services.dataDir, 'autocut.mp4');
      await renderToFile({ services, ctx, timeline: result.timeline, profile: 'draft_360p', output: out });
      const dur = await durationMs(out);
      assert.ok(
        Math.abs(dur - result.plan.duration_ms) <= 70,
        `duration ${dur} vs ${result.plan.duration_ms}`,
      );
      assert.equal(await hasAudio(out), true);
      // Timeline 1.5 s = common 2.2 s (A loud): red; timeline 7.5 s = common 8.2 s (B loud): blue.
      const early = await sampleColor({ file: out, tMs: 1500, x: 320, y: 180 });
      const late = await sampleColor({ file: out, tMs: 7500, x: 320, y: 180 });
      assert.ok(early.r > 180 && early.b < 80, `early ${JSON.stringify(early)}`);
      assert.ok(late.b > 180 && late.r < 80, `late ${JSON.stringify(late)}`);
      await rm(out, { force: true });
    } finally {
      await services.dispose();
    }
  },
);
