/**
 * The media registry over HTTP (the seed's media_v2 names): upload or register assets, list and read them, read
 * artifacts and stream their content with HTTP Range.
 */
import { PassThrough } from 'node:stream';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { RequestContext } from '../../context.js';
import { cutroomError, isCutroomError } from '../../errors.js';
import { sanitiseFilename } from '../../media/filename.js';
import { contentTypeFor } from '../content-type.js';
import { sendFileWithRange } from '../send-file-range.js';
import { resolveImportPath } from '../resolve-import-path.js';
import {
  ArtifactSchema,
  AssetWithArtifactsSchema,
  AssetSchema,
  IdParamsSchema,
  PageQuerySchema,
  RegisterAssetResponseSchema,
  RegisterPathBodySchema,
  pageOf,
} from '../schemas.js';
import type { HttpServices } from '../services.js';
import { assertSameTenant } from '../tenant-guard.js';
import type { RouteModule } from '../types.js';

/** Form fields a multipart upload may carry besides the file (tenant/env are checked like in a JSON body). */
const FORM_FIELDS = new Set(['tenant_id', 'tenant', 'env']);

export const mediaRoutes: RouteModule<HttpServices> = (_app, { services, config, route }) => {
  route({
    method: 'POST',
    url: '/media-v2/assets',
    operationId: 'registerAsset',
    summary:
      'Upload a file (multipart/form-data, field "file", streamed) or register a server-side file ({path} under CUTROOM_IMPORT_ROOTS); probes and hashes it.',
    tags: ['media'],
    body: RegisterPathBodySchema,
    multipart: { fileField: 'file', description: 'The media file; its name only gives the extension.' },
    responses: {
      201: { description: 'Registered', schema: RegisterAssetResponseSchema },
      200: {
        description: 'The same bytes were already registered: the existing asset',
        schema: RegisterAssetResponseSchema,
      },
    },
    errors: [
      'INVALID_PATH',
      'PAYLOAD_TOO_LARGE',
      'UNSUPPORTED_MEDIA',
      'UNSUPPORTED_CONTENT_TYPE',
      'MEDIA_CORRUPT',
      'EMPTY_UPLOAD',
      'STORE_FAILED',
    ],
    handler: async ({ ctx, body, request, reply }) => {
      const result = request.isMultipart()
        ? await registerUpload({ ctx, request, services, maxBytes: config.maxUploadBytes })
        : await services.assets.registerAsset(ctx, {
            source: { path: await resolveImportPath({ path: body.path, roots: config.importRoots }) },
            maxBytes: config.maxUploadBytes,
          });
      reply.code(result.meta.deduplicated ? 200 : 201);
      return result;
    },
  });

  route({
    method: 'GET',
    url: '/media-v2/assets',
    operationId: 'listAssets',
    summary:
      "List the caller's assets in the selected env, newest first. origin=render lists only render outputs (assets with a render artifact), origin=source everything else.",
    tags: ['media'],
    query: PageQuerySchema.extend({
      origin: z
        .enum(['any', 'source', 'render'])
        .default('any')
        .describe('any (default), source (uploads, registered files, assist outputs) or render (render outputs)'),
    }),
    responses: { 200: { description: 'A page of assets', schema: pageOf(AssetSchema) } },
    handler: async ({ ctx, query }) =>
      services.assets.listAssets(ctx, { limit: query.limit, cursor: query.cursor }, { origin: query.origin }),
  });

  route({
    method: 'GET',
    url: '/media-v2/assets/:id',
    operationId: 'getAsset',
    summary: 'One asset with its artifacts.',
    tags: ['media'],
    params: IdParamsSchema,
    responses: { 200: { description: 'The asset', schema: AssetWithArtifactsSchema } },
    errors: ['ASSET_NOT_FOUND'],
    handler: async ({ ctx, params }) => {
      const asset = await services.assets.getAsset(ctx, params.id);
      const artifacts = await services.artifacts.listArtifacts(ctx, { assetId: asset.id });
      return { ...asset, artifacts };
    },
  });

  route({
    method: 'GET',
    url: '/media-v2/artifacts/:id',
    operationId: 'getArtifact',
    summary: 'One artifact (meta and where its content is).',
    tags: ['media'],
    params: IdParamsSchema,
    responses: { 200: { description: 'The artifact', schema: ArtifactSchema } },
    errors: ['ARTIFACT_NOT_FOUND'],
    handler: async ({ ctx, params }) => services.artifacts.getArtifact(ctx, params.id),
  });

  route({
    method: 'GET',
    url: '/media-v2/artifacts/:id/content',
    operationId: 'getArtifactContent',
    summary: "An artifact's bytes; supports a single HTTP Range (bytes=start-end) for <video> seeking.",
    tags: ['media'],
    params: IdParamsSchema,
    responses: {
      200: { description: 'The whole content', contentType: 'application/octet-stream' },
      206: { description: 'The requested range', contentType: 'application/octet-stream' },
    },
    errors: ['ARTIFACT_NOT_FOUND', 'RANGE_NOT_SATISFIABLE'],
    handler: async ({ ctx, params, request, reply }) => {
      const artifact = await services.artifacts.getArtifact(ctx, params.id);
      if (artifact.storage_key === null)
        throw cutroomError('ARTIFACT_NOT_FOUND', `artifact ${artifact.id} has no content`, {
          artifact_id: artifact.id,
        });
      const path = await services.artifacts.artifactPath(ctx, artifact.id);
      if (artifact.content_hash) reply.header('etag', `"${artifact.content_hash}"`);
      return sendFileWithRange({
        request,
        reply,
        path,
        contentType: contentTypeFor({ key: artifact.storage_key }),
        what: 'the content',
      });
    },
  });
};

interface RegisterUploadInput {
  ctx: RequestContext;
  request: FastifyRequest;
  services: HttpServices;
  maxBytes: number;
}

async function registerUpload({ ctx, request, services, maxBytes }: RegisterUploadInput) {
  const part = await request
    .file({
      // busboy strips directories from file names by default, which would turn `../../etc/passwd` into an
      // innocent `passwd`; keep the name as sent so a hostile one is refused, not silently cleaned.
      preservePath: true,
      // One byte over the limit still reaches the store, whose maxBytes check fails the write mid-stream.
      limits: { fileSize: maxBytes + 1, files: 1, fields: 10, fieldSize: 1024, parts: 12 },
    })
    .catch((err: unknown) => {
      // fastify's own errors (limits, not multipart) map to their codes in the envelope; anything else is
      // busboy refusing the body (no boundary, broken headers).
      if (isCutroomError(err) || String((err as { code?: unknown }).code ?? '').startsWith('FST_')) throw err;
      throw malformedMultipart(err);
    });
  if (!part)
    throw cutroomError('VALIDATION_FAILED', 'the multipart body has no file part', {
      issues: [{ part: 'body', path: 'file', message: 'a file part is required' }],
    });
  const fields: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(part.fields)) {
    if (!FORM_FIELDS.has(name) || Array.isArray(value) || !value || value.type !== 'field') continue;
    fields[name] = value.value;
  }
  try {
    assertSameTenant({ ctx, body: fields, query: undefined });
    sanitiseFilename({ filename: part.filename });
  } catch (err) {
    part.file.resume();
    throw err;
  }
  // busboy ends a file stream silently at the size limit (only a 'limit' event says so); turn that into an
  // error on the stream the store reads, so the write fails and nothing truncated is kept. A malformed body
  // (no closing boundary) errors the file stream, possibly before we get here: `pipe` would not forward that
  // and the store would wait forever, so every way the source can fail is forwarded by hand.
  const guarded = new PassThrough();
  const file = part.file;
  const fail = (err: unknown): void => {
    guarded.destroy(isCutroomError(err) ? err : malformedMultipart(err));
  };
  file.on('limit', () =>
    fail(
      cutroomError('PAYLOAD_TOO_LARGE', `the upload is larger than ${maxBytes} bytes`, {
        max_bytes: maxBytes,
      }),
    ),
  );
  file.on('error', fail);
  file.on('close', () => {
    if (!file.readableEnded) fail(file.errored ?? new Error('the upload ended before the file did'));
  });
  if (file.errored) fail(file.errored);
  else file.pipe(guarded);
  return services.assets.registerAsset(ctx, {
    source: { stream: guarded, filename: part.filename },
    maxBytes,
  });
}

function malformedMultipart(err: unknown): Error {
  const message = err instanceof Error ? err.message : String(err);
  return cutroomError('VALIDATION_FAILED', `the multipart body is malformed: ${message}`, {
    issues: [{ part: 'body', path: '', message }],
  });
}
