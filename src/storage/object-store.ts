/**
 * The object store contract: where media, artifacts and renders live as bytes. The embedded default is a local
 * directory (local-store.ts); a shared store (S3-compatible) plugs in later behind the same interface and must
 * pass the same conformance suite (test/conformance/object-store.ts).
 *
 * Guarantees every adapter gives:
 * - Keys are validated before any I/O (relative, `/`-separated, no `..`, no NUL/backslash, safe charset) and
 *   rejected with INVALID_PATH otherwise.
 * - `put` is atomic: readers see either the old object or the complete new one, never a partial write. A write
 *   that fails (source stream error, abort, size limit) leaves nothing behind — no object and no temp file.
 * - `maxBytes` is enforced while streaming (PAYLOAD_TOO_LARGE), so an oversized upload is never fully buffered.
 * - `put` returns the size and sha256 computed from the bytes as they were written (one pass, no re-read).
 *
 * Deliberately NOT in the contract:
 * - tenancy: the store knows nothing of tenants; the media layer builds keys (src/media/keys.ts) and refuses keys
 *   outside the caller's prefix before calling the store;
 * - metadata/content types, ACLs, versioning, multipart-upload sessions, presigned URLs, range reads (HTTP range
 *   is served from `localPath` or by the adapter's own means later);
 * - rename/copy: objects are immutable once written; write a new key instead;
 * - listing pagination: `list(prefix)` returns every key under the prefix (prefixes are per asset, so small).
 */
import type { Readable } from 'node:stream';

export interface PutOptions {
  /** Reject with PAYLOAD_TOO_LARGE as soon as more than this many bytes arrive; nothing is kept. */
  maxBytes?: number;
  /** Abort the write; the put rejects and nothing is kept. */
  signal?: AbortSignal;
}

export interface PutResult {
  key: string;
  size: number;
  /** Lower-case hex sha256 of the stored bytes. */
  sha256: string;
}

export interface ObjectStat {
  key: string;
  size: number;
  /** Last modification time, integer ms since the epoch. */
  mtimeMs: number;
}

export interface ObjectStore {
  /** Adapter name for diagnostics, e.g. "local". */
  readonly kind: string;
  /** Atomically writes the object (replacing any existing one) and returns its size and sha256. */
  put(key: string, source: Buffer | Readable, opts?: PutOptions): Promise<PutResult>;
  /** A stream of the object's bytes. Rejects with OBJECT_NOT_FOUND when the key does not exist. */
  get(key: string): Promise<Readable>;
  /** Size and mtime, or null when the object does not exist. */
  stat(key: string): Promise<ObjectStat | null>;
  exists(key: string): Promise<boolean>;
  /** Deletes the object; deleting a missing key is not an error. Returns whether something was deleted. */
  delete(key: string): Promise<boolean>;
  /** Every key under the prefix (a "folder" prefix ending in `/`, or "" for all), sorted, recursively. */
  list(prefix: string): Promise<string[]>;
  /**
   * A local filesystem path ffmpeg can read. The local adapter returns the real path of the object; remote
   * adapters download to a cache and return that path. Rejects with OBJECT_NOT_FOUND when the key is missing.
   */
  localPath(key: string): Promise<string>;
}
