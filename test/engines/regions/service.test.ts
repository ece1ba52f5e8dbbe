// analyzeRegions through the real media registry (SQLite + local store in a temp dir).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { text } from 'node:stream/consumers';
import { analyzeRegions } from '../../../src/engines/regions/service.js';
import { selectFaceBackend } from '../../../src/engines/regions/select-backend.js';
import type { RegionSummary } from '../../../src/engines/regions/types.js';
import { isCutroomError } from '../../../src/errors.js';
import { makeServices } from '../../media/setup.js';

const MESSI = '/usr/share/doc/opencv-doc/examples/data/messi5.jpg';
const real = await selectFaceBackend();
const skipReal = !existsSync(MESSI)
  ? 'opencv-doc examples missing'
  : real.backend.stub
    ? 'BlazeFace model missing (bash scripts/fetch-models.sh)'
    : false;

test(
  'a region summary artifact is made once, cached, and carries its provenance',
  { skip: skipReal },
  async () => {
    const services = await makeServices({ memory: true });
    try {
      const ctx = await services.tenant();
      const { asset } = await services.assets.registerAsset(ctx, { source: { path: MESSI } });
      const first = await analyzeRegions(
        services,
        ctx,
        { asset_id: asset.id, include_regions: ['mouth', 'eyes'] },
        { backend: real },
      );
      assert.equal(first.cached, false);
      assert.deepEqual(first.warnings, []);
      const meta = first.artifact.meta;
      assert.equal(first.artifact.kind, 'video_region_summary');
      assert.equal(meta.backend_version, real.backend.version);
      assert.match(String(meta.model_used), /face_detection_back_256x256/);
      assert.equal(meta.cache_key, first.artifact.cache_key);
      assert.equal(meta.frame_sample_interval_ms, 200);
      assert.deepEqual(meta.include_regions, ['face', 'eyes', 'mouth']);
      assert.equal(meta.stub, undefined);
      assert.ok(Number.isInteger(meta.duration_ms));
      const summary = JSON.parse(
        await text((await services.artifacts.artifactContent(ctx, first.artifact.id)).stream),
      ) as RegionSummary;
      assert.equal(summary.width, 548);
      assert.equal(summary.samples[0]!.faces.length, 1);
      assert.ok(summary.samples[0]!.faces[0]!.regions.eyes);

      // Same request, regions listed in another order: the stored artifact, not a new analysis.
      const again = await analyzeRegions(
        services,
        ctx,
        { asset_id: asset.id, include_regions: ['eyes', 'mouth'] },
        { backend: real },
      );
      assert.equal(again.cached, true);
      assert.equal(again.artifact.id, first.artifact.id);
      // Another parameter: another artifact.
      const other = await analyzeRegions(
        services,
        ctx,
        { asset_id: asset.id, min_confidence: 0.8 },
        { backend: real },
      );
      assert.equal(other.cached, false);
      assert.notEqual(other.artifact.cache_key, first.artifact.cache_key);

      // Another tenant cannot use the asset id.
      const intruder = await services.tenant();
      await assert.rejects(
        analyzeRegions(services, intruder, { asset_id: asset.id }, { backend: real }),
        (e: unknown) => isCutroomError(e, 'ASSET_NOT_FOUND'),
      );
    } finally {
      await services.dispose();
    }
  },
);

test('the stub backend yields stub: true in meta and a warning, also on a cache hit', async () => {
  const services = await makeServices({ memory: true });
  try {
    const ctx = await services.tenant();
    const { pngImage } = await import('../../helpers/media.js');
    const { asset } = await services.assets.registerAsset(ctx, { source: { path: await pngImage({}) } });
    const stub = await selectFaceBackend({ modelsDir: '/nonexistent', env: {} });
    const first = await analyzeRegions(services, ctx, { asset_id: asset.id }, { backend: stub });
    assert.equal(first.artifact.meta.stub, true);
    assert.equal(first.artifact.meta.backend_version, 'stub-1');
    assert.deepEqual(
      first.warnings.map((w) => w.code),
      ['REGIONS_STUB_BACKEND'],
    );
    const again = await analyzeRegions(services, ctx, { asset_id: asset.id }, { backend: stub });
    assert.equal(again.cached, true);
    assert.deepEqual(
      again.warnings.map((w) => w.code),
      ['REGIONS_STUB_BACKEND'],
    );
  } finally {
    await services.dispose();
  }
});
