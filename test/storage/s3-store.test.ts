import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { Readable } from 'node:stream';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { isCutroomError } from '../../src/errors.js';
import { createS3Store, type S3Store } from '../../src/storage/s3-store.js';
import { storeFromEnv } from '../../src/storage/store-from-env.js';
import { runObjectStoreConformance } from '../conformance/object-store.js';
import { startFakeS3, type FakeS3 } from '../scale/s3rver.js';

let s3: FakeS3;
before(async () => {
  s3 = await startFakeS3();
});
after(async () => {
  await s3?.close();
});

async function allFiles(dir: string, root = dir): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await allFiles(p, root)));
    else out.push(relative(root, p));
  }
  return out.sort();
}

/** Every object under `prefix` as S3 itself lists it (not through the store), so nothing can hide. */
async function rawObjects(prefix: string): Promise<string[]> {
  const client = new S3Client({
    endpoint: s3.endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: s3.credentials,
  });
  try {
    const r = await client.send(new ListObjectsV2Command({ Bucket: s3.bucket, Prefix: prefix }));
    return (r.Contents ?? []).map((o) => o.Key!).sort();
  } finally {
    client.destroy();
  }
}

async function makeStore(extra: { partSizeBytes?: number; listPageSize?: number } = {}) {
  const prefix = `t${randomBytes(4).toString('hex')}/`;
  const cacheDir = await mkdtemp(join(tmpdir(), 'cutroom-s3cache-'));
  const store = createS3Store({
    bucket: s3.bucket,
    prefix,
    endpoint: s3.endpoint,
    region: 'us-east-1',
    credentials: s3.credentials,
    forcePathStyle: true,
    cacheDir,
    ...extra,
  });
  return { store, prefix, cacheDir };
}

function sha256(buf: Buffer): string {
  return createHash('sha256').update(buf).digest('hex');
}

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

function chunked(buf: Buffer, chunk = 7000): Readable {
  return Readable.from(
    (function* () {
      for (let i = 0; i < buf.length; i += chunk) yield buf.subarray(i, i + chunk);
    })(),
  );
}

runObjectStoreConformance('S3 (s3rver)', async () => {
  const { store, prefix, cacheDir } = await makeStore();
  return {
    store,
    // Objects as S3 lists them under this store's prefix, plus download temp files in the cache.
    rawEntries: async () => [
      ...(await rawObjects(prefix)),
      ...(await allFiles(cacheDir)).filter((f) => f.endsWith('.part')),
    ],
    cleanup: async () => {
      store.destroy();
      await rm(cacheDir, { recursive: true, force: true });
    },
  };
});

test('S3 store: a big stream goes up as a multipart upload and comes back byte-identical', async (t) => {
  const client = new S3Client({
    endpoint: s3.endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: s3.credentials,
  });
  const commands: string[] = [];
  client.middlewareStack.add(
    (next, context) => async (args) => {
      commands.push(String(context.commandName));
      return next(args);
    },
    { step: 'initialize' },
  );
  const cacheDir = await mkdtemp(join(tmpdir(), 'cutroom-s3cache-'));
  const store = createS3Store({
    bucket: s3.bucket,
    prefix: `m${randomBytes(4).toString('hex')}/`,
    client,
    cacheDir,
    partSizeBytes: 64 * 1024,
  });
  t.after(async () => {
    client.destroy();
    await rm(cacheDir, { recursive: true, force: true });
  });
  const data = randomBytes(300_000); // 5 parts: 4 × 64 KiB + a short last one
  const r = await store.put('m/big.bin', chunked(data));
  assert.equal(r.size, data.length);
  assert.equal(r.sha256, sha256(data));
  assert.deepEqual(commands, [
    'CreateMultipartUploadCommand',
    ...Array<string>(5).fill('UploadPartCommand'),
    'CompleteMultipartUploadCommand',
  ]);
  assert.deepEqual(await readAll(await store.get('m/big.bin')), data);
  // Small objects take one PutObject.
  commands.length = 0;
  await store.put('m/small.bin', randomBytes(1000));
  assert.deepEqual(commands, ['PutObjectCommand']);
});

test('S3 store: a multipart put that fails or exceeds maxBytes midway leaves no object and keeps the old one', async (t) => {
  const { store, prefix, cacheDir } = await makeStore({ partSizeBytes: 16 * 1024 });
  t.after(async () => {
    store.destroy();
    await rm(cacheDir, { recursive: true, force: true });
  });
  await store.put('f/keep.bin', Buffer.from('version 1'));
  let sent = 0;
  const failing = new Readable({
    read() {
      if (sent >= 100_000) return this.destroy(new Error('client went away'));
      sent += 4096;
      this.push(randomBytes(4096));
    },
  });
  await assert.rejects(store.put('f/keep.bin', failing), /client went away/);
  assert.equal((await readAll(await store.get('f/keep.bin'))).toString(), 'version 1');
  await assert.rejects(
    store.put('f/new.bin', chunked(randomBytes(200_000), 4096), { maxBytes: 50_000 }),
    (e) => isCutroomError(e, 'PAYLOAD_TOO_LARGE'),
  );
  assert.deepEqual(await rawObjects(prefix), [`${prefix}f/keep.bin`]);
});

test('S3 store: localPath downloads once, reuses the cache, and follows a replaced object', async (t) => {
  const { store, cacheDir } = await makeStore();
  t.after(async () => {
    store.destroy();
    await rm(cacheDir, { recursive: true, force: true });
  });
  const v1 = randomBytes(20_000);
  await store.put('tenants/a/dev/media_v2/ast_1/source.mp4', v1);
  const p1 = await store.localPath('tenants/a/dev/media_v2/ast_1/source.mp4');
  assert.ok(p1.startsWith(cacheDir));
  assert.ok(p1.endsWith('/source.mp4'), 'the extension is kept for ffmpeg');
  assert.deepEqual(await readFile(p1), v1);
  const ino = (await stat(p1)).ino;
  assert.equal(await store.localPath('tenants/a/dev/media_v2/ast_1/source.mp4'), p1);
  assert.equal((await stat(p1)).ino, ino, 'cached file reused, not downloaded again');
  const v2 = randomBytes(30_000);
  await store.put('tenants/a/dev/media_v2/ast_1/source.mp4', v2);
  const p2 = await store.localPath('tenants/a/dev/media_v2/ast_1/source.mp4');
  assert.notEqual(p2, p1);
  assert.deepEqual(await readFile(p2), v2);
  await assert.rejects(stat(p1), 'the stale version was removed from the cache');
  assert.deepEqual(
    (await allFiles(cacheDir)).filter((f) => f.includes('.part')),
    [],
  );
});

test('S3 store: two prefixes in one bucket never see each other', async (t) => {
  const a = await makeStore();
  const b = await makeStore();
  t.after(async () => {
    for (const x of [a, b]) {
      x.store.destroy();
      await rm(x.cacheDir, { recursive: true, force: true });
    }
  });
  const keys = ['k/1', 'k/2', 'k/3', 'l/1'];
  for (const k of keys) await a.store.put(k, Buffer.from(k));
  await b.store.put('k/9', Buffer.from('b'));
  assert.deepEqual(await a.store.list('k/'), ['k/1', 'k/2', 'k/3']);
  assert.deepEqual(await a.store.list(''), keys);
  assert.deepEqual(await b.store.list(''), ['k/9']);
  assert.equal(await b.store.exists('k/1'), false);
});

test('S3 store: list follows truncated ListObjectsV2 pages to the end', async () => {
  // s3rver cannot page (its continuation tokens use DES, gone from OpenSSL 3), so the paging loop is checked
  // against a scripted client that serves 7 keys 3 at a time, honouring StartAfter and MaxKeys like S3.
  const all = ['p/k/1', 'p/k/2', 'p/k/3', 'p/k/4', 'p/k/5', 'p/k/6', 'p/k/7'];
  const requests: Array<{ StartAfter?: string; MaxKeys?: number }> = [];
  const client = {
    send: async (cmd: { input: { Prefix: string; StartAfter?: string; MaxKeys?: number } }) => {
      const { Prefix, StartAfter, MaxKeys = 1000 } = cmd.input;
      requests.push({ ...(StartAfter ? { StartAfter } : {}), MaxKeys });
      const rest = all.filter((k) => k.startsWith(Prefix) && (StartAfter === undefined || k > StartAfter));
      return { Contents: rest.slice(0, MaxKeys).map((Key) => ({ Key })), IsTruncated: rest.length > MaxKeys };
    },
    destroy: () => undefined,
  } as unknown as S3Client;
  const store = createS3Store({ bucket: 'b', prefix: 'p/', client, listPageSize: 3 });
  assert.deepEqual(await store.list('k/'), ['k/1', 'k/2', 'k/3', 'k/4', 'k/5', 'k/6', 'k/7']);
  assert.deepEqual(requests, [
    { MaxKeys: 3 },
    { StartAfter: 'p/k/3', MaxKeys: 3 },
    { StartAfter: 'p/k/6', MaxKeys: 3 },
  ]);
});

test('storeFromEnv: local directory by default, S3 with CUTROOM_S3_BUCKET, coded error on bad config', async (t) => {
  const dataDir = await mkdtemp(join(tmpdir(), 'cutroom-env-'));
  t.after(() => rm(dataDir, { recursive: true, force: true }));
  assert.equal((await storeFromEnv({}, dataDir)).kind, 'local');
  const store = (await storeFromEnv({ ...s3.env, CUTROOM_S3_PREFIX: 'envtest/' }, dataDir)) as S3Store;
  assert.equal(store.kind, 's3');
  assert.equal(store.cacheDir, join(dataDir, 'cache', 's3'));
  await store.put('x/y', Buffer.from('hello'));
  assert.deepEqual(await rawObjects('envtest/'), ['envtest/x/y']);
  store.destroy();
  await assert.rejects(
    () => storeFromEnv({ CUTROOM_S3_BUCKET: 'Bad_Bucket', AWS_ACCESS_KEY_ID: 'x' }, dataDir),
    (e) => {
      assert.ok(isCutroomError(e, 'VALIDATION_FAILED'));
      const paths = (e.details.issues as Array<{ path: string }>).map((i) => i.path);
      assert.deepEqual(paths, ['CUTROOM_S3_BUCKET', 'AWS_SECRET_ACCESS_KEY']);
      return true;
    },
  );
});
