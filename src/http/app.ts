/**
 * The Fastify app: request ids, the error envelope, the route registry (validation + /openapi.json from the
 * same declarations) and the core routes. Engines plug in with `extraRoutes` (their routes.ts), nothing here
 * imports them.
 */
import { homedir, tmpdir } from 'node:os';
import multipart from '@fastify/multipart';
import Fastify, { type FastifyInstance } from 'fastify';
import { cutroomError } from '../errors.js';
import { DEFAULT_MAX_UPLOAD_BYTES } from '../media/services.js';
import { toErrorEnvelope } from './error-envelope.js';
import { mountRoute } from './mount-route.js';
import { sanitizeDetails, sanitizeText, type SanitizeOptions } from './sanitize-error.js';
import { buildOpenApi } from './openapi.js';
import { requestIdFor } from './request-id.js';
import { importRootsFromEnv } from './resolve-import-path.js';
import { healthRoutes } from './routes/health.js';
import { mediaRoutes } from './routes/media.js';
import { projectRoutes } from './routes/projects.js';
import { timelineRoutes } from './routes/timeline.js';
import type { HttpServices } from './services.js';
import { registerStudio, sendStudioPage, wantsStudioPage } from './studio-static.js';
import type { AnyRouteSpec, HttpConfig, RouteDeps, RouteModule } from './types.js';

export const HTTP_VERSION = '0.1.0';

export interface BuildAppOptions<S extends HttpServices = HttpServices> {
  services: S;
  /**
   * Fastify's pino logger; default off (tests). `serve` passes a level so unexpected errors (logged at error
   * level with their stack, never sent to clients) reach the operator.
   */
  logger?: boolean | { level: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' };
  /** Engine route modules mounted after the core routes. */
  extraRoutes?: Array<RouteModule<S>>;
  /** Defaults: services.config.maxUploadBytes (else env CUTROOM_MAX_UPLOAD_BYTES), env CUTROOM_IMPORT_ROOTS, 16 MiB JSON bodies. */
  config?: Partial<HttpConfig>;
  /** Serve the built Studio web app from this folder at `/` (see studio-static.ts); off by default. */
  studioRoot?: string;
}

function configFrom(partial: Partial<HttpConfig>, services: HttpServices): HttpConfig {
  const envMax = Number(process.env.CUTROOM_MAX_UPLOAD_BYTES);
  return {
    maxUploadBytes:
      partial.maxUploadBytes ??
      services.config?.maxUploadBytes ??
      (Number.isInteger(envMax) && envMax > 0 ? envMax : DEFAULT_MAX_UPLOAD_BYTES),
    importRoots: partial.importRoots ?? importRootsFromEnv(process.env.CUTROOM_IMPORT_ROOTS),
    bodyLimitBytes: partial.bodyLimitBytes ?? 16 * 1024 * 1024,
  };
}

export async function buildApp<S extends HttpServices>(
  options: BuildAppOptions<S>,
): Promise<FastifyInstance> {
  const { services, logger = false, extraRoutes = [] } = options;
  const config = configFrom(options.config ?? {}, services);
  const app = Fastify({
    logger,
    bodyLimit: config.bodyLimitBytes,
    // Our own genReqId decides whether X-Request-Id is safe to reuse; fastify would take it verbatim.
    requestIdHeader: false,
    genReqId: (req) => requestIdFor({ header: req.headers['x-request-id'] }),
    // Tenants never share a route table; keep paths exact.
    routerOptions: { ignoreTrailingSlash: true },
  });

  await app.register(multipart, {
    limits: { fileSize: config.maxUploadBytes + 1, files: 1 },
  });

  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });

  const sanitize: SanitizeOptions = {
    serverDirs: [
      services.config?.dataDir,
      services.config?.workDir,
      process.cwd(),
      tmpdir(),
      homedir(),
    ].filter((d): d is string => typeof d === 'string' && d !== ''),
    clientDirs: config.importRoots,
  };
  app.setErrorHandler((error, request, reply) => {
    const raw = toErrorEnvelope({ error, requestId: request.id });
    if (raw.unexpected) request.log.error({ err: error }, 'unexpected error');
    // The full error (paths, stderr, stack) stays in the server log under the request id; the client gets
    // the sanitized envelope with that id.
    else if (raw.status >= 500 || raw.body.error.code !== 'VALIDATION_FAILED')
      request.log.warn({ err: error, request_id: request.id }, raw.body.error.code);
    const out = {
      ...raw,
      body: {
        error: {
          code: raw.body.error.code,
          message: sanitizeText(raw.body.error.message, sanitize),
          details: { ...sanitizeDetails(raw.body.error.details, sanitize), request_id: request.id },
        },
      },
    };
    // Drop headers a streaming handler may have set before failing (content-type of the stream, length).
    if (!reply.sent) {
      reply.removeHeader('content-length');
      reply.removeHeader('content-type');
      if (out.status !== 416) reply.removeHeader('content-range');
    }
    return reply.code(out.status).type('application/json; charset=utf-8').send(out.body);
  });

  const studio =
    options.studioRoot !== undefined && (await registerStudio({ app, root: options.studioRoot }));

  app.setNotFoundHandler((request, reply) => {
    if (studio && wantsStudioPage(request)) return sendStudioPage(reply);
    const err = cutroomError('ROUTE_NOT_FOUND', `no route ${request.method} ${request.url.split('?')[0]}`, {
      method: request.method,
    });
    // Like every other error: sanitized, with the request id (the error handler is not called from here).
    const body = err.toJSON();
    return reply.code(404).send({
      error: {
        code: body.code,
        message: sanitizeText(body.message, sanitize),
        details: { ...sanitizeDetails(body.details, sanitize), request_id: request.id },
      },
    });
  });

  const registry: AnyRouteSpec[] = [];
  const deps: RouteDeps<S> = {
    services,
    config,
    route: (spec) => {
      registry.push(spec as AnyRouteSpec);
      mountRoute({ app, spec: spec as AnyRouteSpec, tenants: services.tenants });
    },
  };

  const modules: Array<RouteModule<S>> = [
    healthRoutes({ version: HTTP_VERSION }),
    mediaRoutes,
    projectRoutes,
    timelineRoutes,
    ...extraRoutes,
  ];
  for (const mod of modules) mod(app, deps);

  let openapi: unknown = null;
  deps.route({
    method: 'GET',
    url: '/openapi.json',
    operationId: 'openapi',
    summary: 'This document.',
    tags: ['system'],
    auth: false,
    responses: { 200: { description: 'OpenAPI 3.1 document' } },
    handler: async () => (openapi ??= buildOpenApi({ routes: registry, version: HTTP_VERSION })),
  });

  return app;
}
