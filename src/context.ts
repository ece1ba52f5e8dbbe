/**
 * Every service call carries a RequestContext. Over HTTP it comes from the API key and X-Env; the CLI and the
 * embedded default use the local tenant. Services never take a tenant from anywhere else.
 */
export interface RequestContext {
  tenantId: string;
  env: string;
  requestId: string;
}

/** Tenant and env ids end up in storage keys and SQL; keep them to a safe, boring alphabet. */
export const ID_PATTERN = /^[a-z0-9][a-z0-9_-]{0,62}$/;

export function isSafeId(value: string): boolean {
  return ID_PATTERN.test(value);
}
