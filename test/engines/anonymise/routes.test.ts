// The regions and anonymise routes through the real app (buildApp + extraRoutes) with app.inject().
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { anonymiseRoutes } from '../../../src/engines/anonymise/routes.js';
import { regionsRoutes } from '../../../src/engines/regions/routes.js';
import { selectFaceBackend } from '../../../src/engines/regions/select-backend.js';
import { buildApp } from '../../../src/http/index.js';
import { createServices } from '../../../src/media/services.js';
import { frameCount, probeJson } from '../../helpers/media.js';

const MESSI = '/usr/share/doc/opencv-doc/examples/data/messi5.jpg';
const real = await selectFaceBackend();
const skip = !existsSync(MESSI)
  ? 'opencv-doc examples missing'
  : real.backend.stub
    ? 'BlazeFace model missing'
    : false;

test('POST /video/regions, GET /video/regions/:id, POST /video/anonymise/faces', { skip }, async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'cutroom-regions-http-'));
  const services = await createServices({ dataDir });
  const app = await buildApp({ services, extraRoutes: [regionsRoutes, anonymiseRoutes] });
  try {
    await app.ready();
    await services.tenants.createTenant({ id: 'ta', envs: ['dev'] });
    await services.tenants.createTenant({ id: 'tb', envs: ['dev'] });
    const keyA = (await services.tenants.createApiKey({ tenantId: 'ta' })).key;
    const keyB = (await services.tenants.createApiKey({ tenantId: 'tb' })).key;
    const a = { authorization: `Bearer ${keyA}`, 'x-env': 'dev' };
    const b = { authorization: `Bearer ${keyB}`, 'x-env': 'dev' };
    const ctxA = { tenantId: 'ta', env: 'dev', requestId: 'r1' };
    const { asset } = await services.assets.registerAsset(ctxA, { source: { path: MESSI } });

    const res = await app.inject({
      method: 'POST',
      url: '/video/regions',
      headers: a,
      payload: { asset_id: asset.id, include_regions: ['eyes'], mask: { include_regions: ['face', 'eyes'] } },
    });
    assert.equal(res.statusCode, 200, res.body);
    const body = res.json();
    assert.equal(body.artifact.kind, 'video_region_summary');
    assert.equal(body.cached, false);
    assert.deepEqual(body.warnings, []);
    assert.equal(body.mask.artifact.kind, 'mask');
    assert.deepEqual(body.mask.artifact.meta.include_regions, ['face', 'eyes']);
    const maskPath = await services.artifacts.artifactPath(ctxA, body.mask.artifact.id);
    assert.equal(await frameCount(maskPath), 1, 'a still image gets a one-frame mask');
    const maskStream = (await probeJson(maskPath)).streams[0]!;
    assert.equal(maskStream.width, asset.media_info.video!.display_width);

    const got = await app.inject({ method: 'GET', url: `/video/regions/${body.artifact.id}`, headers: a });
    assert.equal(got.statusCode, 200);
    const summary = got.json();
    assert.equal(summary.samples[0].faces.length, 1);
    assert.ok(summary.samples[0].faces[0].regions.eyes);

    // Tenant B sees nothing of tenant A.
    const hidden = await app.inject({ method: 'GET', url: `/video/regions/${body.artifact.id}`, headers: b });
    assert.equal(hidden.statusCode, 404);
    assert.equal(hidden.json().error.code, 'ARTIFACT_NOT_FOUND');
    const foreign = await app.inject({
      method: 'POST',
      url: '/video/regions',
      headers: b,
      payload: { asset_id: asset.id },
    });
    assert.equal(foreign.statusCode, 404);
    assert.equal(foreign.json().error.code, 'ASSET_NOT_FOUND');

    const bad = await app.inject({
      method: 'POST',
      url: '/video/regions',
      headers: a,
      payload: { asset_id: asset.id, interval_ms: 5 },
    });
    assert.equal(bad.statusCode, 400);
    assert.equal(bad.json().error.code, 'INVALID_PARAM');
    const badRegion = await app.inject({
      method: 'POST',
      url: '/video/regions',
      headers: a,
      payload: { asset_id: asset.id, include_regions: ['nose'] },
    });
    assert.equal(badRegion.statusCode, 400);

    // Anonymise with the summary: a PNG with the face boxed; tenant B cannot use A's summary id.
    const anon = await app.inject({
      method: 'POST',
      url: '/video/anonymise/faces',
      headers: a,
      payload: { asset_id: asset.id, summary_id: body.artifact.id, method: 'box' },
    });
    assert.equal(anon.statusCode, 200, anon.body);
    const out = anon.json();
    assert.equal(out.artifact.kind, 'anonymised_video');
    assert.equal(out.summary_id, body.artifact.id);
    assert.equal(out.artifact.meta.method, 'box');
    assert.match(out.artifact.storage_key, /\/anonymised\/.+\.png$/);
    assert.equal(out.asset_id, undefined, 'no asset unless asked');

    // as_asset: the blurred picture becomes an asset of its own (for a timeline clip), with the artifact's bytes;
    // asking again gives the same asset, and another tenant cannot see it.
    const asAsset = async () =>
      app.inject({ method: 'POST', url: '/video/anonymise/faces', headers: a, payload: { asset_id: asset.id, summary_id: body.artifact.id, method: 'box', as_asset: true } });
    const first = await asAsset();
    assert.equal(first.statusCode, 200, first.body);
    const blurredId = first.json().asset_id as string;
    assert.ok(blurredId && blurredId !== asset.id);
    const blurred = await services.assets.getAsset(ctxA, blurredId);
    assert.equal(blurred.kind, 'image');
    assert.match(blurred.original_filename, /\(faces hidden\)\.png$/);
    const artifactBytes = readFileSync(await services.artifacts.artifactPath(ctxA, out.artifact.id));
    assert.ok(readFileSync(await services.assets.assetPath(ctxA, blurredId)).equals(artifactBytes), 'the asset is the anonymised picture');
    assert.equal((await asAsset()).json().asset_id, blurredId);
    const peek = await app.inject({ method: 'GET', url: `/media-v2/assets/${blurredId}`, headers: b });
    assert.equal(peek.statusCode, 404);
    const { asset: assetB } = await services.assets.registerAsset(
      { tenantId: 'tb', env: 'dev', requestId: 'r2' },
      { source: { path: MESSI } },
    );
    const stolen = await app.inject({
      method: 'POST',
      url: '/video/anonymise/faces',
      headers: b,
      payload: { asset_id: assetB.id, summary_id: body.artifact.id },
    });
    assert.equal(stolen.statusCode, 404);
    assert.equal(stolen.json().error.code, 'ARTIFACT_NOT_FOUND');
    const badMethod = await app.inject({
      method: 'POST',
      url: '/video/anonymise/faces',
      headers: a,
      payload: { asset_id: asset.id, method: 'smear' },
    });
    assert.equal(badMethod.statusCode, 400);
  } finally {
    await app.close();
    await services.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
