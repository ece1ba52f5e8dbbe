/**
 * GET /media-v2/assets/:id/filmstrip        tile index JSON of the asset's thumbnail sprite (made on first use)
 * GET /media-v2/assets/:id/filmstrip/image  the sprite JPEG (ETag, single HTTP Range)
 * GET /media-v2/assets/:id/waveform         peaks of one zoom level (optionally a time window of it)
 * Both artifacts are cached per tenant/env by cache key (src/render/timeline-visuals.ts); another tenant's asset
 * id answers ASSET_NOT_FOUND like any unknown id. Responses carry an ETag derived from the artifact and request,
 * and `If-None-Match` gets 304, so a browser revalidates instead of downloading again.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { cutroomError } from '../../errors.js';
import { FILMSTRIP_MAX_FRAMES, WAVEFORM_LEVELS } from '../../ffmpeg/index.js';
import type { Services } from '../../media/services.js';
import {
  ensureFilmstrip,
  ensureWaveform,
  FILMSTRIP_MAX_HEIGHT,
  FILMSTRIP_MIN_HEIGHT,
} from '../../render/timeline-visuals.js';
import { sendFileWithRange } from '../send-file-range.js';
import { IdParamsSchema } from '../schemas.js';
import type { RouteModule } from '../types.js';

const FilmstripQuery = z.object({
  height: z.coerce
    .number()
    .int()
    .min(FILMSTRIP_MIN_HEIGHT)
    .max(FILMSTRIP_MAX_HEIGHT)
    .optional()
    .describe(
      `tile height in px, ${FILMSTRIP_MIN_HEIGHT}..${FILMSTRIP_MAX_HEIGHT} (rounded to even), default 72`,
    ),
  frames: z.coerce
    .number()
    .int()
    .min(1)
    .max(FILMSTRIP_MAX_FRAMES)
    .optional()
    .describe(`number of tiles, 1..${FILMSTRIP_MAX_FRAMES}; default one per second of source, at most 120`),
});

const TileSchema = z.object({
  index: z.int(),
  time_ms: z.int(),
  x: z.int(),
  y: z.int(),
  width: z.int(),
  height: z.int(),
});

const FilmstripIndexSchema = z.object({
  asset_id: z.string(),
  artifact_id: z.string(),
  cached: z.boolean(),
  image_url: z.string().describe('GET this (with the same auth) for the sprite JPEG'),
  content_type: z.literal('image/jpeg'),
  count: z.int(),
  columns: z.int(),
  rows: z.int(),
  tile_width: z.int(),
  tile_height: z.int(),
  width: z.int().describe('sprite width in px'),
  height: z.int().describe('sprite height in px'),
  duration_ms: z.int().describe('source duration the tiles are spread over (0 for a still)'),
  tiles: z.array(TileSchema),
});

const WaveformQuery = z.object({
  level: z.coerce
    .number()
    .int()
    .min(0)
    .max(WAVEFORM_LEVELS.length - 1)
    .default(2)
    .describe(
      `zoom level, 0 (finest, 4 ms buckets) .. ${WAVEFORM_LEVELS.length - 1} (coarsest, 1.024 s); default 2`,
    ),
  start_ms: z.coerce.number().int().min(0).optional().describe('first bucket containing this source time'),
  end_ms: z.coerce.number().int().min(1).optional().describe('last bucket before this source time'),
});

const WaveformLevelInfoSchema = z.object({
  level: z.int(),
  samples_per_bucket: z.int(),
  bucket_ms: z.number(),
  length: z.int(),
});

const WaveformResponseSchema = z.object({
  asset_id: z.string(),
  artifact_id: z.string(),
  cached: z.boolean(),
  sample_rate: z.int(),
  channels: z.literal(1),
  bits: z.literal(8),
  scale: z.int().describe('full scale: a sample of ±1.0 is ±scale'),
  audio_duration_ms: z.int(),
  level: z.int(),
  samples_per_bucket: z.int(),
  bucket_ms: z.number(),
  /** Index of the first bucket returned (0 unless start_ms was given). */
  first_bucket: z.int(),
  length: z.int().describe('number of buckets returned'),
  data: z.array(z.int()).describe('interleaved [min0, max0, min1, max1, …] in -scale..scale'),
  levels: z.array(WaveformLevelInfoSchema),
});

/** 304 when the client already has this ETag. */
function notModified(request: FastifyRequest, reply: FastifyReply, etag: string): boolean {
  reply.header('etag', etag);
  // Per-tenant content behind an API key: private, and revalidated (cheap: the ETag comes from the cache key).
  reply.header('cache-control', 'private, no-cache');
  const inm = request.headers['if-none-match'];
  if (inm === undefined) return false;
  return inm.split(',').some((t) => t.trim() === etag || t.trim() === '*');
}

export const timelineVisualsRoutes: RouteModule<Services> = (_app, { services, route }) => {
  route({
    method: 'GET',
    url: '/media-v2/assets/:id/filmstrip',
    operationId: 'getFilmstrip',
    summary:
      "The tile index of the asset's thumbnail sprite (N frames at a fixed height in one JPEG): each tile's source time and rectangle. Made and cached on first request; the image is at image_url.",
    tags: ['media'],
    params: IdParamsSchema,
    query: FilmstripQuery,
    responses: {
      200: { description: 'The tile index', schema: FilmstripIndexSchema },
      304: { description: 'Not modified (If-None-Match matched the ETag)' },
    },
    errors: ['ASSET_NOT_FOUND', 'MEDIA_STREAM_MISSING', 'DECODE_FAILED', 'RENDER_FAILED'],
    handler: async ({ ctx, params, query, request, reply }) => {
      const r = await ensureFilmstrip({
        services,
        ctx,
        assetId: params.id,
        ...(query.height !== undefined ? { height: query.height } : {}),
        ...(query.frames !== undefined ? { frames: query.frames } : {}),
      });
      if (notModified(request, reply, `"${r.artifact.cache_key}"`)) return reply.code(304).send();
      const q = `height=${r.layout.tile_height}&frames=${r.layout.count}`;
      return {
        asset_id: params.id,
        artifact_id: r.artifact.id,
        cached: r.cached,
        image_url: `/media-v2/assets/${params.id}/filmstrip/image?${q}`,
        content_type: 'image/jpeg',
        ...r.layout,
      };
    },
  });

  route({
    method: 'GET',
    url: '/media-v2/assets/:id/filmstrip/image',
    operationId: 'getFilmstripImage',
    summary:
      'The thumbnail sprite JPEG (same height/frames query as the index); ETag and a single HTTP Range supported.',
    tags: ['media'],
    params: IdParamsSchema,
    query: FilmstripQuery,
    responses: {
      200: { description: 'The sprite', contentType: 'image/jpeg' },
      206: { description: 'A byte range of the sprite', contentType: 'image/jpeg' },
      304: { description: 'Not modified' },
    },
    errors: [
      'ASSET_NOT_FOUND',
      'MEDIA_STREAM_MISSING',
      'RANGE_NOT_SATISFIABLE',
      'DECODE_FAILED',
      'RENDER_FAILED',
    ],
    handler: async ({ ctx, params, query, request, reply }) => {
      const r = await ensureFilmstrip({
        services,
        ctx,
        assetId: params.id,
        ...(query.height !== undefined ? { height: query.height } : {}),
        ...(query.frames !== undefined ? { frames: query.frames } : {}),
      });
      if (notModified(request, reply, `"${r.artifact.content_hash ?? r.artifact.cache_key}"`))
        return reply.code(304).send();
      const path = await services.artifacts.artifactPath(ctx, r.artifact.id);
      return sendFileWithRange({ request, reply, path, contentType: 'image/jpeg', what: 'the sprite' });
    },
  });

  route({
    method: 'GET',
    url: '/media-v2/assets/:id/waveform',
    operationId: 'getWaveform',
    summary:
      'Audio waveform peaks (min/max per bucket, 8-bit, mono 16 kHz) at one zoom level, optionally only the buckets of start_ms..end_ms. Made and cached on first request.',
    tags: ['media'],
    params: IdParamsSchema,
    query: WaveformQuery,
    responses: {
      200: { description: 'Peaks of one level', schema: WaveformResponseSchema },
      304: { description: 'Not modified' },
    },
    errors: ['ASSET_NOT_FOUND', 'MEDIA_STREAM_MISSING', 'INVALID_PARAM', 'DECODE_FAILED'],
    handler: async ({ ctx, params, query, request, reply }) => {
      if (query.start_ms !== undefined && query.end_ms !== undefined && query.end_ms <= query.start_ms)
        throw cutroomError('INVALID_PARAM', 'end_ms must be greater than start_ms', {
          issues: [{ path: 'end_ms', message: 'must be greater than start_ms', part: 'querystring' }],
        });
      const r = await ensureWaveform({ services, ctx, assetId: params.id });
      const lvl = r.waveform.levels[query.level]!;
      const first =
        query.start_ms === undefined ? 0 : Math.min(lvl.length, Math.floor(query.start_ms / lvl.bucket_ms));
      const last =
        query.end_ms === undefined
          ? lvl.length
          : Math.min(lvl.length, Math.ceil(query.end_ms / lvl.bucket_ms));
      const etag = `"${r.artifact.cache_key.slice(0, 32)}-${query.level}-${first}-${last}"`;
      if (notModified(request, reply, etag)) return reply.code(304).send();
      return {
        asset_id: params.id,
        artifact_id: r.artifact.id,
        cached: r.cached,
        sample_rate: r.waveform.sample_rate,
        channels: 1,
        bits: 8,
        scale: r.waveform.scale,
        audio_duration_ms: r.waveform.duration_ms,
        level: lvl.level,
        samples_per_bucket: lvl.samples_per_bucket,
        bucket_ms: lvl.bucket_ms,
        first_bucket: first,
        length: Math.max(0, last - first),
        data: lvl.data.slice(2 * first, 2 * Math.max(first, last)),
        levels: r.waveform.levels.map(({ data: _data, ...info }) => info),
      };
    },
  });
};
