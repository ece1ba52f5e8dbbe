import { randomUUID } from 'node:crypto';

/** Ids a client may choose: they end up in logs and response headers, so no spaces, quotes or control chars. */
const SAFE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** The incoming X-Request-Id when it is safe to echo, else a fresh UUID. */
export function requestIdFor({ header }: { header: string | string[] | undefined }): string {
  const value = Array.isArray(header) ? header[0] : header;
  return value !== undefined && SAFE_REQUEST_ID.test(value) ? value : randomUUID();
}
