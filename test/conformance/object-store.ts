/**
 * ObjectStore conformance suite: every adapter (local directory now, S3-compatible later) must pass it.
 * `makeStore` returns a fresh, empty store plus a way to list whatever the adapter left behind on its backing
 * storage (files including temp files), so atomicity can be checked from outside the interface.
 */
import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { isCutroomError } from '../../src/errors.js';
import type { ObjectStore } from '../../src/storage/object-store.js';

export interface ConformanceFixture {
  store: ObjectStore;
  /** Every file/object on the backing storage, including adapter temp files (relative names). */
  rawEntries(): Promise<string[]>;
  cleanup(): Promise<void>;
}

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(typeof c === 'string' ? Buffer.from(c) : (c as Buffer));
  return Buffer.concat(chunks);
}

function sha256(buf: Buffer): string {
  return createHash('sha256').update(buf).digest('hex');
}

/** A stream that yields `good` bytes in chunks and then fails. */
function failingStream(good: Buffer, chunk = 1024): Readable {
  let offset = 0;
  return new Readable({
    read() {
      if (offset < good.length) {
        this.push(good.subarray(offset, offset + chunk));
        offset += chunk;
      } else {
        this.destroy(new Error('client went away'));
      }
    },
  });
}

function chunked(buf: Buffer, chunk = 4096): Readable {
  return Readable.from(
    (function* () {
      for (let i = 0; i < buf.length; i += chunk) yield buf.subarray(i, i + chunk);
    })(),
  );
}

export function runObjectStoreConformance(name: string, makeStore: () => Promise<ConformanceFixture>): void {
  describe(`ObjectStore conformance: ${name}`, () => {
    const fixtures: ConformanceFixture[] = [];
    const fresh = async (): Promise<ConformanceFixture> => {
      const f = await makeStore();
      fixtures.push(f);
      return f;
    };
    after(async () => {
      for (const f of fixtures) await f.cleanup();
    });

    test('put a Buffer returns size and sha256; get returns the same bytes', async () => {
      const { store } = await fresh();
      const data = randomBytes(10_000);
      const r = await store.put('a/b/c.bin', data);
      assert.equal(r.size, data.length);
      assert.equal(r.sha256, sha256(data));
      assert.deepEqual(await readAll(await store.get('a/b/c.bin')), data);
      const st = await store.stat('a/b/c.bin');
      assert.equal(st?.size, data.length);
      assert.equal(await store.exists('a/b/c.bin'), true);
    });

    test('put a stream hashes while streaming; localPath holds the bytes', async () => {
      const { store } = await fresh();
      const data = randomBytes(100_000);
      const r = await store.put('x/stream.bin', chunked(data));
      assert.equal(r.size, data.length);
      assert.equal(r.sha256, sha256(data));
      const p = await store.localPath('x/stream.bin');
      assert.deepEqual(await readFile(p), data);
    });

    test('put replaces an existing object atomically (whole new content)', async () => {
      const { store } = await fresh();
      await store.put('k/v', Buffer.from('old content'));
      await store.put('k/v', Buffer.from('new'));
      assert.equal((await readAll(await store.get('k/v'))).toString(), 'new');
    });

    test('a source stream that errors midway leaves no object and no temp file', async () => {
      const { store, rawEntries } = await fresh();
      await assert.rejects(store.put('t/broken.bin', failingStream(randomBytes(50_000))), /client went away/);
      assert.equal(await store.exists('t/broken.bin'), false);
      assert.deepEqual(await store.list(''), []);
      assert.deepEqual(await rawEntries(), []);
    });

    test('a failed overwrite keeps the previous object intact', async () => {
      const { store } = await fresh();
      await store.put('t/keep.bin', Buffer.from('version 1'));
      await assert.rejects(store.put('t/keep.bin', failingStream(randomBytes(20_000))));
      assert.equal((await readAll(await store.get('t/keep.bin'))).toString(), 'version 1');
    });

    test('maxBytes: PAYLOAD_TOO_LARGE while streaming, nothing kept, source not read to the end', async () => {
      const { store, rawEntries } = await fresh();
      let produced = 0;
      const total = 1024 * 1024;
      const src = new Readable({
        read() {
          if (produced >= total) return this.push(null);
          produced += 1024;
          this.push(Buffer.alloc(1024, 1));
        },
      });
      await assert.rejects(store.put('big/file.bin', src, { maxBytes: 10_000 }), (e) =>
        isCutroomError(e, 'PAYLOAD_TOO_LARGE'),
      );
      assert.ok(produced < total, `source was read to the end (${produced} bytes) instead of being cut off`);
      assert.equal(await store.exists('big/file.bin'), false);
      assert.deepEqual(await rawEntries(), []);
      // A Buffer over the limit is refused the same way; exactly at the limit is fine.
      await assert.rejects(store.put('big/b.bin', Buffer.alloc(11), { maxBytes: 10 }), (e) =>
        isCutroomError(e, 'PAYLOAD_TOO_LARGE'),
      );
      assert.equal((await store.put('big/ok.bin', Buffer.alloc(10), { maxBytes: 10 })).size, 10);
    });

    test('an aborted put leaves nothing', async () => {
      const { store, rawEntries } = await fresh();
      const ac = new AbortController();
      let n = 0;
      const src = new Readable({
        read() {
          n += 1;
          if (n === 5) ac.abort();
          setImmediate(() => this.push(Buffer.alloc(1000, 2)));
        },
      });
      await assert.rejects(store.put('ab/x.bin', src, { signal: ac.signal }));
      assert.deepEqual(await rawEntries(), []);
    });

    test('unsafe keys are rejected with INVALID_PATH before any I/O', async () => {
      const { store, rawEntries } = await fresh();
      const bad = [
        '../escape.bin',
        'a/../../escape.bin',
        '/etc/passwd',
        'a\u0000b',
        'a\\b',
        '',
        'a//b',
        './a',
        'a/./b',
        'a/b/',
        '.hidden',
        'sp ace',
        'tenants/a/ü.bin',
        '..',
      ];
      for (const key of bad) {
        await assert.rejects(store.put(key, Buffer.from('x')), (e) => isCutroomError(e, 'INVALID_PATH'), key);
        await assert.rejects(store.get(key), (e) => isCutroomError(e, 'INVALID_PATH'), key);
        await assert.rejects(store.stat(key), (e) => isCutroomError(e, 'INVALID_PATH'), key);
        await assert.rejects(store.delete(key), (e) => isCutroomError(e, 'INVALID_PATH'), key);
        await assert.rejects(store.localPath(key), (e) => isCutroomError(e, 'INVALID_PATH'), key);
      }
      await assert.rejects(store.list('../'), (e) => isCutroomError(e, 'INVALID_PATH'));
      assert.deepEqual(await rawEntries(), []);
    });

    test('missing objects: get/localPath → OBJECT_NOT_FOUND, stat → null, delete → false', async () => {
      const { store } = await fresh();
      await assert.rejects(store.get('no/such'), (e) => isCutroomError(e, 'OBJECT_NOT_FOUND'));
      await assert.rejects(store.localPath('no/such'), (e) => isCutroomError(e, 'OBJECT_NOT_FOUND'));
      assert.equal(await store.stat('no/such'), null);
      assert.equal(await store.exists('no/such'), false);
      assert.equal(await store.delete('no/such'), false);
    });

    test('list(prefix) is recursive, sorted and respects the prefix boundary', async () => {
      const { store } = await fresh();
      for (const k of ['p/a/1', 'p/a/2/x', 'p/ab/3', 'p/b', 'q/1']) await store.put(k, Buffer.from(k));
      assert.deepEqual(await store.list('p/a/'), ['p/a/1', 'p/a/2/x']);
      assert.deepEqual(await store.list('p/a'), ['p/a/1', 'p/a/2/x', 'p/ab/3']);
      assert.deepEqual(await store.list(''), ['p/a/1', 'p/a/2/x', 'p/ab/3', 'p/b', 'q/1']);
      assert.deepEqual(await store.list('zzz/'), []);
    });

    test('delete removes the object and it is no longer listed', async () => {
      const { store } = await fresh();
      await store.put('d/one', Buffer.from('1'));
      await store.put('d/two', Buffer.from('2'));
      assert.equal(await store.delete('d/one'), true);
      assert.equal(await store.exists('d/one'), false);
      assert.deepEqual(await store.list('d/'), ['d/two']);
    });

    test('empty objects are allowed (size 0, sha256 of nothing)', async () => {
      const { store } = await fresh();
      const r = await store.put('e/empty', Buffer.alloc(0));
      assert.equal(r.size, 0);
      assert.equal(r.sha256, sha256(Buffer.alloc(0)));
    });

    test('concurrent puts of different keys do not interfere', async () => {
      const { store } = await fresh();
      const items = Array.from({ length: 8 }, (_, i) => ({ key: `c/${i}`, data: randomBytes(5000 + i) }));
      await Promise.all(items.map((it) => store.put(it.key, chunked(it.data, 777))));
      for (const it of items) assert.deepEqual(await readAll(await store.get(it.key)), it.data);
    });
  });
}
