import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createReadStream } from 'node:fs';
import { mkdtemp, readdir, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { isCutroomError } from '../../src/errors.js';
import { createLocalStore } from '../../src/storage/local-store.js';
import { runObjectStoreConformance } from '../conformance/object-store.js';

async function allFiles(dir: string, root = dir): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await allFiles(p, root)));
    else out.push(relative(root, p));
  }
  return out.sort();
}

runObjectStoreConformance('local directory', async () => {
  const root = await mkdtemp(join(tmpdir(), 'cutroom-store-'));
  return {
    store: createLocalStore({ root }),
    rawEntries: () => allFiles(root),
    cleanup: () => rm(root, { recursive: true, force: true }),
  };
});

test('local store: objects are plain files under the root and localPath is that file', async () => {
  const root = await mkdtemp(join(tmpdir(), 'cutroom-store-'));
  try {
    const store = createLocalStore({ root });
    await store.put('tenants/t1/dev/media_v2/ast_x/source.mp4', Buffer.from('abc'));
    const p = await store.localPath('tenants/t1/dev/media_v2/ast_x/source.mp4');
    assert.equal(p, join(root, 'tenants/t1/dev/media_v2/ast_x/source.mp4'));
    assert.equal((await stat(p)).size, 3);
    // Deleting the last object prunes the empty folders up to the root.
    await store.delete('tenants/t1/dev/media_v2/ast_x/source.mp4');
    assert.deepEqual(await readdir(root).then((n) => n.filter((x) => x !== '.tmp')), []);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});

test('local store: a symlinked folder inside the root does not make list() leave the prefix', async () => {
  const root = await mkdtemp(join(tmpdir(), 'cutroom-store-'));
  const outside = await mkdtemp(join(tmpdir(), 'cutroom-outside-'));
  try {
    const store = createLocalStore({ root });
    await store.put('a/ok', Buffer.from('1'));
    await symlink(outside, join(root, 'a', 'link'));
    // Symlinks are not created through put; list() reports files only, and never follows a link as a folder.
    assert.deepEqual(await store.list('a/'), ['a/ok']);
  } finally {
    await rm(root, { recursive: true, force: true });
    await rm(outside, { recursive: true, force: true });
  }
});

test('local store: a failing filesystem is STORE_FAILED; a failing source keeps its own error', async () => {
  const root = await mkdtemp(join(tmpdir(), 'cutroom-store-'));
  try {
    const store = createLocalStore({ root });
    // The temp folder cannot be created (a file is in the way): our side failed → STORE_FAILED, retryable.
    await writeFile(join(root, '.tmp'), 'in the way');
    await assert.rejects(store.put('a/b', Buffer.from('x')), (e) => {
      assert.ok(isCutroomError(e, 'STORE_FAILED'));
      assert.equal(e.retryable, true);
      return true;
    });
    await rm(join(root, '.tmp'));
    // The source cannot be read: not the store's fault, the original error comes through.
    await assert.rejects(
      store.put('a/b', createReadStream(join(root, 'does-not-exist'))),
      (e) => !isCutroomError(e) && (e as NodeJS.ErrnoException).code === 'ENOENT',
    );
    assert.equal(await store.exists('a/b'), false);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});
