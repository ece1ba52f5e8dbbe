/**
 * The caller's webhook signing secret: read it (created on first read) or rotate it. Keyed by the caller's
 * tenant only — no route takes a tenant id — so a tenant can never see or change another's secret.
 */
import { z } from 'zod';
import { getWebhookSecret, rotateWebhookSecret } from '../../jobs/webhooks/webhook-secrets.js';
import type { Services } from '../../media/services.js';
import type { RouteModule } from '../types.js';

const SecretSchema = z
  .object({
    secret: z.string().describe('HMAC-SHA256 key of X-Cutroom-Signature (whsec_…)'),
    created_at: z.string(),
    rotated_at: z.string().nullable(),
  })
  .meta({ id: 'WebhookSecret' });

export const webhookRoutes: RouteModule<Services> = (_app, { services, route }) => {
  route({
    method: 'GET',
    url: '/video/webhooks/secret',
    operationId: 'getWebhookSecret',
    summary:
      "The tenant's webhook signing secret (created on first read). Verify X-Cutroom-Signature `t=…,v1=…` as hex HMAC-SHA256 of `t.body` with it.",
    tags: ['render'],
    responses: { 200: { description: 'The secret', schema: SecretSchema } },
    handler: async ({ ctx }) => getWebhookSecret({ db: services.db, tenantId: ctx.tenantId }),
  });

  route({
    method: 'POST',
    url: '/video/webhooks/secret',
    operationId: 'rotateWebhookSecret',
    summary:
      "Rotate the tenant's webhook secret: every delivery from now on, retries included, is signed with the new one.",
    tags: ['render'],
    responses: { 200: { description: 'The new secret', schema: SecretSchema } },
    handler: async ({ ctx }) => rotateWebhookSecret({ db: services.db, tenantId: ctx.tenantId }),
  });
};
