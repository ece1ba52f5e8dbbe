// analyzeStabilise through the real registry (SQLite + local store), and its HTTP route.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { text } from 'node:stream/consumers';
import { analyzeStabilise } from '../../../src/engines/stabilise/service.js';
import { stabiliseRoutes } from '../../../src/engines/stabilise/routes.js';
import { isCutroomError } from '../../../src/errors.js';
import { buildApp } from '../../../src/http/index.js';
import { makeServices } from '../../media/setup.js';
import { diverExcerpt, skipNoDiver } from '../../plan/stabilise/fixtures.js';
import { pngImage } from '../../helpers/media.js';

test(
  'a stabilise_transforms artifact is made once, cached per params, and carries provenance',
  {
    skip: skipNoDiver,
  },
  async () => {
    const services = await makeServices({ memory: true });
    try {
      const ctx = await services.tenant();
      const { asset } = await services.assets.registerAsset(ctx, { source: { path: await diverExcerpt() } });
      const first = await analyzeStabilise(services, ctx, { asset_id: asset.id });
      assert.equal(first.cached, false);
      assert.equal(first.artifact.kind, 'stabilise_transforms');
      const meta = first.artifact.meta;
      assert.match(String(meta.backend_version), /^vidstab-\d/);
      assert.equal(meta.model_used, 'vidstabdetect');
      assert.equal(meta.cache_key, first.artifact.cache_key);
      assert.ok(Number.isInteger(meta.duration_ms));
      assert.deepEqual(meta.params, {
        shakiness: 5,
        accuracy: 15,
        stepsize: 6,
        mincontrast: 0.25,
        tripod: false,
      });
      const trf = await text((await services.artifacts.artifactContent(ctx, first.artifact.id)).stream);
      assert.match(trf, /^VID\.STAB 1/);
      // One line per source frame (4 s at 25 fps), numbered from 1.
      const frames = trf.split('\n').filter((l) => l.startsWith('Frame '));
      assert.equal(frames.length, 100);
      assert.match(frames[0]!, /^Frame 1 /);

      const again = await analyzeStabilise(services, ctx, { asset_id: asset.id, shakiness: 5 });
      assert.equal(again.cached, true, 'defaults spelled out hit the same cache entry');
      assert.equal(again.artifact.id, first.artifact.id);
      const other = await analyzeStabilise(services, ctx, { asset_id: asset.id, shakiness: 8 });
      assert.equal(other.cached, false);
      assert.notEqual(other.artifact.cache_key, first.artifact.cache_key);

      // Another tenant cannot reach the asset.
      const stranger = await services.tenant();
      await assert.rejects(analyzeStabilise(services, stranger, { asset_id: asset.id }), (e: unknown) =>
        isCutroomError(e, 'ASSET_NOT_FOUND'),
      );
    } finally {
      await services.dispose();
    }
  },
);

test('bad parameters and still images are refused with coded errors', async () => {
  const services = await makeServices({ memory: true });
  try {
    const ctx = await services.tenant();
    const { asset } = await services.assets.registerAsset(ctx, { source: { path: await pngImage() } });
    await assert.rejects(
      analyzeStabilise(services, ctx, { asset_id: asset.id, shakiness: 11, mincontrast: 2 }),
      (e: unknown) =>
        isCutroomError(e, 'INVALID_PARAM') && /shakiness/.test(e.message) && /mincontrast/.test(e.message),
    );
    await assert.rejects(analyzeStabilise(services, ctx, { asset_id: asset.id }), (e: unknown) =>
      isCutroomError(e, 'UNSUPPORTED_MEDIA'),
    );
  } finally {
    await services.dispose();
  }
});

test(
  'POST /video/stabilise/analyze returns the artifact, then the cached one',
  { skip: skipNoDiver },
  async () => {
    const services = await makeServices({ memory: true });
    const ctx = await services.tenant('dev', 'tstab');
    const key = (await services.tenants.createApiKey({ tenantId: 'tstab' })).key;
    const app = await buildApp({ services, extraRoutes: [stabiliseRoutes] });
    try {
      const { asset } = await services.assets.registerAsset(ctx, { source: { path: await diverExcerpt() } });
      const headers = { authorization: `Bearer ${key}`, 'x-env': 'dev' };
      const r1 = await app.inject({
        method: 'POST',
        url: '/video/stabilise/analyze',
        headers,
        payload: { asset_id: asset.id },
      });
      assert.equal(r1.statusCode, 200, r1.body);
      const b1 = r1.json() as { artifact: { id: string; kind: string }; cached: boolean };
      assert.equal(b1.artifact.kind, 'stabilise_transforms');
      assert.equal(b1.cached, false);
      const r2 = await app.inject({
        method: 'POST',
        url: '/video/stabilise/analyze',
        headers,
        payload: { asset_id: asset.id },
      });
      assert.equal((r2.json() as { cached: boolean; artifact: { id: string } }).artifact.id, b1.artifact.id);
      assert.equal((r2.json() as { cached: boolean }).cached, true);
      const bad = await app.inject({
        method: 'POST',
        url: '/video/stabilise/analyze',
        headers,
        payload: { asset_id: asset.id, accuracy: 99 },
      });
      assert.equal(bad.statusCode, 400);
      assert.equal((bad.json() as { error: { code: string } }).error.code, 'INVALID_PARAM');
    } finally {
      await app.close();
      await services.dispose();
    }
  },
);
