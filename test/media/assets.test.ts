import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { isCutroomError } from '../../src/errors.js';
import {
  audioOnly,
  emptyFile,
  pngImage,
  testsrcClip,
  textRenamedMp4,
  truncatedMp4,
} from '../helpers/media.js';
import { makeServices, type TestServices } from './setup.js';

let s: TestServices;
const media: Record<string, string> = {};

before(async () => {
  s = await makeServices();
  media.video = await testsrcClip({ durationMs: 2000 });
  media.audio = await audioOnly({ durationMs: 1000, format: 'wav' });
  media.png = await pngImage({ color: '#0000FF' });
  media.truncated = await truncatedMp4();
  media.text = await textRenamedMp4();
  media.empty = await emptyFile();
});
after(async () => {
  await s.dispose();
});

async function sha256File(path: string): Promise<string> {
  return createHash('sha256')
    .update(await readFile(path))
    .digest('hex');
}

/** Everything a tenant/env has: store objects and asset rows. */
async function footprint(tenantId: string) {
  const objects = await s.store.list(`tenants/${tenantId}/`);
  const rows = await s.db.selectFrom('assets').selectAll().where('tenant_id', '=', tenantId).execute();
  // Tests in this file run one after another, so any temp file left now was left by the last failure.
  const temps = await readdir(join(s.dataDir, 'objects', '.tmp')).catch(() => []);
  assert.deepEqual(temps, [], 'temp files left behind');
  return { objects, rows: rows.length };
}

test('register a video from a path: probe fields, hash, key layout, original name', async () => {
  const ctx = await s.tenant();
  const { asset, meta } = await s.assets.registerAsset(ctx, { source: { path: media.video! } });
  assert.equal(meta.deduplicated, false);
  assert.match(asset.id, /^ast_[a-z2-7]{20}$/);
  assert.equal(asset.kind, 'video');
  assert.equal(asset.content_hash, await sha256File(media.video!));
  assert.equal(asset.size_bytes, (await readFile(media.video!)).length);
  assert.equal(asset.storage_key, `tenants/${ctx.tenantId}/dev/media_v2/${asset.id}/source.mp4`);
  assert.equal(asset.ext, 'mp4');
  assert.equal(asset.media_info.video?.width, 320);
  assert.equal(asset.media_info.video?.height, 240);
  assert.deepEqual(asset.media_info.video?.fps, { num: 30, den: 1 });
  assert.equal(asset.media_info.audio?.sample_rate, 48000);
  assert.ok(Math.abs(asset.media_info.duration_ms - 2000) <= 50, `duration ${asset.media_info.duration_ms}`);
  // The stored bytes are the uploaded bytes, at the path ffmpeg will read.
  const path = await s.assets.assetPath(ctx, asset.id);
  assert.equal(await sha256File(path), asset.content_hash);
  // getAsset returns the same record (media_info survives the JSON round trip).
  assert.deepEqual(await s.assets.getAsset(ctx, asset.id), asset);
});

test('register audio (wav) and an image (png) from upload streams', async () => {
  const ctx = await s.tenant();
  const audio = await s.assets.registerAsset(ctx, {
    source: { stream: createReadStream(media.audio!), filename: 'Tone.WAV' },
  });
  assert.equal(audio.asset.kind, 'audio');
  assert.equal(audio.asset.ext, 'wav');
  assert.equal(audio.asset.original_filename, 'Tone.WAV');
  assert.equal(audio.asset.media_info.video, undefined);
  assert.equal(audio.asset.media_info.audio?.sample_rate, 48000);
  assert.equal(audio.asset.content_hash, await sha256File(media.audio!));

  const image = await s.assets.registerAsset(ctx, {
    source: { stream: createReadStream(media.png!), filename: 'still.png' },
  });
  assert.equal(image.asset.kind, 'image');
  assert.equal(image.asset.media_info.video?.still, true);
  assert.equal(image.asset.media_info.video?.width, 320);
  assert.ok(image.asset.storage_key.endsWith('/source.png'));

  const page = await s.assets.listAssets(ctx, { limit: 10 });
  assert.deepEqual(page.items.map((a) => a.id).sort(), [audio.asset.id, image.asset.id].sort());
});

test('same content twice → the existing asset, flagged deduplicated; nothing extra stored', async () => {
  const ctx = await s.tenant();
  const first = await s.assets.registerAsset(ctx, { source: { path: media.video! } });
  const second = await s.assets.registerAsset(ctx, {
    source: { stream: createReadStream(media.video!), filename: 'copy.mov' },
  });
  assert.equal(second.meta.deduplicated, true);
  assert.equal(second.asset.id, first.asset.id);
  assert.deepEqual(await footprint(ctx.tenantId), { objects: [first.asset.storage_key], rows: 1 });
  // Another env of the same tenant is a separate space: no dedupe across the wall.
  const prod = { ...ctx, env: 'prod' };
  const third = await s.assets.registerAsset(prod, { source: { path: media.video! } });
  assert.equal(third.meta.deduplicated, false);
  assert.notEqual(third.asset.id, first.asset.id);
});

test('a text file renamed .mp4 → UNSUPPORTED_MEDIA and nothing stored', async () => {
  const ctx = await s.tenant();
  await assert.rejects(
    s.assets.registerAsset(ctx, { source: { stream: createReadStream(media.text!), filename: 'movie.mp4' } }),
    (e) => isCutroomError(e, 'UNSUPPORTED_MEDIA'),
  );
  assert.deepEqual(await footprint(ctx.tenantId), { objects: [], rows: 0 });
});

test('a truncated MP4 → MEDIA_CORRUPT and nothing stored', async () => {
  const ctx = await s.tenant();
  await assert.rejects(s.assets.registerAsset(ctx, { source: { path: media.truncated! } }), (e) =>
    isCutroomError(e, 'MEDIA_CORRUPT'),
  );
  assert.deepEqual(await footprint(ctx.tenantId), { objects: [], rows: 0 });
});

test('a zero-length upload → EMPTY_UPLOAD and nothing stored', async () => {
  const ctx = await s.tenant();
  await assert.rejects(s.assets.registerAsset(ctx, { source: { path: media.empty! } }), (e) =>
    isCutroomError(e, 'EMPTY_UPLOAD'),
  );
  await assert.rejects(
    s.assets.registerAsset(ctx, { source: { stream: Readable.from([]), filename: 'x.mp4' } }),
    (e) => isCutroomError(e, 'EMPTY_UPLOAD'),
  );
  assert.deepEqual(await footprint(ctx.tenantId), { objects: [], rows: 0 });
});

test('over maxBytes → PAYLOAD_TOO_LARGE while streaming, nothing stored (stream and path)', async () => {
  const ctx = await s.tenant();
  const size = (await readFile(media.video!)).length;
  await assert.rejects(
    s.assets.registerAsset(ctx, {
      source: { stream: createReadStream(media.video!, { highWaterMark: 4096 }), filename: 'v.mp4' },
      maxBytes: 10_000,
    }),
    (e) => isCutroomError(e, 'PAYLOAD_TOO_LARGE'),
  );
  await assert.rejects(
    s.assets.registerAsset(ctx, { source: { path: media.video! }, maxBytes: size - 1 }),
    (e) => isCutroomError(e, 'PAYLOAD_TOO_LARGE'),
  );
  assert.deepEqual(await footprint(ctx.tenantId), { objects: [], rows: 0 });
  // Exactly at the limit is accepted.
  const ok = await s.assets.registerAsset(ctx, { source: { path: media.video! }, maxBytes: size });
  assert.equal(ok.asset.size_bytes, size);
});

test('the service default limit (maxUploadBytes) applies when the call sets none', async () => {
  const small = await makeServices({ memory: true, maxUploadBytes: 1000 });
  try {
    const ctx = await small.tenant();
    await assert.rejects(
      small.assets.registerAsset(ctx, {
        source: { stream: createReadStream(media.video!), filename: 'v.mp4' },
      }),
      (e) => isCutroomError(e, 'PAYLOAD_TOO_LARGE'),
    );
    assert.deepEqual(await small.store.list(''), []);
  } finally {
    await small.dispose();
  }
});

test('unsafe file names → INVALID_PATH, the upload is not stored', async () => {
  const ctx = await s.tenant();
  for (const filename of [
    '../../etc/passwd',
    '/etc/passwd',
    'a\u0000b.mp4',
    '..\\..\\x.mp4',
    'C:\\x.mp4',
    '',
  ]) {
    const stream = createReadStream(media.video!);
    await assert.rejects(
      s.assets.registerAsset(ctx, { source: { stream, filename } }),
      (e) => isCutroomError(e, 'INVALID_PATH'),
      JSON.stringify(filename),
    );
  }
  await assert.rejects(s.assets.registerAsset(ctx, { source: { path: 'no/such/file.mp4' } }), (e) =>
    isCutroomError(e, 'INVALID_PATH'),
  );
  assert.deepEqual(await footprint(ctx.tenantId), { objects: [], rows: 0 });
});

test('an unknown extension is stored as .bin but still probed by content', async () => {
  const ctx = await s.tenant();
  const { asset } = await s.assets.registerAsset(ctx, {
    source: { stream: createReadStream(media.png!), filename: 'picture.exe' },
  });
  assert.equal(asset.ext, 'bin');
  assert.equal(asset.kind, 'image');
  assert.ok(asset.storage_key.endsWith('/source.bin'));
});

test('tenant wall: another tenant or env gets ASSET_NOT_FOUND and an empty list', async () => {
  const a = await s.tenant('dev');
  const b = await s.tenant('dev');
  const { asset } = await s.assets.registerAsset(a, { source: { path: media.png! } });
  const aProd = { ...a, env: 'prod' };
  for (const ctx of [b, aProd]) {
    await assert.rejects(s.assets.getAsset(ctx, asset.id), (e) => isCutroomError(e, 'ASSET_NOT_FOUND'));
    await assert.rejects(s.assets.assetPath(ctx, asset.id), (e) => isCutroomError(e, 'ASSET_NOT_FOUND'));
    await assert.rejects(s.assets.deleteAsset(ctx, asset.id), (e) => isCutroomError(e, 'ASSET_NOT_FOUND'));
    assert.deepEqual((await s.assets.listAssets(ctx)).items, []);
  }
  // The error for another tenant's id is the same as for an id that never existed (nothing to learn from it).
  const foreign = await s.assets.getAsset(b, asset.id).catch((e: unknown) => e);
  const missing = await s.assets.getAsset(b, 'ast_aaaaaaaaaaaaaaaaaaaa').catch((e: unknown) => e);
  assert.ok(isCutroomError(foreign) && isCutroomError(missing));
  assert.equal(foreign.status, 404);
  assert.equal(foreign.status, missing.status);
  assert.equal(foreign.code, missing.code);
  // Still there for the owner.
  assert.equal((await s.assets.getAsset(a, asset.id)).id, asset.id);
});

test('listAssets paginates newest first with a cursor and never repeats an item', async () => {
  const ctx = await s.tenant();
  const ids: string[] = [];
  const bytes = await readFile(media.png!);
  for (let i = 0; i < 5; i++) {
    // Distinct content per upload (a trailing chunk PNG decoders ignore) so dedupe does not collapse them.
    const body = Buffer.concat([bytes, Buffer.from(`pad${i}`)]);
    ids.push(
      (await s.assets.registerAsset(ctx, { source: { stream: Readable.from([body]), filename: 'p.png' } }))
        .asset.id,
    );
  }
  const seen: string[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const page: Awaited<ReturnType<typeof s.assets.listAssets>> = await s.assets.listAssets(ctx, {
      limit: 2,
      cursor,
    });
    seen.push(...page.items.map((a) => a.id));
    cursor = page.next_cursor;
    pages += 1;
  } while (cursor);
  assert.equal(pages, 3);
  assert.deepEqual([...seen].sort(), [...ids].sort());
  assert.equal(new Set(seen).size, 5);
  await assert.rejects(s.assets.listAssets(ctx, { cursor: 'garbage' }), (e) =>
    isCutroomError(e, 'VALIDATION_FAILED'),
  );
  await assert.rejects(s.assets.listAssets(ctx, { limit: 0 }), (e) => isCutroomError(e, 'VALIDATION_FAILED'));
});

test('deleteAsset removes the row, its artifacts and every object under the asset prefix', async () => {
  const ctx = await s.tenant();
  const { asset } = await s.assets.registerAsset(ctx, { source: { path: media.png! } });
  const art = await s.artifacts.registerArtifact(ctx, {
    assetId: asset.id,
    kind: 'proxy',
    meta: { tenant: ctx.tenantId, env: ctx.env, cache_key: 'e'.repeat(64), backend_version: 'p@1' },
    content: Buffer.from('p'),
    name: 'proxy_x.mp4',
  });
  await s.assets.deleteAsset(ctx, asset.id);
  assert.deepEqual(await footprint(ctx.tenantId), { objects: [], rows: 0 });
  await assert.rejects(s.artifacts.getArtifact(ctx, art.id), (e) => isCutroomError(e, 'ARTIFACT_NOT_FOUND'));
});

test('concurrent uploads of the same bytes end with one asset and one stored object', async () => {
  const ctx = await s.tenant();
  const results = await Promise.all(
    [1, 2, 3].map(() =>
      s.assets.registerAsset(ctx, { source: { stream: createReadStream(media.audio!), filename: 'a.wav' } }),
    ),
  );
  assert.equal(new Set(results.map((r) => r.asset.id)).size, 1);
  assert.equal(results.filter((r) => !r.meta.deduplicated).length, 1);
  assert.deepEqual(await footprint(ctx.tenantId), { objects: [results[0]!.asset.storage_key], rows: 1 });
});
