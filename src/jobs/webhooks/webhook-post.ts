/**
 * One POST of a webhook body, connected to an address that was already checked: the request keeps the URL's
 * host name (Host header, TLS server name and certificate check), but the socket goes to `address`, so the host
 * is not resolved a second time (DNS rebinding). Redirects are not followed (a 3xx counts as a failed attempt):
 * following one would be a request to a URL nobody checked.
 */
import http from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import type { ResolvedAddress } from './webhook-policy.js';

export interface WebhookPostInput {
  url: URL;
  address: ResolvedAddress;
  headers: Record<string, string>;
  body: string;
  timeoutMs: number;
}

/** The HTTP status, or the reason no response came (connection refused, timeout…). */
export type WebhookPostResult = { statusCode: number } | { error: string };

/** Answers every lookup with the checked address (net.connect asks with all: true when it races families). */
function pinnedLookup(address: ResolvedAddress): LookupFunction {
  return ((_host: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) => {
    if (options?.all) callback(null, [{ address: address.address, family: address.family }]);
    else callback(null, address.address, address.family);
  }) as LookupFunction;
}

export function postWebhook({
  url,
  address,
  headers,
  body,
  timeoutMs,
}: WebhookPostInput): Promise<WebhookPostResult> {
  return new Promise((resolve) => {
    const client = url.protocol === 'https:' ? https : http;
    let settled = false;
    const done = (result: WebhookPostResult) => {
      if (settled) return;
      settled = true;
      // Called from events only (never synchronously), so `deadline` below is set by then.
      clearTimeout(deadline);
      resolve(result);
    };
    const payload = Buffer.from(body, 'utf8');
    const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
    const req = client.request({
      method: 'POST',
      hostname: host,
      port: url.port === '' ? undefined : Number(url.port),
      path: `${url.pathname}${url.search}`,
      headers: { ...headers, 'content-length': String(payload.length), host: url.host },
      lookup: pinnedLookup(address),
      // No pooled sockets: each delivery connects to the address checked for it.
      agent: false,
      // TLS SNI takes names only, never an IP literal.
      ...(url.protocol === 'https:' && isIP(host) === 0 ? { servername: host } : {}),
    });
    // An absolute deadline (not an idle timeout): a receiver dripping a byte now and then cannot hold it open.
    const deadline = setTimeout(() => {
      const err = new Error(`no complete response within ${timeoutMs} ms`);
      req.destroy(err);
      done({ error: err.message });
    }, timeoutMs);
    deadline.unref();
    req.on('error', (err: NodeJS.ErrnoException) =>
      done({ error: err.code ? `${err.code}: ${err.message}` : err.message }),
    );
    req.on('response', (res) => {
      const statusCode = res.statusCode ?? 0;
      // The receiver's answer is not needed; read (at most 64 KiB) and drop it so the socket can close.
      let seen = 0;
      res.on('data', (chunk: Buffer) => {
        seen += chunk.length;
        if (seen > 65536) res.destroy();
      });
      res.on('end', () => done({ statusCode }));
      res.on('close', () => done({ statusCode }));
      res.on('error', () => done({ statusCode }));
    });
    req.end(payload);
  });
}
