// The key registry flows on the scale-out adapters together: PostgreSQL for rows and an S3 bucket (s3rver) for
// bytes. test/media runs artifacts, projects and tenants on both dialects but assets only on SQLite with a
// local store; this covers assets (probe through localPath, dedupe, concurrency, walls, delete) and artifacts
// on PostgreSQL + S3.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isCutroomError } from '../../src/errors.js';
import { createS3Store, type S3Store } from '../../src/storage/s3-store.js';
import { audioOnly, pngImage, testsrcClip } from '../helpers/media.js';
import { postgresAvailable } from '../db/pg-schema.js';
import { makeServices, type TestServices } from '../media/setup.js';
import { startFakeS3, type FakeS3 } from './s3rver.js';

const havePg = await postgresAvailable();
let s3: FakeS3;
let store: S3Store;
let s: TestServices;
const media: Record<string, string> = {};

before(async () => {
  if (!havePg) return;
  s3 = await startFakeS3();
  store = createS3Store({
    bucket: s3.bucket,
    prefix: 'cutroom/',
    endpoint: s3.endpoint,
    credentials: s3.credentials,
    forcePathStyle: true,
    cacheDir: join(s3.directory, '..', `${s3.bucket}-cache`),
  });
  s = await makeServices({ dialect: 'postgres', store });
  media.video = await testsrcClip({ durationMs: 2000 });
  media.audio = await audioOnly({ durationMs: 1000, format: 'wav' });
  media.png = await pngImage({ color: '#FF0000' });
});
after(async () => {
  await s?.dispose();
  store?.destroy();
  await s3?.close();
});

const sha256 = async (path: string) =>
  createHash('sha256')
    .update(await readFile(path))
    .digest('hex');
const opts = { skip: havePg ? false : 'PostgreSQL not reachable (CUTROOM_TEST_PG_URL)' } as const;

test(
  'pg+s3: register a video (probed from the bucket), read it back, dedupe the same bytes',
  opts,
  async () => {
    assert.equal(s.config.dialect, 'postgres');
    const ctx = await s.tenant();
    const { asset } = await s.assets.registerAsset(ctx, { source: { path: media.video! } });
    assert.match(
      asset.storage_key,
      new RegExp(`^tenants/${ctx.tenantId}/dev/media_v2/${asset.id}/source\\.mp4$`),
    );
    assert.equal(asset.media_info.duration_ms >= 1900 && asset.media_info.duration_ms <= 2100, true);
    // The bytes live in the bucket under the store prefix, and localPath (what ffmpeg reads) is identical.
    assert.deepEqual(await store.list(`tenants/${ctx.tenantId}/`), [asset.storage_key]);
    assert.equal(await sha256(await s.assets.assetPath(ctx, asset.id)), await sha256(media.video!));
    const again = await s.assets.registerAsset(ctx, {
      source: { stream: createReadStream(media.video!), filename: 'again.mp4' },
    });
    assert.equal(again.asset.id, asset.id);
    assert.equal(again.meta.deduplicated, true);
  },
);

test('pg+s3: concurrent uploads of the same bytes end with one asset and one object', opts, async () => {
  const ctx = await s.tenant();
  const results = await Promise.all(
    [1, 2, 3].map(() =>
      s.assets.registerAsset(ctx, { source: { stream: createReadStream(media.audio!), filename: 'a.wav' } }),
    ),
  );
  assert.equal(new Set(results.map((r) => r.asset.id)).size, 1);
  assert.equal(results.filter((r) => !r.meta.deduplicated).length, 1);
  assert.deepEqual(await store.list(`tenants/${ctx.tenantId}/`), [results[0]!.asset.storage_key]);
  const rows = await s.db.selectFrom('assets').selectAll().where('tenant_id', '=', ctx.tenantId).execute();
  assert.equal(rows.length, 1);
});

test(
  'pg+s3: tenant wall, artifacts cached by key, delete removes rows and bucket objects',
  opts,
  async () => {
    const a = await s.tenant();
    const b = await s.tenant();
    const { asset } = await s.assets.registerAsset(a, { source: { path: media.png! } });
    await assert.rejects(s.assets.getAsset(b, asset.id), (e) => isCutroomError(e, 'ASSET_NOT_FOUND'));
    assert.deepEqual((await s.assets.listAssets(b)).items, []);
    let produced = 0;
    const make = () =>
      s.artifacts.lookupOrCreateArtifact(a, {
        assetId: asset.id,
        kind: 'visual_meta',
        params: { every_ms: 500 },
        backendVersion: 'scale-test@1',
        produce: async () => {
          produced += 1;
          return {
            meta: { model_used: 'none', duration_ms: 1, frame_sample_interval_ms: 500, stub: true },
            content: Buffer.from('{"frames":[]}'),
            name: 'visual_meta/{artifact_id}.json',
          };
        },
      });
    const first = await make();
    const second = await make();
    assert.equal(first.cached, false);
    assert.equal(second.cached, true);
    assert.equal(second.artifact.id, first.artifact.id);
    assert.equal(produced, 1);
    assert.equal(
      await readFile(await s.artifacts.artifactPath(a, first.artifact.id), 'utf8'),
      '{"frames":[]}',
    );
    await assert.rejects(s.artifacts.getArtifact(b, first.artifact.id), (e) =>
      isCutroomError(e, 'ARTIFACT_NOT_FOUND'),
    );
    assert.equal((await store.list(`tenants/${a.tenantId}/`)).length, 2);
    await s.assets.deleteAsset(a, asset.id);
    assert.deepEqual(await store.list(`tenants/${a.tenantId}/`), []);
    await assert.rejects(s.artifacts.getArtifact(a, first.artifact.id), (e) =>
      isCutroomError(e, 'ARTIFACT_NOT_FOUND'),
    );
  },
);
