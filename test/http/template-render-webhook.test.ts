// A template render with callback_url answers with its webhook like POST /video/render does, and the delivery
// attempt to a local receiver (allow-listed) is visible on the job afterwards.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/http/index.js';
import { engineRoutes } from '../../src/http/engine-routes.js';
import type { EmbeddedQueue } from '../../src/jobs/embedded-queue.js';
import { webhookPolicy } from '../../src/jobs/webhooks/index.js';
import { createServices, type Services } from '../../src/media/services.js';
import { createRenderQueue } from '../../src/render/jobs/index.js';
import { auth } from './helpers.js';

let app: FastifyInstance;
let services: Services;
let queue: EmbeddedQueue;
let receiver: Server;
let key: string;
let dir: string;
const received: Array<{ headers: Record<string, unknown>; body: string }> = [];

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cutroom-tpl-hook-'));
  services = await createServices({ dataDir: dir });
  await services.tenants.createTenant({ id: 'wh', envs: ['dev'] });
  key = (await services.tenants.createApiKey({ tenantId: 'wh' })).key;
  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  queue = await createRenderQueue({
    services,
    start: true,
    queue: { concurrency: 1, pollMs: 50, progressPersistMs: 100 },
  });
  app = await buildApp({
    services,
    extraRoutes: engineRoutes({
      queue,
      webhooks: {
        policy: webhookPolicy({ allow: '127.0.0.1' }),
        pollMs: 30,
        backoff: { baseMs: 60, maxMs: 200 },
      },
    }),
  });
  await app.ready();
});
after(async () => {
  await app.close();
  await queue.close();
  await services.close();
  await new Promise((r) => receiver.close(r));
  await rm(dir, { recursive: true, force: true });
});

test('a template render with callback_url shows its webhook, then the delivered attempt', async () => {
  const headers = auth(key, 'dev');
  const created = await app.inject({
    method: 'POST',
    url: '/video/templates',
    headers,
    payload: {
      name: 'hook',
      timeline: {
        tracks: [
          {
            id: 'v',
            kind: 'video',
            clips: [
              {
                id: 'bg',
                asset_id: 'generator:bg',
                start_ms: 0,
                duration_ms: 400,
                generator: { type: 'color', color: '{{FILL}}' },
              },
            ],
          },
        ],
      },
    },
  });
  assert.equal(created.statusCode, 201, created.body);
  const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
  const res = await app.inject({
    method: 'POST',
    url: `/video/templates/${created.json().id}/render`,
    headers,
    payload: { merge: { FILL: '#336699' }, profile: 'draft_360p', callback_url: url },
  });
  assert.equal(res.statusCode, 201, res.body);
  const job = res.json().job;
  assert.equal(job.webhook.url, url);
  assert.deepEqual(job.webhook.deliveries, []);

  let seen: { webhook: { deliveries: Array<{ status: string; attempts: Array<{ status_code: number }> }> } };
  const deadline = Date.now() + 60_000;
  for (;;) {
    seen = (await app.inject({ method: 'GET', url: `/video/render/jobs/${job.id}`, headers })).json().job;
    if (seen.webhook.deliveries[0]?.status === 'delivered') break;
    assert.ok(Date.now() < deadline, JSON.stringify(seen));
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.equal(seen.webhook.deliveries[0]!.attempts[0]!.status_code, 204);
  assert.equal(received.length, 1);
  assert.equal(JSON.parse(received[0]!.body).job.id, job.id);
  assert.match(String(received[0]!.headers['x-cutroom-signature']), /^t=\d+,v1=[0-9a-f]{64}$/);
});
