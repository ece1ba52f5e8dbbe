import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { RequestContext } from '../context.js';
import type { TenantService } from '../media/tenants.js';
import { authenticate } from './authenticate.js';
import { parseRequest } from './parse-request.js';
import { assertSameTenant } from './tenant-guard.js';
import type { AnyRouteSpec } from './types.js';

/**
 * `tenant_id` / `tenant` / `env` at the top of a body or query are allowed anywhere (clients copy them from
 * documents): assertSameTenant has already refused any that differ from the caller's, so they say nothing more
 * and must not count as unknown keys.
 */
function withoutTenantFields(value: unknown): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  const { tenant_id: _t, tenant: _u, env: _e, ...rest } = value as Record<string, unknown>;
  return rest;
}

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
        schemas: {
          params: spec.params,
          query: spec.query,
          body: multipart ? undefined : (spec.bodyFor?.(request.body) ?? spec.body),
        },
        values: {
          params: request.params,
          query: withoutTenantFields(request.query),
          body: multipart ? request.body : withoutTenantFields(request.body),
        },
      });
      if (parsed.warnings.length > 0)
        // Clients that ignore bodies still see it: RFC 8594 style header, the details are in the body's warnings.
        reply.header('deprecation', 'true');
      return spec.handler({
        warnings: parsed.warnings,
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
