import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import type { RequestContext } from '../../src/context.js';
import { isCutroomError } from '../../src/errors.js';
import { ARTIFACT_KINDS } from '../../src/media/artifact-kinds.js';
import type { Asset } from '../../src/media/assets.js';
import { cacheKey } from '../../src/media/cache-key.js';
import { createServices } from '../../src/media/services.js';
import { pngImage } from '../helpers/media.js';
import { dialects, makeServices, type TestServices } from './setup.js';

let png: string;
before(async () => {
  png = await pngImage({ color: '#00FF00' });
});

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

function metaFor(ctx: RequestContext, extra: Record<string, unknown> = {}) {
  return {
    tenant: ctx.tenantId,
    env: ctx.env,
    cache_key: 'c'.repeat(64),
    backend_version: 'test@1',
    model_used: 'none',
    duration_ms: 12,
    ...extra,
  };
}

test('artifact kinds are exactly the architecture list (+ font, lut)', () => {
  assert.deepEqual([...ARTIFACT_KINDS].sort(), [
    'anonymised_video',
    'asr_transcript',
    'audio_semantic_timeline',
    'filmstrip',
    'focus_automation',
    'font',
    'highlights',
    'lut',
    'mask',
    'multicam_alignment',
    'proxy',
    'render',
    'render_segment',
    'stabilise_transforms',
    'video_region_summary',
    'video_shot_list',
    'visual_meta',
    'waveform',
  ]);
});

for (const dialect of await dialects()) {
  let s: TestServices;
  let a: RequestContext;
  let asset: Asset;

  const setup = async () => {
    s = await makeServices({ dialect });
    a = await s.tenant('dev');
    asset = (await s.assets.registerAsset(a, { source: { path: png } })).asset;
  };

  test(`[${dialect}] setup`, setup);
  after(async () => {
    await s?.dispose();
  });

  test(`[${dialect}] registerArtifact stores content under the asset prefix; content and path read back`, async () => {
    const body = Buffer.from(JSON.stringify({ shots: [0, 1000] }));
    const art = await s.artifacts.registerArtifact(a, {
      assetId: asset.id,
      kind: 'video_shot_list',
      meta: metaFor(a, { frame_sample_interval_ms: 100 }),
      content: body,
      name: 'shots/{artifact_id}.json',
    });
    assert.match(art.id, /^art_[a-z2-7]{20}$/);
    assert.equal(art.storage_key, `tenants/${a.tenantId}/dev/media_v2/${asset.id}/shots/${art.id}.json`);
    assert.equal(art.size_bytes, body.length);
    assert.equal(art.content_hash, createHash('sha256').update(body).digest('hex'));
    assert.equal(art.meta.frame_sample_interval_ms, 100, 'kind-specific fields pass through');
    const content = await s.artifacts.artifactContent(a, art.id);
    assert.equal(content.size, body.length);
    assert.deepEqual(await readAll(content.stream), body);
    assert.deepEqual(await readFile(await s.artifacts.artifactPath(a, art.id)), body);
    assert.deepEqual(await s.artifacts.getArtifact(a, art.id), art);
  });

  test(`[${dialect}] meta missing tenant, cache_key, backend_version → ARTIFACT_META_INVALID naming each`, async () => {
    const before = await s.store.list('');
    await assert.rejects(
      s.artifacts.registerArtifact(a, {
        assetId: asset.id,
        kind: 'visual_meta',
        meta: { env: 'dev', model_used: 'm', duration_ms: 1 },
        content: Buffer.from('x'),
      }),
      (e) => {
        assert.ok(isCutroomError(e, 'ARTIFACT_META_INVALID'));
        assert.deepEqual([...(e.details.missing as string[])].sort(), [
          'backend_version',
          'cache_key',
          'tenant',
        ]);
        for (const f of ['backend_version', 'cache_key', 'tenant']) assert.match(e.message, new RegExp(f));
        return true;
      },
    );
    // Analysis kinds also need model_used and duration_ms; derived kinds (proxy) do not.
    await assert.rejects(
      s.artifacts.registerArtifact(a, {
        assetId: asset.id,
        kind: 'asr_transcript',
        meta: { tenant: a.tenantId, env: 'dev', cache_key: 'd'.repeat(64), backend_version: 'x' },
      }),
      (e) =>
        isCutroomError(e, 'ARTIFACT_META_INVALID') &&
        JSON.stringify([...(e.details.missing as string[])].sort()) === '["duration_ms","model_used"]',
    );
    await assert.rejects(
      s.artifacts.registerArtifact(a, {
        assetId: asset.id,
        kind: 'proxy',
        meta: {
          tenant: a.tenantId,
          env: 'dev',
          cache_key: 'd'.repeat(64),
          backend_version: 'x',
          stub: 'yes',
        },
      }),
      (e) =>
        isCutroomError(e, 'ARTIFACT_META_INVALID') &&
        (e.details.issues as { path: string }[])[0]?.path === 'stub',
    );
    const proxy = await s.artifacts.registerArtifact(a, {
      assetId: asset.id,
      kind: 'proxy',
      meta: { tenant: a.tenantId, env: 'dev', cache_key: 'd'.repeat(64), backend_version: 'x' },
    });
    assert.equal(proxy.storage_key, null);
    // Meta naming another tenant is refused even when complete.
    await assert.rejects(
      s.artifacts.registerArtifact(a, {
        assetId: asset.id,
        kind: 'proxy',
        meta: metaFor({ ...a, tenantId: 'zzz' }),
      }),
      (e) => isCutroomError(e, 'TENANT_MISMATCH'),
    );
    await assert.rejects(
      s.artifacts.registerArtifact(a, { assetId: asset.id, kind: 'bogus' as 'proxy', meta: metaFor(a) }),
      (e) => isCutroomError(e, 'VALIDATION_FAILED'),
    );
    assert.deepEqual(await s.store.list(''), before, 'a refused artifact stored nothing');
  });

  test(`[${dialect}] a key outside the caller's prefix is refused; one inside is accepted`, async () => {
    const b = await s.tenant('dev');
    const before = await s.store.list('');
    const outside = [
      `tenants/${b.tenantId}/dev/media_v2/${asset.id}/x.json`,
      `tenants/${a.tenantId}/prod/media_v2/${asset.id}/x.json`,
      `tenants/${a.tenantId}/dev/media_v2/ast_zzzzzzzzzzzzzzzzzzzz/x.json`,
      `tenants/${a.tenantId}/dev/media_v2/${asset.id}/../../../../${b.tenantId}/dev/media_v2/x/y.json`,
      'elsewhere/x.json',
    ];
    for (const key of outside) {
      await assert.rejects(
        s.artifacts.registerArtifact(a, {
          assetId: asset.id,
          kind: 'render',
          meta: metaFor(a),
          content: Buffer.from('x'),
          key,
        }),
        (e) => isCutroomError(e, 'INVALID_STORAGE_KEY'),
        key,
      );
    }
    assert.deepEqual(await s.store.list(''), before);
    const key = `tenants/${a.tenantId}/dev/media_v2/${asset.id}/renders/job_1.mp4`;
    await s.store.put(key, Buffer.from('rendered'));
    const art = await s.artifacts.registerArtifact(a, {
      assetId: asset.id,
      kind: 'render',
      meta: metaFor(a),
      key,
    });
    assert.equal(art.storage_key, key);
    assert.equal(art.size_bytes, 8);
    await assert.rejects(
      s.artifacts.registerArtifact(a, {
        assetId: asset.id,
        kind: 'render',
        meta: metaFor(a),
        key: `tenants/${a.tenantId}/dev/media_v2/${asset.id}/renders/missing.mp4`,
      }),
      (e) => isCutroomError(e, 'OBJECT_NOT_FOUND'),
    );
  });

  test(`[${dialect}] lookupOrCreate produces once, returns the cached artifact, also concurrently`, async () => {
    let calls = 0;
    let workDirSeen = '';
    const input = {
      assetId: asset.id,
      kind: 'visual_meta' as const,
      params: { sample_ms: 500 },
      backendVersion: 'visual-meta@1',
      produce: async ({ workDir, cacheKey: key }: { workDir: string; cacheKey: string }) => {
        calls += 1;
        workDirSeen = workDir;
        const file = join(workDir, 'out.json');
        await writeFile(file, JSON.stringify({ key }));
        await new Promise((r) => setTimeout(r, 20));
        return {
          meta: { model_used: 'farneback', frame_sample_interval_ms: 500 },
          content: { path: file },
          name: 'visual_meta/{artifact_id}.json',
        };
      },
    };
    const results = await Promise.all([1, 2, 3, 4].map(() => s.artifacts.lookupOrCreateArtifact(a, input)));
    assert.equal(calls, 1);
    assert.equal(new Set(results.map((r) => r.artifact.id)).size, 1);
    assert.equal(results.filter((r) => !r.cached).length, 1);
    assert.equal(existsSync(workDirSeen), false, 'workDir removed after produce');
    const art = results[0]!.artifact;
    const expectedKey = cacheKey({
      tenantId: a.tenantId,
      env: 'dev',
      contentHash: asset.content_hash,
      kind: 'visual_meta',
      params: { sample_ms: 500 },
      backendVersion: 'visual-meta@1',
    });
    assert.equal(art.cache_key, expectedKey);
    assert.equal(art.meta.cache_key, expectedKey);
    assert.equal(art.meta.tenant, a.tenantId);
    assert.equal(art.meta.backend_version, 'visual-meta@1');
    assert.equal(typeof art.meta.duration_ms, 'number');
    assert.deepEqual(
      JSON.parse((await readAll((await s.artifacts.artifactContent(a, art.id)).stream)).toString()),
      {
        key: expectedKey,
      },
    );

    const again = await s.artifacts.lookupOrCreateArtifact(a, input);
    assert.equal(calls, 1);
    assert.deepEqual(again, { artifact: art, cached: true });
    // Other params → another key → produced again.
    await s.artifacts.lookupOrCreateArtifact(a, { ...input, params: { sample_ms: 250 } });
    assert.equal(calls, 2);

    // Across a reopen of the database (new process, same data): still cached.
    const reopened = await createServices({ dataDir: s.dataDir, databaseUrl: s.config.databaseUrl });
    try {
      const r = await reopened.artifacts.lookupOrCreateArtifact(a, input);
      assert.equal(calls, 2);
      assert.equal(r.cached, true);
      assert.equal(r.artifact.id, art.id);
    } finally {
      await reopened.close();
    }
    assert.equal(
      (await s.artifacts.latestArtifact(a, { assetId: asset.id, kind: 'visual_meta' }))?.kind,
      'visual_meta',
    );
  });

  test(`[${dialect}] a failing produce registers nothing and the next call retries`, async () => {
    let calls = 0;
    const input = {
      assetId: asset.id,
      kind: 'highlights' as const,
      params: {},
      backendVersion: 'hl@1',
      produce: async () => {
        calls += 1;
        if (calls === 1) throw new Error('model crashed');
        return { meta: { model_used: 'heuristic' }, content: Buffer.from('[]') };
      },
    };
    await assert.rejects(s.artifacts.lookupOrCreateArtifact(a, input), /model crashed/);
    assert.deepEqual(await s.artifacts.listArtifacts(a, { assetId: asset.id, kind: 'highlights' }), []);
    const r = await s.artifacts.lookupOrCreateArtifact(a, input);
    assert.equal(r.cached, false);
    assert.equal(calls, 2);
    // produce that returns incomplete meta (analysis kind without model_used) fails validation, nothing kept.
    await assert.rejects(
      s.artifacts.lookupOrCreateArtifact(a, {
        ...input,
        backendVersion: 'hl@2',
        produce: async () => ({ meta: {}, content: Buffer.from('x') }),
      }),
      (e) => isCutroomError(e, 'ARTIFACT_META_INVALID'),
    );
    assert.equal((await s.artifacts.listArtifacts(a, { kind: 'highlights' })).length, 1);
  });

  test(`[${dialect}] tenant wall: other tenant/env cannot get, list, read or reuse A's artifacts`, async () => {
    const art = await s.artifacts.registerArtifact(a, {
      assetId: asset.id,
      kind: 'mask',
      meta: metaFor(a),
      content: Buffer.from('secret mask'),
    });
    const b = await s.tenant('dev');
    const aProd = { ...a, env: 'prod' };
    for (const ctx of [b, aProd]) {
      await assert.rejects(s.artifacts.getArtifact(ctx, art.id), (e) =>
        isCutroomError(e, 'ARTIFACT_NOT_FOUND'),
      );
      await assert.rejects(s.artifacts.artifactContent(ctx, art.id), (e) =>
        isCutroomError(e, 'ARTIFACT_NOT_FOUND'),
      );
      await assert.rejects(s.artifacts.artifactPath(ctx, art.id), (e) =>
        isCutroomError(e, 'ARTIFACT_NOT_FOUND'),
      );
      assert.deepEqual(await s.artifacts.listArtifacts(ctx), []);
      assert.deepEqual(await s.artifacts.listArtifacts(ctx, { assetId: asset.id }), []);
      assert.equal(await s.artifacts.latestArtifact(ctx, { assetId: asset.id, kind: 'mask' }), null);
      // Registering against A's asset or running A's analysis: the asset does not exist for them.
      await assert.rejects(
        s.artifacts.registerArtifact(ctx, { assetId: asset.id, kind: 'mask', meta: metaFor(ctx) }),
        (e) => isCutroomError(e, 'ASSET_NOT_FOUND'),
      );
      await assert.rejects(
        s.artifacts.lookupOrCreateArtifact(ctx, {
          assetId: asset.id,
          kind: 'visual_meta',
          params: { sample_ms: 500 },
          backendVersion: 'visual-meta@1',
          produce: async () => ({ meta: { model_used: 'x' } }),
        }),
        (e) => isCutroomError(e, 'ASSET_NOT_FOUND'),
      );
    }
    // B uploading the same bytes gets its own asset and its own cache: A's cached artifact is not shared.
    const bAsset = (await s.assets.registerAsset(b, { source: { path: png } })).asset;
    assert.equal(bAsset.content_hash, asset.content_hash);
    let produced = 0;
    const r = await s.artifacts.lookupOrCreateArtifact(b, {
      assetId: bAsset.id,
      kind: 'visual_meta',
      params: { sample_ms: 500 },
      backendVersion: 'visual-meta@1',
      produce: async () => {
        produced += 1;
        return { meta: { model_used: 'farneback' } };
      },
    });
    assert.equal(produced, 1);
    assert.equal(r.cached, false);
    assert.equal(r.artifact.tenant_id, b.tenantId);
  });
}
