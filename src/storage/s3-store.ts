/**
 * An ObjectStore on an S3-compatible bucket (AWS S3, MinIO, Ceph RGW, …), for installs where several machines
 * share media. Objects live at `{prefix}{key}` in the bucket; keys are validated exactly like the local store.
 *
 * Atomic writes: S3 makes an object visible only when a PutObject or CompleteMultipartUpload succeeds, so a put
 * buffers at most one part in memory (`partSizeBytes`) and either sends it with one PutObject (small objects) or
 * streams part after part into a multipart upload that is completed only after the last byte and the hash are in.
 * Any failure (source error, abort, PAYLOAD_TOO_LARGE, S3 error) aborts the multipart upload, so nothing partial
 * is ever visible under the key.
 *
 * ffmpeg reads local files: `localPath` downloads the object to `{cacheDir}/{hash of key}/{hash of ETag+size}/
 * {basename}` (temp + rename, so a reader never sees half a file) and reuses it while the ETag and size match.
 * The basename keeps the key's extension because ffmpeg picks demuxers by extension for some inputs.
 *
 * `@aws-sdk/lib-storage` is not used (not installed); the multipart protocol is three calls and done here.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
  type ListObjectsV2CommandOutput,
  type S3ClientConfig,
} from '@aws-sdk/client-s3';
import { cutroomError, isCutroomError } from '../errors.js';
import type { ObjectStat, ObjectStore, PutOptions, PutResult } from './object-store.js';
import { assertSafeKey, assertSafePrefix } from './safe-key.js';

/** S3's minimum part size (except the last part) is 5 MiB; 8 MiB keeps the part count low for big renders. */
export const DEFAULT_PART_SIZE_BYTES = 8 * 1024 * 1024;

export interface S3StoreOptions {
  bucket: string;
  /** Key prefix inside the bucket, e.g. "cutroom/" (must be "" or end with "/"). */
  prefix?: string;
  endpoint?: string;
  region?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string };
  /** Path-style URLs (http://host/bucket/key): needed by MinIO and s3rver. */
  forcePathStyle?: boolean;
  /** Where localPath downloads objects. Default `{os.tmpdir()}/cutroom-s3-cache`. */
  cacheDir?: string;
  /** Bytes per multipart part and the single-PutObject threshold. Default 8 MiB (S3 needs ≥ 5 MiB). */
  partSizeBytes?: number;
  /** Keys per ListObjectsV2 page (S3 caps it at 1000). Default 1000; tests lower it to exercise paging. */
  listPageSize?: number;
  /** An existing client (tests, custom middleware); the connection options above are then ignored. */
  client?: S3Client;
}

export interface S3Store extends ObjectStore {
  readonly bucket: string;
  readonly prefix: string;
  readonly cacheDir: string;
  /** Releases the client's sockets. */
  destroy(): void;
}

interface S3ErrorLike {
  name?: string;
  Code?: string;
  $metadata?: { httpStatusCode?: number };
}

function isNotFound(err: unknown): boolean {
  const e = err as S3ErrorLike;
  return (
    e?.name === 'NoSuchKey' ||
    e?.name === 'NotFound' ||
    e?.Code === 'NoSuchKey' ||
    e?.$metadata?.httpStatusCode === 404
  );
}

function storeFailed(action: string, key: string, err: unknown): Error {
  const e = err as S3ErrorLike & { message?: string };
  return cutroomError(
    'STORE_FAILED',
    `${action} ${key} failed: ${e?.name ?? 'error'}`,
    { key, s3_error: e?.name ?? e?.Code ?? null, http_status: e?.$metadata?.httpStatusCode ?? null },
    { cause: err },
  );
}

const sha = (text: string): string => createHash('sha256').update(text).digest('hex');

export function createS3Store(options: S3StoreOptions): S3Store {
  const { bucket } = options;
  const prefix = options.prefix ?? '';
  if (prefix !== '') assertSafePrefix(prefix);
  if (prefix !== '' && !prefix.endsWith('/'))
    throw cutroomError('INVALID_PATH', 'the S3 key prefix must end with "/"', { prefix });
  const partSize = options.partSizeBytes ?? DEFAULT_PART_SIZE_BYTES;
  const cacheDir = options.cacheDir ?? join(tmpdir(), 'cutroom-s3-cache');
  const config: S3ClientConfig = {
    region: options.region ?? 'us-east-1',
    forcePathStyle: options.forcePathStyle ?? false,
    // Only when the operation requires it: S3-compatible servers (older MinIO, s3rver) reject or ignore the
    // CRC32 trailers the SDK adds by default since 2025, and our own sha256 already covers integrity.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  };
  if (options.endpoint) config.endpoint = options.endpoint;
  if (options.credentials) config.credentials = options.credentials;
  const client = options.client ?? new S3Client(config);

  const fullKey = (key: string): string => {
    assertSafeKey(key);
    return prefix + key;
  };

  const put = async (key: string, source: Buffer | Readable, opts: PutOptions = {}): Promise<PutResult> => {
    const Key = fullKey(key);
    const { maxBytes, signal } = opts;
    const stream = Buffer.isBuffer(source) ? null : source;
    const aborted = () => cutroomError('STORE_FAILED', 'write aborted', { key, aborted: true });
    const onAbort = (): void => {
      stream?.destroy(aborted());
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    let sourceError: unknown = undefined;
    const onSourceError = (e: unknown): void => {
      sourceError ??= e;
    };
    stream?.on('error', onSourceError);

    const hash = createHash('sha256');
    let size = 0;
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    let uploadId: string | null = null;
    const parts: Array<{ ETag: string; PartNumber: number }> = [];
    let storeError: unknown = undefined;
    const s3 = async <T>(fn: () => Promise<T>): Promise<T> => {
      try {
        return await fn();
      } catch (err) {
        storeError = err;
        throw err;
      }
    };
    const flushPart = async (final: boolean): Promise<void> => {
      while (pendingBytes >= partSize || (final && pendingBytes > 0)) {
        const all = Buffer.concat(pending);
        const body = all.subarray(0, Math.min(partSize, all.length));
        const rest = all.subarray(body.length);
        pending = rest.length > 0 ? [rest] : [];
        pendingBytes = rest.length;
        if (uploadId === null) {
          const created = await s3(() =>
            client.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key })),
          );
          uploadId = created.UploadId ?? null;
          if (!uploadId) throw (storeError = new Error('CreateMultipartUpload returned no UploadId'));
        }
        const PartNumber = parts.length + 1;
        const r = await s3(() =>
          client.send(
            new UploadPartCommand({
              Bucket: bucket,
              Key,
              UploadId: uploadId!,
              PartNumber,
              Body: body,
              ContentLength: body.length,
            }),
            { abortSignal: signal },
          ),
        );
        parts.push({ ETag: r.ETag ?? '', PartNumber });
      }
    };

    try {
      if (signal?.aborted) throw aborted();
      const chunks: AsyncIterable<Buffer | string> | Iterable<Buffer> = stream ?? [source as Buffer];
      for await (const raw of chunks) {
        const chunk = typeof raw === 'string' ? Buffer.from(raw) : raw;
        size += chunk.length;
        // Checked per chunk, before keeping it: an oversized upload is cut off at the limit, not buffered.
        if (maxBytes !== undefined && size > maxBytes)
          throw cutroomError('PAYLOAD_TOO_LARGE', `more than ${maxBytes} bytes`, {
            key,
            max_bytes: maxBytes,
          });
        hash.update(chunk);
        pending.push(chunk);
        pendingBytes += chunk.length;
        // Only full parts go out while streaming: the last part may be small, the others may not.
        if (pendingBytes > partSize) await flushPart(false);
      }
      if (sourceError !== undefined) throw sourceError;
      if (signal?.aborted) throw aborted();
      if (uploadId === null) {
        const body = Buffer.concat(pending);
        await s3(() =>
          client.send(new PutObjectCommand({ Bucket: bucket, Key, Body: body, ContentLength: body.length }), {
            abortSignal: signal,
          }),
        );
      } else {
        await flushPart(true);
        if (signal?.aborted) throw aborted();
        await s3(() =>
          client.send(
            new CompleteMultipartUploadCommand({
              Bucket: bucket,
              Key,
              UploadId: uploadId!,
              MultipartUpload: { Parts: parts },
            }),
          ),
        );
      }
      return { key, size, sha256: hash.digest('hex') };
    } catch (err) {
      if (uploadId !== null) {
        // Best effort: S3 keeps uploaded parts (and bills them) until the upload is aborted; they are never
        // visible as an object either way. A bucket lifecycle rule should also expire incomplete uploads.
        await client
          .send(new AbortMultipartUploadCommand({ Bucket: bucket, Key, UploadId: uploadId }))
          .catch(() => undefined);
      }
      if (stream && !stream.destroyed) stream.destroy();
      if (isCutroomError(err)) throw err;
      if (signal?.aborted && (err as Error)?.name === 'AbortError') throw aborted();
      if (err === storeError) throw storeFailed('writing', key, err);
      throw err;
    } finally {
      signal?.removeEventListener('abort', onAbort);
      if (stream && !stream.destroyed) stream.off('error', onSourceError);
    }
  };

  const head = async (key: string): Promise<{ size: number; mtimeMs: number; etag: string } | null> => {
    const Key = fullKey(key);
    try {
      const r = await client.send(new HeadObjectCommand({ Bucket: bucket, Key }));
      return {
        size: Number(r.ContentLength ?? 0),
        mtimeMs: r.LastModified ? r.LastModified.getTime() : 0,
        etag: r.ETag ?? '',
      };
    } catch (err) {
      if (isNotFound(err)) return null;
      throw storeFailed('reading metadata of', key, err);
    }
  };

  const statKey = async (key: string): Promise<ObjectStat | null> => {
    const h = await head(key);
    return h ? { key, size: h.size, mtimeMs: h.mtimeMs } : null;
  };

  const get = async (key: string): Promise<Readable> => {
    const Key = fullKey(key);
    try {
      const r = await client.send(new GetObjectCommand({ Bucket: bucket, Key }));
      const body = r.Body;
      if (body instanceof Readable) return body;
      if (body && typeof (body as { transformToByteArray?: unknown }).transformToByteArray === 'function')
        return Readable.from(
          Buffer.from(await (body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray()),
        );
      return Readable.from(Buffer.alloc(0));
    } catch (err) {
      if (isNotFound(err)) throw cutroomError('OBJECT_NOT_FOUND', `no object ${key}`, { key });
      throw storeFailed('reading', key, err);
    }
  };

  const exists = async (key: string): Promise<boolean> => (await head(key)) !== null;

  const del = async (key: string): Promise<boolean> => {
    const Key = fullKey(key);
    // S3 deletes of missing keys succeed silently; the contract reports whether something was deleted.
    if (!(await head(key))) return false;
    try {
      await client.send(new DeleteObjectCommand({ Bucket: bucket, Key }));
    } catch (err) {
      if (isNotFound(err)) return false;
      throw storeFailed('deleting', key, err);
    }
    return true;
  };

  const list = async (listPrefix: string): Promise<string[]> => {
    assertSafePrefix(listPrefix);
    const out: string[] = [];
    // Paged with StartAfter (the last key seen) rather than ContinuationToken: both are standard ListObjectsV2,
    // and StartAfter also works on S3-compatible servers whose tokens are broken (s3rver encrypts them with DES,
    // which OpenSSL 3 no longer ships).
    let startAfter: string | undefined = undefined;
    for (;;) {
      let r: ListObjectsV2CommandOutput;
      try {
        r = await client.send(
          new ListObjectsV2Command({
            Bucket: bucket,
            Prefix: prefix + listPrefix,
            MaxKeys: options.listPageSize ?? 1000,
            ...(startAfter !== undefined ? { StartAfter: startAfter } : {}),
          }),
        );
      } catch (err) {
        throw storeFailed('listing', listPrefix || '(all)', err);
      }
      const page: string[] = (r.Contents ?? []).flatMap((o) => (o.Key ? [o.Key] : []));
      for (const k of page) if (k.startsWith(prefix)) out.push(k.slice(prefix.length));
      if (!r.IsTruncated || page.length === 0) break;
      startAfter = page[page.length - 1];
    }
    return out.sort();
  };

  const localPath = async (key: string): Promise<string> => {
    const h = await head(key);
    if (!h) throw cutroomError('OBJECT_NOT_FOUND', `no object ${key}`, { key });
    const keyDir = join(cacheDir, sha(`${bucket}\u0000${prefix}${key}`).slice(0, 32));
    const versionDir = join(keyDir, sha(`${h.etag}\u0000${h.size}`).slice(0, 16));
    const target = join(versionDir, basename(key));
    const cached = await stat(target).catch(() => null);
    if (cached?.isFile() && cached.size === h.size) return target;
    await mkdir(versionDir, { recursive: true });
    const tmp = join(versionDir, `.${randomBytes(8).toString('hex')}.part`);
    try {
      await pipeline(await get(key), createWriteStream(tmp, { flags: 'wx' }));
      const got = await stat(tmp);
      // The object was replaced between HEAD and GET: do not file new bytes under the old version's name.
      if (got.size !== h.size)
        throw cutroomError('STORE_FAILED', `object ${key} changed while being downloaded`, { key });
      await rename(tmp, target);
    } catch (err) {
      await rm(tmp, { force: true });
      throw err;
    }
    // Older versions of this key are stale now; removing them keeps the cache bounded by the live objects.
    for (const other of await readdir(keyDir).catch(() => [] as string[]))
      if (join(keyDir, other) !== versionDir)
        await rm(join(keyDir, other), { recursive: true, force: true }).catch(() => undefined);
    return target;
  };

  return {
    kind: 's3',
    bucket,
    prefix,
    cacheDir,
    put,
    get,
    stat: statKey,
    exists,
    delete: del,
    list,
    localPath,
    destroy: () => client.destroy(),
  };
}
