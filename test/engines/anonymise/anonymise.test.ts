// anonymiseFaces on real footage: faces hidden on every frame, the rest of the picture untouched, audio kept.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { anonymiseFaces } from '../../../src/engines/anonymise/service.js';
import { boxesAtFrame } from '../../../src/engines/regions/boxes-at-frame.js';
import { loadRegionSummary } from '../../../src/engines/regions/load-summary.js';
import { selectFaceBackend } from '../../../src/engines/regions/select-backend.js';
import type { Box, RegionSummary } from '../../../src/engines/regions/types.js';
import { isCutroomError } from '../../../src/errors.js';
import { durationMs, frameCount, hasAudio, testsrcClip } from '../../helpers/media.js';
import { makeServices, type TestServices } from '../../media/setup.js';
import { decodeAll, laplacianVariance, psnr, stdDev, type Rect } from '../regions/frames.js';
import { MEGAMIND, PAN } from '../regions/moving-face.js';
import { faceClipWithAudio } from './face-clip.js';

const real = await selectFaceBackend();
const skipReal = !existsSync(MEGAMIND)
  ? 'opencv-doc examples missing'
  : real.backend.stub
    ? 'BlazeFace model missing (bash scripts/fetch-models.sh)'
    : false;

const W = PAN.width;
const H = PAN.height;

/** The inner 60% of a face box in pixels: inside the mask's fully white core. */
function inner(b: Box): Rect {
  const cx = (b.x + b.w / 2) * W;
  const cy = (b.y + b.h / 2) * H;
  const hw = (b.w * W * 0.6) / 2;
  const hh = (b.h * H * 0.6) / 2;
  return {
    x0: Math.round(cx - hw),
    y0: Math.round(cy - hh),
    x1: Math.round(cx + hw),
    y1: Math.round(cy + hh),
  };
}

/** A 48×48 square in the frame corner farthest from every face. */
function farSquare(faces: Box[]): Rect {
  const corners: Rect[] = [
    { x0: 0, y0: 0, x1: 48, y1: 48 },
    { x0: W - 48, y0: 0, x1: W, y1: 48 },
    { x0: 0, y0: H - 48, x1: 48, y1: H },
    { x0: W - 48, y0: H - 48, x1: W, y1: H },
  ];
  const dist = (r: Rect) =>
    Math.min(
      ...faces.map(
        (b) =>
          Math.hypot((r.x0 + 24) / W - (b.x + b.w / 2), (r.y0 + 24) / H - (b.y + b.h / 2)) /
          Math.max(b.w, b.h),
      ),
    );
  return corners.sort((a, b) => dist(b) - dist(a))[0]!;
}

async function setup(): Promise<{
  services: TestServices;
  summary: RegionSummary;
  summaryId: string;
  assetId: string;
  clip: string;
}> {
  const services = await makeServices({ memory: true });
  const ctx = await services.tenant('dev', 'tanon');
  const clip = faceClipWithAudio();
  const { asset } = await services.assets.registerAsset(ctx, { source: { path: clip } });
  const first = await anonymiseFaces(services, ctx, { asset_id: asset.id }, { backend: real });
  const { summary } = await loadRegionSummary(services, ctx, first.summary_id);
  return { services, summary, summaryId: first.summary_id, assetId: asset.id, clip };
}

test(
  'blur and box hide the face on every checked frame and leave the rest alone',
  { skip: skipReal },
  async () => {
    const { services, summary, summaryId, assetId, clip } = await setup();
    try {
      const ctx = await services.tenant('dev', 'tanon');
      // The first call (in setup) analysed the asset; asking again is the cached artifact.
      const blurred = await anonymiseFaces(services, ctx, { asset_id: assetId }, { backend: real });
      assert.equal(blurred.cached, true);
      assert.equal(blurred.summary_id, summaryId);
      const meta = blurred.artifact.meta;
      assert.equal(blurred.artifact.kind, 'anonymised_video');
      assert.equal(meta.method, 'blur');
      assert.equal(meta.strength, 'medium');
      assert.equal(meta.summary_id, summaryId);
      assert.match(String(meta.backend_version), /^anonymise-1\+blazeface/);
      assert.equal(meta.skipped, undefined);

      const out = await services.artifacts.artifactPath(ctx, blurred.artifact.id);
      assert.equal(await frameCount(out), await frameCount(clip));
      assert.ok(await hasAudio(out), 'audio carried over');
      assert.ok(Math.abs((await durationMs(out, 'audio')) - (await durationMs(clip, 'audio'))) <= 25);

      const boxed = await anonymiseFaces(
        services,
        ctx,
        { asset_id: assetId, summary_id: summaryId, method: 'box' },
        { backend: real },
      );
      assert.equal(boxed.cached, false);
      assert.deepEqual(boxed.warnings, []);
      const boxOut = await services.artifacts.artifactPath(ctx, boxed.artifact.id);

      const src = await decodeAll({ path: clip, width: W, height: H, pixFmt: 'gray' });
      const blur = await decodeAll({ path: out, width: W, height: H, pixFmt: 'gray' });
      const box = await decodeAll({ path: boxOut, width: W, height: H, pixFmt: 'gray' });
      assert.equal(blur.length, src.length);
      const lastMs = summary.samples.at(-1)!.t_ms;
      for (const i of [0, 12, 25, 37, src.length - 1]) {
        const faces = boxesAtFrame(summary, { tMs: Math.min(lastMs, (i * 1000) / summary.fps) }).map(
          (f) => f.box,
        );
        assert.ok(faces.length >= 1, `faces at frame ${i}`);
        for (const face of faces) {
          const r = inner(face);
          const before = laplacianVariance(src[i]!.data, W, r);
          const after = laplacianVariance(blur[i]!.data, W, r);
          // Detail (Laplacian variance) mostly gone; what is left is the encoder's noise, which weighs more
          // on a smooth face (the CG character) than on the large detailed one.
          const limit = faces.every((o) => o.h <= face.h) ? 0.1 : 0.3;
          assert.ok(
            after < before * limit,
            `frame ${i}: face detail ${after.toFixed(1)} vs source ${before.toFixed(1)}`,
          );
          assert.ok(stdDev(box[i]!.data, W, r) < 2, `frame ${i}: boxed face is one flat colour`);
        }
        const far = farSquare(faces);
        assert.ok(
          psnr(src[i]!.data, blur[i]!.data, W, far) > 38,
          `frame ${i}: far from faces unchanged (blur)`,
        );
        assert.ok(
          psnr(src[i]!.data, box[i]!.data, W, far) > 38,
          `frame ${i}: far from faces unchanged (box)`,
        );
      }
    } finally {
      await services.dispose();
    }
  },
);

test(
  'pixelate makes the face blocky; a summary of another tenant is ARTIFACT_NOT_FOUND',
  { skip: skipReal },
  async () => {
    const { services, summary, summaryId, assetId, clip } = await setup();
    try {
      const ctx = await services.tenant('dev', 'tanon');
      const pix = await anonymiseFaces(
        services,
        ctx,
        { asset_id: assetId, method: 'pixelate', strength: 'strong' },
        { backend: real },
      );
      const block = Number(pix.artifact.meta.block_px);
      assert.ok(block >= 4);
      const out = await services.artifacts.artifactPath(ctx, pix.artifact.id);
      const src = await decodeAll({ path: clip, width: W, height: H, pixFmt: 'gray' });
      const got = await decodeAll({ path: out, width: W, height: H, pixFmt: 'gray' });
      const face = boxesAtFrame(summary, { frameIndex: 20 })[0]!.box;
      const r = inner(face);
      assert.ok(laplacianVariance(got[20]!.data, W, r) !== laplacianVariance(src[20]!.data, W, r));
      assert.ok(psnr(src[20]!.data, got[20]!.data, W, r) < 30, 'the face area changed');

      // Another tenant, same env, and the same tenant in another env: the summary id does not exist for them.
      const other = await services.tenant('dev');
      const { asset } = await services.assets.registerAsset(other, { source: { path: clip } });
      await assert.rejects(
        anonymiseFaces(services, other, { asset_id: asset.id, summary_id: summaryId }),
        (e: unknown) => isCutroomError(e, 'ARTIFACT_NOT_FOUND'),
      );
      const prod = await services.tenant('prod', 'tanon');
      await assert.rejects(
        anonymiseFaces(services, prod, { asset_id: assetId, summary_id: summaryId }),
        (e: unknown) => isCutroomError(e, 'ASSET_NOT_FOUND') || isCutroomError(e, 'ARTIFACT_NOT_FOUND'),
      );
      await assert.rejects(
        anonymiseFaces(services, ctx, { asset_id: assetId, method: 'smudge' as 'blur' }),
        (e: unknown) => isCutroomError(e, 'INVALID_PARAM'),
      );
      const boxStrength = await anonymiseFaces(
        services,
        ctx,
        { asset_id: assetId, method: 'box', strength: 'light' },
        { backend: real },
      );
      assert.deepEqual(
        boxStrength.warnings.map((w) => w.code),
        ['ANONYMISE_STRENGTH_IGNORED'],
      );
    } finally {
      await services.dispose();
    }
  },
);

test('no faces: skipped, nothing re-encoded', { skip: skipReal }, async () => {
  const services = await makeServices({ memory: true });
  try {
    const ctx = await services.tenant();
    const clip = await testsrcClip({ durationMs: 1000, width: 320, height: 240 });
    const { asset } = await services.assets.registerAsset(ctx, { source: { path: clip } });
    const res = await anonymiseFaces(services, ctx, { asset_id: asset.id }, { backend: real });
    assert.equal(res.artifact.meta.skipped, true);
    assert.equal(res.artifact.meta.reason, 'no_faces');
    assert.equal(res.artifact.meta.source_asset_id, asset.id);
    assert.equal(res.artifact.storage_key, null, 'no content: the source is the result');
  } finally {
    await services.dispose();
  }
});
