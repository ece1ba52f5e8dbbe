import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { RequestContext } from '../context.js';
import type { TenantService } from '../media/tenants.js';
import { authenticate } from './authenticate.js';
import { parseRequest } from './parse-request.js';
import { assertSameTenant } from './tenant-guard.js';
import type { AnyRouteSpec } from './types.js';

export interface MountRouteInput {
  app: FastifyInstance;
  spec: AnyRouteSpec;
  tenants: Pick<TenantService, 'resolveApiKey' | 'getTenant'>;
}

/**
 * Mounts one declared route: authenticate (401/403 before any validation, so an anonymous caller learns
 * nothing about the schema), refuse other tenants named in the request, validate every part, run the handler.
 */
export function mountRoute({ app, spec, tenants }: MountRouteInput): void {
  const needsAuth = spec.auth !== false;
  app.route({
    method: spec.method,
    url: spec.url,
    handler: async (request: FastifyRequest, reply) => {
      let ctx: RequestContext | null = null;
      if (needsAuth) {
        ctx = await authenticate({
          tenants,
          authorization: request.headers.authorization,
          xEnv: request.headers['x-env'],
          requestId: request.id,
        });
        assertSameTenant({
          ctx,
          body: spec.multipart && request.isMultipart() ? undefined : request.body,
          query: request.query,
        });
      }
      const multipart = spec.multipart !== undefined && request.isMultipart();
      const parsed = parseRequest({
        schemas: { params: spec.params, query: spec.query, body: multipart ? undefined : spec.body },
        values: { params: request.params, query: request.query, body: request.body },
      });
      return spec.handler({
        params: parsed.params,
        query: parsed.query,
        body: parsed.body,
        ctx: ctx as RequestContext,
        request,
        reply,
      });
    },
  });
}
