/**
 * The default ObjectStore: a directory on the local filesystem. Objects are plain files at `{root}/{key}`, so
 * ffmpeg reads them in place (localPath) without a copy.
 *
 * Atomic writes: bytes go to `{root}/.tmp/{random}` (same filesystem as the target, so rename is atomic), are
 * fsynced, then renamed over the target. A crash or error before the rename leaves at most a temp file, which
 * the failing write itself removes; nothing is ever visible under the key until it is complete.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, readdir, rename, rmdir, stat, unlink } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import type { Readable } from 'node:stream';
import { cutroomError, isCutroomError } from '../errors.js';
import type { ObjectStat, ObjectStore, PutOptions, PutResult } from './object-store.js';
import { assertSafeKey, assertSafePrefix } from './safe-key.js';

export interface LocalStoreOptions {
  /** Root directory; created if missing. */
  root: string;
}

const TMP_DIR = '.tmp';

export function createLocalStore({ root: rootInput }: LocalStoreOptions): ObjectStore {
  const root = resolve(rootInput);

  const pathOf = (key: string): string => {
    assertSafeKey(key);
    const p = resolve(root, key);
    // Belt and braces: assertSafeKey already forbids every way out, but the resolved path is what the OS uses.
    if (!p.startsWith(root + sep))
      throw cutroomError('INVALID_PATH', 'key resolves outside the store root', { key });
    return p;
  };

  const put = async (key: string, source: Buffer | Readable, opts: PutOptions = {}): Promise<PutResult> => {
    const target = pathOf(key);
    const { maxBytes, signal } = opts;
    const tmpDir = join(root, TMP_DIR);
    const tmp = join(tmpDir, `${randomBytes(12).toString('hex')}.part`);
    const hash = createHash('sha256');
    let size = 0;
    const stream = Buffer.isBuffer(source) ? null : source;
    const onAbort = (): void => {
      stream?.destroy(cutroomError('STORE_FAILED', 'write aborted', { key, aborted: true }));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    // Listen before the first await: a source that fails while we open the temp file (an unreadable path) would
    // otherwise emit 'error' with no listener and crash the process.
    let sourceError: unknown = undefined;
    const onSourceError = (e: unknown): void => {
      sourceError ??= e;
    };
    stream?.on('error', onSourceError);
    let fh: Awaited<ReturnType<typeof open>> | null = null;
    let storeError: unknown = undefined;
    try {
      if (signal?.aborted) throw cutroomError('STORE_FAILED', 'write aborted', { key, aborted: true });
      try {
        await mkdir(tmpDir, { recursive: true });
        fh = await open(tmp, 'wx');
      } catch (openErr) {
        storeError = openErr;
        throw openErr;
      }
      const chunks: AsyncIterable<Buffer | string> | Iterable<Buffer> = stream ?? [source as Buffer];
      for await (const raw of chunks) {
        const chunk = typeof raw === 'string' ? Buffer.from(raw) : raw;
        size += chunk.length;
        // Checked per chunk, before writing it: an oversized upload is cut off at the limit, not buffered.
        if (maxBytes !== undefined && size > maxBytes)
          throw cutroomError('PAYLOAD_TOO_LARGE', `more than ${maxBytes} bytes`, {
            key,
            max_bytes: maxBytes,
          });
        hash.update(chunk);
        try {
          await writeAll(fh, chunk);
        } catch (writeErr) {
          storeError = writeErr;
          throw writeErr;
        }
      }
      if (sourceError !== undefined) throw sourceError;
      if (signal?.aborted) throw cutroomError('STORE_FAILED', 'write aborted', { key, aborted: true });
      // fsync before rename: otherwise a power loss can leave the new name pointing at an empty file.
      try {
        await fh.sync();
        await fh.close();
        fh = null;
        await renameInto(tmp, target);
      } catch (finishErr) {
        storeError = finishErr;
        throw finishErr;
      }
      return { key, size, sha256: hash.digest('hex') };
    } catch (err) {
      if (fh) await fh.close().catch(() => undefined);
      await unlink(tmp).catch(() => undefined);
      // Stop reading the upload: the client gets the error now instead of streaming the rest into nowhere.
      if (stream && !stream.destroyed) stream.destroy();
      if (isCutroomError(err)) throw err;
      // Failures of our own filesystem (disk full, permissions) are STORE_FAILED (retryable); errors of the
      // source (client went away, unreadable input file) are passed through unchanged.
      const code = (err as NodeJS.ErrnoException).code ?? 'EIO';
      if (err === storeError)
        throw cutroomError(
          'STORE_FAILED',
          `writing ${key} failed: ${code}`,
          { key, errno: code },
          { cause: err },
        );
      throw err;
    } finally {
      signal?.removeEventListener('abort', onAbort);
      // Keep swallowing late errors of a destroyed source (they were reported through the rejection).
      if (stream && !stream.destroyed) stream.off('error', onSourceError);
    }
  };

  const renameInto = async (tmp: string, target: string): Promise<void> => {
    await mkdir(dirname(target), { recursive: true });
    try {
      await rename(tmp, target);
    } catch (err) {
      // A concurrent delete may have pruned the (then empty) parent folder between mkdir and rename.
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      await mkdir(dirname(target), { recursive: true });
      await rename(tmp, target);
    }
  };

  const statKey = async (key: string): Promise<ObjectStat | null> => {
    const p = pathOf(key);
    try {
      const st = await stat(p);
      if (!st.isFile()) return null;
      return { key, size: st.size, mtimeMs: Math.trunc(st.mtimeMs) };
    } catch (err) {
      if (
        (err as NodeJS.ErrnoException).code === 'ENOENT' ||
        (err as NodeJS.ErrnoException).code === 'ENOTDIR'
      )
        return null;
      throw err;
    }
  };

  const mustExist = async (key: string): Promise<string> => {
    if (!(await statKey(key))) throw cutroomError('OBJECT_NOT_FOUND', `no object ${key}`, { key });
    return pathOf(key);
  };

  const get = async (key: string): Promise<Readable> => createReadStream(await mustExist(key));

  const exists = async (key: string): Promise<boolean> => (await statKey(key)) !== null;

  const del = async (key: string): Promise<boolean> => {
    const p = pathOf(key);
    try {
      await unlink(p);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') return false;
      throw err;
    }
    // Prune now-empty folders so deleted tenants/assets leave no trace in the tree; rmdir fails on non-empty.
    let dir = dirname(p);
    while (dir.startsWith(root + sep)) {
      try {
        await rmdir(dir);
      } catch {
        break;
      }
      dir = dirname(dir);
    }
    return true;
  };

  const list = async (prefix: string): Promise<string[]> => {
    assertSafePrefix(prefix);
    const slash = prefix.lastIndexOf('/');
    const dirKey = slash >= 0 ? prefix.slice(0, slash) : '';
    const out: string[] = [];
    const walk = async (dir: string, keyPrefix: string): Promise<void> => {
      let entries;
      try {
        entries = await readdir(dir, { withFileTypes: true });
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code === 'ENOENT' || code === 'ENOTDIR') return;
        throw err;
      }
      for (const e of entries) {
        if (e.name.startsWith('.')) continue; // .tmp and anything not created through put
        const key = keyPrefix ? `${keyPrefix}/${e.name}` : e.name;
        if (e.isDirectory()) {
          if (key.startsWith(prefix) || prefix.startsWith(`${key}/`)) await walk(join(dir, e.name), key);
        } else if (e.isFile() && key.startsWith(prefix)) out.push(key);
      }
    };
    await walk(dirKey ? join(root, dirKey) : root, dirKey);
    return out.sort();
  };

  const localPath = (key: string): Promise<string> => mustExist(key);

  return { kind: 'local', put, get, stat: statKey, exists, delete: del, list, localPath };
}

async function writeAll(fh: Awaited<ReturnType<typeof open>>, chunk: Buffer): Promise<void> {
  let offset = 0;
  while (offset < chunk.length) {
    const { bytesWritten } = await fh.write(chunk, offset, chunk.length - offset);
    offset += bytesWritten;
  }
}
