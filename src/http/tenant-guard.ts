/**
 * A request may name its tenant/env in the body or query (clients copy them from documents), but only the ones
 * its API key and X-Env select. Naming another is refused outright instead of being silently ignored, so a
 * client bug that mixes tenants shows up at once.
 */
import type { RequestContext } from '../context.js';
import { cutroomError } from '../errors.js';

const TENANT_FIELDS = ['tenant_id', 'tenant'] as const;
const ENV_FIELDS = ['env'] as const;

function fieldsOf(value: unknown): Record<string, unknown> | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : null;
}

export function assertSameTenant({
  ctx,
  body,
  query,
}: {
  ctx: RequestContext;
  body: unknown;
  query: unknown;
}): void {
  for (const [part, value] of [
    ['body', body],
    ['querystring', query],
  ] as const) {
    const fields = fieldsOf(value);
    if (!fields) continue;
    for (const f of TENANT_FIELDS) {
      if (f in fields && fields[f] !== ctx.tenantId)
        throw cutroomError('TENANT_MISMATCH', `${part}.${f} names another tenant than the API key's`, {
          part,
          path: f,
        });
    }
    for (const f of ENV_FIELDS) {
      if (f in fields && fields[f] !== ctx.env)
        throw cutroomError(
          'TENANT_MISMATCH',
          `${part}.${f} names another env than the one selected (X-Env)`,
          {
            part,
            path: f,
            env: ctx.env,
          },
        );
    }
  }
}
