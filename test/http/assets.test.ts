// POST /media-v2/assets: streamed multipart uploads of real and broken media, size limit while streaming,
// hostile file names, and registering server-side files only from import roots.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
  copyFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { createLocalStore } from '../../src/storage/local-store.js';
import type { ObjectStore } from '../../src/storage/object-store.js';
import { emptyFile, solidClip, testsrcClip, textRenamedMp4, truncatedMp4 } from '../helpers/media.js';
import { auth, multipartBody, startTestServer, type TestServer } from './helpers.js';

let s: TestServer;
let roots: string;

before(async () => {
  roots = mkdtempSync(join(tmpdir(), 'cutroom-roots-'));
  mkdirSync(join(roots, 'allowed'));
  mkdirSync(join(roots, 'outside'));
  s = await startTestServer({ config: { importRoots: [join(roots, 'allowed')] } });
});

after(async () => {
  await s.close();
  rmSync(roots, { recursive: true, force: true });
});

async function upload(input: {
  filename: string;
  content: Buffer;
  key?: string;
  env?: string;
  server?: TestServer;
}) {
  const server = input.server ?? s;
  const mp = multipartBody({ filename: input.filename, content: input.content });
  return server.app.inject({
    method: 'POST',
    url: '/media-v2/assets',
    headers: { ...auth(input.key ?? server.keyA, input.env ?? 'dev'), ...mp.headers },
    payload: mp.payload,
  });
}

async function listIds(server: TestServer, env: string): Promise<string[]> {
  const res = await server.app.inject({
    method: 'GET',
    url: '/media-v2/assets',
    headers: auth(server.keyA, env),
  });
  assert.equal(res.statusCode, 200);
  return res.json().items.map((a: { id: string }) => a.id);
}

async function storedObjects(server: TestServer): Promise<string[]> {
  return server.services.store.list('');
}

test('a real clip uploads as multipart → 201 with probe fields, then lists and deduplicates', async () => {
  const clip = await testsrcClip({ durationMs: 2000, width: 320, height: 240 });
  const res = await upload({ filename: 'holiday.mp4', content: readFileSync(clip), env: 'prod' });
  assert.equal(res.statusCode, 201, res.body);
  const { asset, meta } = res.json();
  assert.equal(meta.deduplicated, false);
  assert.equal(asset.kind, 'video');
  assert.equal(asset.tenant_id, 'ta');
  assert.equal(asset.env, 'prod');
  assert.equal(asset.original_filename, 'holiday.mp4');
  assert.equal(asset.media_info.duration_ms, 2000);
  assert.equal(asset.media_info.video.width, 320);
  assert.equal(asset.media_info.video.height, 240);
  assert.equal(asset.media_info.audio.sample_rate, 48000);
  assert.equal(asset.size_bytes, readFileSync(clip).length);
  assert.deepEqual(await listIds(s, 'prod'), [asset.id]);

  const again = await upload({ filename: 'copy.mp4', content: readFileSync(clip), env: 'prod' });
  assert.equal(again.statusCode, 200);
  assert.equal(again.json().meta.deduplicated, true);
  assert.equal(again.json().asset.id, asset.id);
});

test('text renamed .mp4 → 415 UNSUPPORTED_MEDIA; truncated mp4 → 422 MEDIA_CORRUPT; zero bytes → 422 EMPTY_UPLOAD', async () => {
  const before = await storedObjects(s);
  const cases: Array<[string, number, string]> = [
    [await textRenamedMp4(), 415, 'UNSUPPORTED_MEDIA'],
    [await truncatedMp4(), 422, 'MEDIA_CORRUPT'],
    [await emptyFile(), 422, 'EMPTY_UPLOAD'],
  ];
  for (const [file, status, code] of cases) {
    const res = await upload({ filename: 'bad.mp4', content: readFileSync(file) });
    assert.equal(res.statusCode, status, `${file}: ${res.body}`);
    assert.equal(res.json().error.code, code);
  }
  assert.deepEqual(await storedObjects(s), before, 'nothing stored for refused uploads');
  assert.deepEqual(await listIds(s, 'dev'), []);
});

test('an upload over the size limit → 413 while streaming, nothing stored, and the server keeps serving', async () => {
  const tiny = await startTestServer({ maxUploadBytes: 10_000 });
  try {
    const clip = await solidClip({ color: '#FF0000', durationMs: 1000 });
    const bytes = readFileSync(clip);
    assert.ok(bytes.length > 10_000, 'the clip must be over the limit for this test to mean anything');
    const res = await upload({ filename: 'big.mp4', content: bytes, server: tiny });
    assert.equal(res.statusCode, 413, res.body);
    assert.equal(res.json().error.code, 'PAYLOAD_TOO_LARGE');
    assert.deepEqual(await listIds(tiny, 'dev'), []);
    assert.deepEqual(await storedObjects(tiny), []);
    // A small file under the limit still goes through the same server afterwards.
    const ok = await upload({
      filename: 'small.mp4',
      content: readFileSync(await textRenamedMp4()),
      server: tiny,
    });
    assert.equal(ok.statusCode, 415, 'reaches the prober, i.e. the limit did not trip');
  } finally {
    await tiny.close();
  }
});

test('a 64 MiB upload over a 100 kB limit: the store stops reading near the limit (nothing buffered whole)', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'cutroom-count-'));
  const inner = createLocalStore({ root: join(dataDir, 'objects') });
  let bytesSeenByStore = 0;
  // Counts what the store actually pulls from the upload stream.
  const counting: ObjectStore = {
    ...inner,
    kind: inner.kind,
    put: (key, source, putOpts) => {
      if (Buffer.isBuffer(source)) return inner.put(key, source, putOpts);
      const counter = new PassThrough();
      source.on('error', (err) => counter.destroy(err));
      counter.on('data', (c: Buffer) => (bytesSeenByStore += c.length));
      return inner.put(key, source.pipe(counter), putOpts);
    },
  };
  const limited = await startTestServer({ maxUploadBytes: 100_000, store: counting });
  try {
    const boundary = 'bigbnd';
    async function* body() {
      yield Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.mp4"\r\nContent-Type: video/mp4\r\n\r\n`,
      );
      const chunk = Buffer.alloc(64 * 1024, 7);
      for (let i = 0; i < 1024; i++) yield chunk;
      yield Buffer.from(`\r\n--${boundary}--\r\n`);
    }
    const res = await limited.app.inject({
      method: 'POST',
      url: '/media-v2/assets',
      headers: { ...auth(limited.keyA), 'content-type': `multipart/form-data; boundary=${boundary}` },
      payload: Readable.from(body()),
    });
    assert.equal(res.statusCode, 413, res.body);
    assert.equal(res.json().error.code, 'PAYLOAD_TOO_LARGE');
    assert.ok(bytesSeenByStore <= 100_000 + 64 * 1024, `store read ${bytesSeenByStore} bytes`);
    assert.deepEqual(await inner.list(''), []);
  } finally {
    await limited.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test('hostile file names → 400 INVALID_PATH, nothing stored', async () => {
  const clip = readFileSync(await testsrcClip({ durationMs: 1000 }));
  for (const filename of ['../../etc/passwd', '/etc/passwd', 'a\\..\\b.mp4', 'x/../../y.mp4']) {
    const res = await upload({ filename, content: clip });
    assert.equal(res.statusCode, 400, `${filename}: ${res.body}`);
    assert.equal(res.json().error.code, 'INVALID_PATH');
  }
  assert.deepEqual(await listIds(s, 'dev'), []);
});

test('a multipart body without a file part → 400 VALIDATION_FAILED naming the field', async () => {
  const boundary = 'bnd';
  const res = await s.app.inject({
    method: 'POST',
    url: '/media-v2/assets',
    headers: { ...auth(s.keyA), 'content-type': `multipart/form-data; boundary=${boundary}` },
    payload: `--${boundary}\r\nContent-Disposition: form-data; name="note"\r\n\r\nhello\r\n--${boundary}--\r\n`,
  });
  assert.equal(res.statusCode, 400, res.body);
  assert.equal(res.json().error.details.issues[0].path, 'file');
});

test('malformed multipart bodies → 400 VALIDATION_FAILED (no hang), nothing stored, server keeps serving', async () => {
  const before = await storedObjects(s);
  const cases: Array<{ contentType: string; payload: string }> = [
    // No closing boundary: the file stream errors, possibly before the handler reads it.
    {
      contentType: 'multipart/form-data; boundary=zz',
      payload:
        '--zz\r\nContent-Disposition: form-data; name="file"; filename="a.mp4"\r\n\r\nbytes that never end',
    },
    { contentType: 'multipart/form-data', payload: 'no boundary at all' },
  ];
  for (const c of cases) {
    const res = await s.app.inject({
      method: 'POST',
      url: '/media-v2/assets',
      headers: { ...auth(s.keyA, 'prod'), 'content-type': c.contentType },
      payload: c.payload,
    });
    assert.equal(res.statusCode, 400, res.body);
    assert.equal(res.json().error.code, 'VALIDATION_FAILED');
    assert.match(res.json().error.message, /multipart body is malformed/);
  }
  assert.deepEqual(await storedObjects(s), before);
  const ok = await s.app.inject({ method: 'GET', url: '/media-v2/assets', headers: auth(s.keyA) });
  assert.equal(ok.statusCode, 200);
});

test('registering a server-side file: only under an import root, never via .., NUL or a symlink out', async () => {
  const clip = await testsrcClip({ durationMs: 1000, toneHz: null });
  const inside = join(roots, 'allowed', 'in.mp4');
  const outside = join(roots, 'outside', 'out.mp4');
  copyFileSync(clip, inside);
  copyFileSync(clip, outside);
  symlinkSync(outside, join(roots, 'allowed', 'link.mp4'));
  writeFileSync(join(roots, 'allowed', 'notes.txt'), 'text');

  const register = (path: string) =>
    s.app.inject({
      method: 'POST',
      url: '/media-v2/assets',
      headers: auth(s.keyA, 'dev'),
      payload: { path },
    });

  for (const path of [
    outside,
    join(roots, 'allowed', '..', 'outside', 'out.mp4'),
    join(roots, 'allowed', 'link.mp4'),
    `${inside}\0.png`,
    'relative/in.mp4',
    join(roots, 'allowed', 'missing.mp4'),
    '/etc/passwd',
  ]) {
    const res = await register(path);
    assert.equal(res.statusCode, 400, `${path}: ${res.body}`);
    assert.equal(res.json().error.code, 'INVALID_PATH', path);
  }
  const text = await register(join(roots, 'allowed', 'notes.txt'));
  assert.equal(text.statusCode, 415);

  const ok = await register(inside);
  assert.equal(ok.statusCode, 201, ok.body);
  assert.equal(ok.json().asset.media_info.duration_ms, 1000);
  assert.equal(ok.json().asset.media_info.audio, undefined);
  const ids = await listIds(s, 'dev');
  assert.deepEqual(ids, [ok.json().asset.id]);
});

test('without import roots, registering by path is refused with INVALID_PATH', async () => {
  const none = await startTestServer({ config: { importRoots: [] } });
  try {
    const res = await none.app.inject({
      method: 'POST',
      url: '/media-v2/assets',
      headers: auth(none.keyA),
      payload: { path: await testsrcClip({ durationMs: 1000 }) },
    });
    assert.equal(res.statusCode, 400);
    assert.equal(res.json().error.code, 'INVALID_PATH');
    assert.match(res.json().error.message, /CUTROOM_IMPORT_ROOTS/);
  } finally {
    await none.close();
  }
});

test('a JSON body without path → 400 with the body path (and the typo named, with a suggestion)', async () => {
  const res = await s.app.inject({
    method: 'POST',
    url: '/media-v2/assets',
    headers: auth(s.keyA),
    payload: { pth: 1 },
  });
  assert.equal(res.statusCode, 400);
  assert.deepEqual(
    res.json().error.details.issues.map((i: { part: string; path: string }) => `${i.part}:${i.path}`),
    ['body:pth', 'body:path'],
  );
  assert.match(res.json().error.details.issues[0].message, /did you mean "path"/);
});
