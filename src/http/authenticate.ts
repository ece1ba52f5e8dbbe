/**
 * API key → RequestContext. Unknown, malformed and revoked keys all get the same 401, so a caller cannot tell a
 * revoked key from one that never existed.
 */
import { isSafeId, type RequestContext } from '../context.js';
import { cutroomError } from '../errors.js';
import type { TenantService } from '../media/tenants.js';
import { validationFailed } from './parse-request.js';

export interface AuthenticateInput {
  tenants: Pick<TenantService, 'resolveApiKey' | 'getTenant'>;
  authorization: string | string[] | undefined;
  xEnv: string | string[] | undefined;
  requestId: string;
}

const BEARER = /^Bearer\s+(\S+)\s*$/i;

export async function authenticate({
  tenants,
  authorization,
  xEnv,
  requestId,
}: AuthenticateInput): Promise<RequestContext> {
  const header = Array.isArray(authorization) ? authorization[0] : authorization;
  const match = header === undefined ? null : BEARER.exec(header);
  if (!match) throw cutroomError('UNAUTHENTICATED', 'missing API key: send Authorization: Bearer <key>', {});
  const resolved = await tenants.resolveApiKey(match[1]!);
  if (!resolved) throw cutroomError('UNAUTHENTICATED', 'the API key is unknown or revoked', {});
  // A key whose tenant was removed (or the reserved placeholder) must not act as anybody.
  if (
    !isSafeId(resolved.tenantId) ||
    resolved.tenantId === 't_unknown' ||
    !(await tenants.getTenant(resolved.tenantId))
  )
    throw cutroomError('UNKNOWN_TENANT', 'the API key belongs to no existing tenant', {});

  const envHeader = Array.isArray(xEnv) ? xEnv[0] : xEnv;
  let env: string;
  if (envHeader === undefined || envHeader === '') {
    const first = resolved.envs[0];
    if (first === undefined) throw cutroomError('ENV_NOT_ALLOWED', 'the API key allows no env', {});
    env = first;
  } else {
    if (!isSafeId(envHeader))
      throw validationFailed([
        { part: 'headers', path: 'x-env', message: 'env must match ^[a-z0-9][a-z0-9_-]{0,62}$' },
      ]);
    env = envHeader;
  }
  if (!resolved.envs.includes(env))
    throw cutroomError('ENV_NOT_ALLOWED', `the API key may not act in env "${env}"`, {
      env,
      allowed_envs: resolved.envs,
    });
  return { tenantId: resolved.tenantId, env, requestId };
}
