// Stabilise (vid.stab transforms artifact, source decoded from frame 0 then trimmed) and slow motion
// (interpolation between setpts and fps): real renders, checked on the output.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ffmpegPath } from '../../src/ffmpeg/binaries.js';
import { compile } from '../../src/plan/compile.js';
import type { PlanArtifact } from '../../src/plan/types.js';
import { durationMs, frameCount, testsrcClip } from '../helpers/media.js';
import { realSource, runPlan, tempDir, timeline } from './helpers/plan-fixtures.js';
import { makeMask } from './helpers/region-mask.js';

function detectTransforms(src: string, trf: string): void {
  const r = spawnSync(ffmpegPath(), [
    '-v',
    'error',
    '-i',
    src,
    '-vf',
    `vidstabdetect=result=${trf}:shakiness=5`,
    '-f',
    'null',
    '-',
  ]);
  if (r.status !== 0) throw new Error(r.stderr.toString());
}

test('a stabilised clip renders from its transforms; the plan lists the artifact; no input seek', async () => {
  const tmp = tempDir('stab');
  try {
    const src = await testsrcClip({ durationMs: 2000 });
    const trf = join(tmp.dir, 'cam.trf');
    detectTransforms(src, trf);
    const artifact: PlanArtifact = {
      id: 'st1',
      kind: 'stabilise_transforms',
      asset_id: 'cam',
      backend_version: 'vidstab-test',
      cache_key: 'ck-st',
      path: trf,
      meta: { params: { tripod: false } },
    };
    const tl = timeline({
      tracks: [
        {
          id: 'v',
          kind: 'video',
          clips: [{ id: 'c', asset_id: 'cam', start_ms: 0, in_ms: 500, out_ms: 1500, stabilise: true }],
        },
      ],
    });
    const plan = compile({
      timeline: tl,
      sources: { cam: realSource('cam', src) },
      artifacts: { st1: artifact },
      profile: 'draft_360p',
    });
    assert.match(plan.filtergraph, /vidstabtransform=input=/);
    assert.match(plan.filtergraph, /trim=start=0\.5/);
    assert.ok(!plan.inputs[0]!.options.includes('-ss'), 'decoded from source frame 0');
    assert.deepEqual(
      plan.meta.dependency_notices.map((d) => [d.kind, d.artifact_id, d.cache_key]),
      [['stabilise_transforms', 'st1', 'ck-st']],
    );
    assert.equal((plan.meta.stabilise_details as unknown[]).length, 1);
    assert.ok(!plan.warnings.some((w) => w.code === 'STABILISE_TRANSFORMS_MISSING'));
    const file = join(tmp.dir, 's.mp4');
    runPlan(plan, file);
    assert.equal(await frameCount(file), 30);

    const missing = compile({
      timeline: tl,
      sources: { cam: realSource('cam', src) },
      profile: 'draft_360p',
    });
    assert.equal(
      missing.warnings.find((w) => w.code === 'STABILISE_TRANSFORMS_MISSING')?.path,
      'tracks[0].clips[0].stabilise',
    );
    assert.equal((missing.meta.stabilise_warnings as unknown[]).length, 1);
    assert.ok(!missing.filtergraph.includes('vidstab'));
  } finally {
    tmp.cleanup();
  }
});

test('slow motion: duration = source duration / speed to the frame, with interpolation', async () => {
  const tmp = tempDir('slowmo');
  try {
    const src = await testsrcClip({ durationMs: 2000, fps: 15 });
    for (const quality of ['fast', 'medium'] as const) {
      const plan = compile({
        timeline: timeline({
          tracks: [
            {
              id: 'v',
              kind: 'video',
              clips: [
                {
                  id: 'c',
                  asset_id: 'cam',
                  start_ms: 0,
                  in_ms: 0,
                  out_ms: 1000,
                  speed: 0.5,
                  slowmo_quality: quality,
                },
              ],
            },
          ],
        }),
        sources: { cam: realSource('cam', src) },
        profile: 'draft_360p',
      });
      const details = plan.meta.slowmo_details as Array<{ method: string; quality: string }>;
      assert.equal(details[0]?.quality, quality);
      assert.equal(details[0]?.method, quality === 'fast' ? 'blend' : 'mci_obmc_half');
      assert.match(plan.filtergraph, quality === 'fast' ? /framerate=fps=30/ : /minterpolate=/);
      const file = join(tmp.dir, `${quality}.mp4`);
      runPlan(plan, file);
      // 1000 ms of source at 0.5 = 2000 ms = 60 frames at 30 fps.
      const frames = await frameCount(file);
      assert.ok(Math.abs(frames - 60) <= 1, `60 ± 1 frames, got ${frames}`);
      assert.ok(Math.abs((await durationMs(file, 'video')) - 2000) <= 34);
    }
  } finally {
    tmp.cleanup();
  }
});

test('stabilise + face_blur + fast slow motion together render (mask stabilised and trimmed like the clip)', async () => {
  const tmp = tempDir('motion-region');
  try {
    const src = await testsrcClip({ durationMs: 2000 });
    const trf = join(tmp.dir, 'cam.trf');
    detectTransforms(src, trf);
    const maskFile = join(tmp.dir, 'mask.mp4');
    makeMask(maskFile);
    const plan = compile({
      timeline: timeline({
        tracks: [
          {
            id: 'v',
            kind: 'video',
            clips: [
              {
                id: 'c',
                asset_id: 'cam',
                start_ms: 0,
                in_ms: 500,
                out_ms: 1500,
                stabilise: true,
                filters: [{ type: 'face_blur' }],
              },
              {
                id: 'd',
                asset_id: 'cam',
                start_ms: 1000,
                in_ms: 0,
                out_ms: 500,
                speed: 0.5,
                slowmo_quality: 'fast',
                filters: [{ type: 'face_blur' }],
              },
            ],
          },
        ],
      }),
      sources: { cam: realSource('cam', src) },
      artifacts: {
        st1: {
          id: 'st1',
          kind: 'stabilise_transforms',
          asset_id: 'cam',
          backend_version: 'vidstab-test',
          cache_key: 'ck-st',
          path: trf,
          meta: {},
        },
        m1: {
          id: 'm1',
          kind: 'mask',
          asset_id: 'cam',
          backend_version: 'test',
          cache_key: 'ck-m',
          path: maskFile,
          meta: {},
        },
      },
      profile: 'draft_360p',
    });
    assert.deepEqual(
      plan.meta.dependency_notices.map((d) => d.artifact_id),
      ['m1', 'st1'],
    );
    // The mask input is decoded like the stabilised clip input: from frame 0, no seek.
    const maskInput = plan.inputs.find((i) => i.path === maskFile)!;
    assert.deepEqual(maskInput.options, plan.inputs[0]!.options);
    const file = join(tmp.dir, 'm.mp4');
    runPlan(plan, file);
    assert.equal(await frameCount(file), 60);
  } finally {
    tmp.cleanup();
  }
});
