/**
 * The media registry: an asset is one uploaded or registered file, stored once under its tenant prefix as
 * `source.{ext}`, hashed while streaming, probed with ffprobe, and recorded with its MediaInfo. Font files
 * (TrueType/OpenType/collections) are recognised by their first bytes before probing (ffprobe cannot read
 * them), validated by src/media/font-info.ts and stored as `source.ttf|otf|ttc` with kind `font`. Nothing that
 * fails (too large, empty, not media, corrupt) leaves bytes in the store or a row in the database.
 */
import { createReadStream } from 'node:fs';
import { open, readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Readable } from 'node:stream';
import type { Kysely } from 'kysely';
import type { RequestContext } from '../context.js';
import { cutroomError, isCutroomError } from '../errors.js';
import type { Database } from '../db/schema.js';
import type { ObjectStore } from '../storage/object-store.js';
import type { MediaInfo } from '../timeline/media-info.js';
import { sanitiseFilename } from './filename.js';
import { detectFontSignature, FONT_SIGNATURE_BYTES, parseFontInfo } from './font-info.js';
import { newId, nowIso } from './ids.js';
import { assetKey } from './keys.js';
import { decodeCursor, encodeCursor, pageLimit, type Page, type PageInput } from './pagination.js';

/** Same shape as probeMedia in src/ffmpeg/probe.ts; injected so tests and other adapters can replace it. */
export type ProbeFn = (args: { path: string; signal?: AbortSignal }) => Promise<MediaInfo>;

export interface Asset {
  id: string;
  tenant_id: string;
  env: string;
  kind: MediaInfo['kind'];
  /** Lower-case hex sha256 of the stored bytes. */
  content_hash: string;
  size_bytes: number;
  original_filename: string;
  ext: string;
  storage_key: string;
  media_info: MediaInfo;
  created_at: string;
}

export type AssetSource =
  /** A local file (CLI, embedded use). Its base name is the original file name. */
  | { path: string }
  /** An upload stream (HTTP multipart) and the client's file name (only its extension is kept). */
  | { stream: Readable; filename: string };

export type AssetOrigin = 'any' | 'source' | 'render';

export interface RegisterAssetInput {
  source: AssetSource;
  /** Overrides the service's maxUploadBytes for this call. */
  maxBytes?: number;
  signal?: AbortSignal;
}

export interface RegisterAssetResult {
  asset: Asset;
  meta: {
    /** True when the same bytes were already registered by this tenant/env: the existing asset is returned. */
    deduplicated: boolean;
  };
}

/** Fonts are parsed in memory; real fonts (even CJK collections) stay well below this. */
export const MAX_FONT_BYTES = 64 * 1024 * 1024;

async function readHead(path: string): Promise<Uint8Array> {
  const fh = await open(path, 'r');
  try {
    const head = new Uint8Array(FONT_SIGNATURE_BYTES);
    const { bytesRead } = await fh.read(head, 0, FONT_SIGNATURE_BYTES, 0);
    return head.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

/** MediaInfo of a font file, or null when the file does not start like a font (then ffprobe decides). */
async function fontMediaInfo(path: string, size: number): Promise<MediaInfo | null> {
  if (detectFontSignature({ head: await readHead(path) }) === null) return null;
  if (size > MAX_FONT_BYTES)
    throw cutroomError('PAYLOAD_TOO_LARGE', `font files are limited to ${MAX_FONT_BYTES} bytes`, {
      size,
      max_bytes: MAX_FONT_BYTES,
    });
  const font = parseFontInfo({ bytes: await readFile(path) });
  return { kind: 'font', format_name: font.format, duration_ms: 0, size_bytes: size, stream_count: 0, font };
}

export interface AssetService {
  registerAsset(ctx: RequestContext, input: RegisterAssetInput): Promise<RegisterAssetResult>;
  /** ASSET_NOT_FOUND unless the asset exists in ctx's tenant and env. */
  getAsset(ctx: RequestContext, id: string): Promise<Asset>;
  /**
   * Newest first. `origin` filters by how the asset came to be: `render` = a render's output (it carries a
   * `render` artifact), `source` = everything else (uploads, registered files, assist outputs).
   */
  listAssets(ctx: RequestContext, page?: PageInput, filter?: { origin?: AssetOrigin }): Promise<Page<Asset>>;
  /** A local path of the source file, for ffmpeg. */
  assetPath(ctx: RequestContext, id: string): Promise<string>;
  /** Removes the asset, its artifacts' rows and every object under its prefix. */
  deleteAsset(ctx: RequestContext, id: string): Promise<void>;
}

export interface AssetServiceOptions {
  db: Kysely<Database>;
  store: ObjectStore;
  probe: ProbeFn;
  /** Default size limit for registerAsset. */
  maxUploadBytes: number;
}

export function createAssetService({ db, store, probe, maxUploadBytes }: AssetServiceOptions): AssetService {
  const toAsset = (row: Database['assets']): Asset => ({
    id: row.id,
    tenant_id: row.tenant_id,
    env: row.env,
    kind: row.kind as Asset['kind'],
    content_hash: row.content_hash,
    size_bytes: Number(row.size_bytes),
    original_filename: row.original_filename,
    ext: row.ext,
    storage_key: row.storage_key,
    media_info: JSON.parse(row.media_info) as MediaInfo,
    created_at: row.created_at,
  });

  const findByHash = async (ctx: RequestContext, hash: string): Promise<Asset | null> => {
    const row = await db
      .selectFrom('assets')
      .selectAll()
      .where('tenant_id', '=', ctx.tenantId)
      .where('env', '=', ctx.env)
      .where('content_hash', '=', hash)
      .executeTakeFirst();
    return row ? toAsset(row) : null;
  };

  const getAsset = async (ctx: RequestContext, id: string): Promise<Asset> => {
    const row =
      typeof id === 'string'
        ? await db
            .selectFrom('assets')
            .selectAll()
            .where('id', '=', id)
            .where('tenant_id', '=', ctx.tenantId)
            .where('env', '=', ctx.env)
            .executeTakeFirst()
        : undefined;
    if (!row) throw cutroomError('ASSET_NOT_FOUND', `no asset ${String(id)}`, { asset_id: id });
    return toAsset(row);
  };

  const registerAsset = async (
    ctx: RequestContext,
    input: RegisterAssetInput,
  ): Promise<RegisterAssetResult> => {
    const { source, signal } = input;
    const maxBytes = input.maxBytes ?? maxUploadBytes;
    let body: Readable;
    let filename: string;
    if ('path' in source) {
      if (typeof source.path !== 'string' || source.path.includes('\0'))
        throw cutroomError('INVALID_PATH', 'source path contains a NUL byte', {});
      filename = basename(source.path);
      const st = await stat(source.path).catch(() => null);
      if (!st || !st.isFile())
        throw cutroomError('INVALID_PATH', `source file not found or not a regular file: ${source.path}`, {
          path: source.path,
        });
      if (st.size > maxBytes)
        throw cutroomError('PAYLOAD_TOO_LARGE', `file is ${st.size} bytes, the limit is ${maxBytes}`, {
          size: st.size,
          max_bytes: maxBytes,
        });
      body = createReadStream(source.path);
    } else {
      filename = source.filename;
      body = source.stream;
    }
    let name: ReturnType<typeof sanitiseFilename>;
    try {
      name = sanitiseFilename({ filename });
    } catch (err) {
      // The upload stream is not read: drop it so the client sees the error instead of a hung request.
      body.destroy();
      throw err;
    }

    const id = newId('ast');
    const key = assetKey({ tenantId: ctx.tenantId, env: ctx.env, assetId: id, name: `source.${name.ext}` });
    const put = await store.put(key, body, { maxBytes, signal });
    // Every key written so far; all are deleted unless the asset row is committed (then all but storedKey).
    const written = [key];
    let storedKey = key;
    let ext = name.ext;
    let keep = false;
    try {
      if (put.size === 0)
        throw cutroomError('EMPTY_UPLOAD', 'the upload has zero bytes', { filename: name.original });
      const existing = await findByHash(ctx, put.sha256);
      if (existing) return { asset: existing, meta: { deduplicated: true } };
      const localPath = await store.localPath(key);
      const font = await fontMediaInfo(localPath, put.size);
      const info = font ?? (await probe({ path: localPath, signal }));
      if (font?.font && font.font.format !== ext) {
        // The client's name does not tell a font's format (".ttf" is not even a media extension): store it
        // under the extension its bytes prove, as a new object (objects are immutable, there is no rename).
        ext = font.font.format;
        storedKey = assetKey({ tenantId: ctx.tenantId, env: ctx.env, assetId: id, name: `source.${ext}` });
        written.push(storedKey);
        await store.put(storedKey, createReadStream(localPath), { signal });
      }
      const row: Database['assets'] = {
        id,
        tenant_id: ctx.tenantId,
        env: ctx.env,
        kind: info.kind,
        content_hash: put.sha256,
        size_bytes: put.size,
        original_filename: name.original,
        ext,
        storage_key: storedKey,
        media_info: JSON.stringify({ ...info, size_bytes: put.size }),
        created_at: nowIso(),
      };
      try {
        await db.insertInto('assets').values(row).execute();
      } catch (err) {
        // A concurrent upload of the same bytes won the unique (tenant, env, content_hash) constraint.
        const winner = await findByHash(ctx, put.sha256);
        if (winner) return { asset: winner, meta: { deduplicated: true } };
        throw err;
      }
      keep = true;
      return { asset: toAsset(row), meta: { deduplicated: false } };
    } catch (err) {
      if (isCutroomError(err)) throw err;
      throw cutroomError('INTERNAL', 'registering the asset failed', {}, { cause: err });
    } finally {
      for (const k of written) if (!keep || k !== storedKey) await store.delete(k).catch(() => false);
    }
  };

  const listAssets = async (
    ctx: RequestContext,
    page: PageInput = {},
    filter: { origin?: AssetOrigin } = {},
  ): Promise<Page<Asset>> => {
    const limit = pageLimit(page.limit);
    const after = decodeCursor(page.cursor);
    let q = db
      .selectFrom('assets')
      .selectAll('assets')
      .where('assets.tenant_id', '=', ctx.tenantId)
      .where('assets.env', '=', ctx.env);
    const origin = filter.origin ?? 'any';
    if (origin !== 'any') {
      q = q.where((eb) => {
        const renders = eb
          .selectFrom('artifacts')
          .select('artifacts.id')
          .whereRef('artifacts.asset_id', '=', 'assets.id')
          .where('artifacts.tenant_id', '=', ctx.tenantId)
          .where('artifacts.env', '=', ctx.env)
          .where('artifacts.kind', '=', 'render');
        return origin === 'render' ? eb.exists(renders) : eb.not(eb.exists(renders));
      });
    }
    if (after)
      q = q.where((eb) =>
        eb.or([
          eb('assets.created_at', '<', after.created_at),
          eb.and([eb('assets.created_at', '=', after.created_at), eb('assets.id', '<', after.id)]),
        ]),
      );
    const rows = await q
      .orderBy('assets.created_at', 'desc')
      .orderBy('assets.id', 'desc')
      .limit(limit + 1)
      .execute();
    const items = rows.slice(0, limit).map(toAsset);
    const last = items[items.length - 1];
    return { items, next_cursor: rows.length > limit && last ? encodeCursor(last) : null };
  };

  const assetPath = async (ctx: RequestContext, id: string): Promise<string> => {
    const asset = await getAsset(ctx, id);
    return store.localPath(asset.storage_key);
  };

  const deleteAsset = async (ctx: RequestContext, id: string): Promise<void> => {
    const asset = await getAsset(ctx, id);
    // Rows first, bytes second: a crash in between leaves orphan bytes (harmless, invisible), never rows that
    // point at missing content. Artifacts of the asset live under its prefix and go with it.
    await db.transaction().execute(async (trx) => {
      await trx
        .deleteFrom('artifacts')
        .where('tenant_id', '=', ctx.tenantId)
        .where('env', '=', ctx.env)
        .where('asset_id', '=', asset.id)
        .execute();
      await trx
        .deleteFrom('assets')
        .where('id', '=', asset.id)
        .where('tenant_id', '=', ctx.tenantId)
        .where('env', '=', ctx.env)
        .execute();
    });
    const prefix = asset.storage_key.slice(0, asset.storage_key.lastIndexOf('/') + 1);
    for (const key of await store.list(prefix)) await store.delete(key);
  };

  return { registerAsset, getAsset, listAssets, assetPath, deleteAsset };
}
