/**
 * The signature header of a webhook delivery (the scheme Stripe made familiar):
 * `X-Cutroom-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`. The timestamp is signed with
 * the body, so a receiver that rejects timestamps older than a few minutes cannot be fed a replayed delivery;
 * each attempt is signed afresh with its own timestamp. The event id (X-Cutroom-Event) stays the same across
 * attempts, for receivers that de-duplicate.
 */
import { createHmac } from 'node:crypto';

export const SIGNATURE_HEADER = 'x-cutroom-signature';
export const EVENT_ID_HEADER = 'x-cutroom-event';

export function signWebhook({
  secret,
  timestamp,
  body,
}: {
  secret: string;
  /** Unix seconds. */
  timestamp: number;
  body: string;
}): string {
  const t = Math.trunc(timestamp);
  const v1 = createHmac('sha256', secret).update(`${t}.${body}`, 'utf8').digest('hex');
  return `t=${t},v1=${v1}`;
}
