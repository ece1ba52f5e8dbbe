// Webhooks over HTTP: a real render submitted with callback_url reaches a local receiver (allow-listed) after a
// 500, the signature verifies with node:crypto here (not the code under test), the attempts show on GET job, the
// event is tenant-safe; refused URLs are coded errors; the webhook secret is behind the tenant wall.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/http/index.js';
import { engineRoutes } from '../../src/http/engine-routes.js';
import type { EmbeddedQueue } from '../../src/jobs/embedded-queue.js';
import { webhookPolicy } from '../../src/jobs/webhooks/index.js';
import { createServices, type Services } from '../../src/media/services.js';
import { createRenderQueue } from '../../src/render/jobs/index.js';
import { frameCount } from '../helpers/media.js';
import { cutTimeline, registerColours, waitForJob } from '../render/jobs-helpers.js';
import type { TestServices } from '../media/setup.js';
import { auth } from './helpers.js';

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

let app: FastifyInstance;
let strictApp: FastifyInstance;
let services: Services;
let queue: EmbeddedQueue;
let dataDir: string;
let keyA: string;
let keyB: string;
let assets: string[];
const received: Received[] = [];
let statuses: number[] = [];
let hookPort = 0;
const hookServer = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
    res.statusCode = statuses.shift() ?? 200;
    res.end();
  });
});

before(async () => {
  await new Promise<void>((r) => hookServer.listen(0, '127.0.0.1', r));
  hookPort = (hookServer.address() as AddressInfo).port;
  dataDir = await mkdtemp(join(tmpdir(), 'cutroom-http-webhooks-'));
  services = await createServices({ dataDir });
  await services.tenants.createTenant({ id: 'ta', envs: ['dev', 'prod'] });
  await services.tenants.createTenant({ id: 'tb', envs: ['dev'] });
  keyA = (await services.tenants.createApiKey({ tenantId: 'ta' })).key;
  keyB = (await services.tenants.createApiKey({ tenantId: 'tb' })).key;
  assets = await registerColours(services as TestServices, {
    tenantId: 'ta',
    env: 'dev',
    requestId: 'req_test',
  });
  queue = await createRenderQueue({
    services,
    queue: { concurrency: 1, pollMs: 50 },
    handler: { chunkMs: 1000 },
  });
  const webhooks = { pollMs: 50, backoff: { baseMs: 100, maxMs: 400 }, timeoutMs: 5000 };
  app = await buildApp({
    services,
    extraRoutes: engineRoutes({
      queue,
      webhooks: { ...webhooks, policy: webhookPolicy({ allow: '127.0.0.1' }) },
    }),
  });
  await app.ready();
  // The same API without the allow-list: it refuses local receivers. It has a database of its own, so its
  // dispatcher (strict policy) never sees, and never refuses, the deliveries of app's jobs.
  const strictServices = await createServices({ dataDir: join(dataDir, 'strict') });
  await strictServices.tenants.createTenant({ id: 'ta', envs: ['dev'] });
  strictKey = (await strictServices.tenants.createApiKey({ tenantId: 'ta' })).key;
  strictApp = await buildApp({
    services: strictServices,
    extraRoutes: engineRoutes({ queue, webhooks: { ...webhooks, policy: webhookPolicy({}) } }),
  });
  closeStrict = () => strictServices.close();
});
let strictKey: string;
let closeStrict: () => Promise<void>;

after(async () => {
  await strictApp.close();
  await closeStrict();
  await app.close();
  await queue.close();
  await services.close();
  await new Promise<void>((r) => hookServer.close(() => r()));
  await rm(dataDir, { recursive: true, force: true });
});

/** A receiver's check: HMAC-SHA256 of "t.body" with the tenant's secret, constant-time compare, recent t. */
function verifySignature(header: unknown, body: string, secret: string): boolean {
  if (typeof header !== 'string') return false;
  const m = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(header);
  if (!m) return false;
  if (Math.abs(Date.now() / 1000 - Number(m[1])) > 300) return false;
  const expected = createHmac('sha256', secret).update(`${m[1]}.${body}`).digest();
  return timingSafeEqual(Buffer.from(m[2]!, 'hex'), expected);
}

const secretOf = async (key: string) => {
  const res = await app.inject({ method: 'GET', url: '/video/webhooks/secret', headers: auth(key, 'dev') });
  assert.equal(res.statusCode, 200, res.body);
  return res.json() as { secret: string; created_at: string; rotated_at: string | null };
};

test('a rendered job POSTs a signed, tenant-safe event; a 500 is retried; attempts show on GET job', async () => {
  statuses = [500];
  received.length = 0;
  const url = `http://127.0.0.1:${hookPort}/cutroom/hook`;
  const res = await app.inject({
    method: 'POST',
    url: '/video/render',
    headers: auth(keyA, 'dev'),
    payload: {
      timeline: cutTimeline(assets.slice(0, 2)),
      profile: 'draft_360p',
      output: 'hooked.mp4',
      callback_url: url,
    },
  });
  assert.equal(res.statusCode, 201, res.body);
  const submitted = res.json().job;
  assert.deepEqual(submitted.webhook, { url, deliveries: [] });

  const done = await waitForJob(queue, { tenantId: 'ta', env: 'dev', requestId: 'r' }, submitted.id);
  assert.equal(done.state, 'completed', JSON.stringify(done.error));

  interface Attempt {
    status_code: number | null;
    next_retry_at: string | null;
  }
  interface Delivery {
    id: string;
    status: string;
    job_state: string;
    attempts: Attempt[];
  }
  let job: { state?: string; webhook?: { deliveries: Delivery[] } } = {};
  const deadline = Date.now() + 30000;
  while (Date.now() < deadline) {
    job = (
      await app.inject({
        method: 'GET',
        url: `/video/render/jobs/${submitted.id}`,
        headers: auth(keyA, 'dev'),
      })
    ).json().job;
    if (job.webhook?.deliveries[0]?.status === 'delivered') break;
    await new Promise((r) => setTimeout(r, 50));
  }
  const delivery = job.webhook!.deliveries[0]!;
  assert.equal(delivery.status, 'delivered', JSON.stringify(job.webhook));
  assert.equal(delivery.job_state, 'completed');
  assert.deepEqual(
    delivery.attempts.map((a) => a.status_code),
    [500, 200],
  );
  assert.ok(delivery.attempts[0]!.next_retry_at, 'the failed attempt names its retry time');
  assert.equal(delivery.attempts[1]!.next_retry_at, null);
  assert.equal(job.state, 'completed');

  assert.equal(received.length, 2);
  const { secret } = await secretOf(keyA);
  for (const r of received) {
    assert.ok(
      verifySignature(r.headers['x-cutroom-signature'], r.body, secret),
      r.headers['x-cutroom-signature'] as string,
    );
    assert.equal(r.headers['x-cutroom-event'], delivery.id);
  }
  const event = JSON.parse(received[1]!.body);
  assert.equal(event.type, 'render.completed');
  assert.equal(event.id, delivery.id);
  assert.equal(event.job.id, submitted.id);
  assert.equal(event.job.state, 'completed');
  assert.equal(event.job.output, 'hooked.mp4');
  assert.equal(event.job.profile, 'draft_360p');
  assert.equal(event.job.result.asset_id, done.result && (done.result as { asset_id: string }).asset_id);
  // The output the event names is the real render: 2 clips × 1 s at the profile's 30 fps (draft_360p).
  const out = await app.inject({
    method: 'GET',
    url: `/video/render/jobs/${submitted.id}/output`,
    headers: auth(keyA, 'dev'),
  });
  assert.equal(out.statusCode, 200);
  const path = await services.assets.assetPath(
    { tenantId: 'ta', env: 'dev', requestId: 'r' },
    event.job.result.asset_id,
  );
  assert.equal(await frameCount(path), 60);
  assert.equal(event.job.result.frame_count, 60);
  // Tenant-safe: no server path, no export path, no timeline.
  assert.doesNotMatch(received[1]!.body, new RegExp(dataDir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
  assert.doesNotMatch(received[1]!.body, /"\/(tmp|home|work|srv)\//);
  assert.equal(event.job.result.export_path, undefined);
  assert.equal(event.job.timeline, undefined);

  // Another tenant cannot see the job or its webhook.
  const other = await app.inject({
    method: 'GET',
    url: `/video/render/jobs/${submitted.id}`,
    headers: auth(keyB, 'dev'),
  });
  assert.equal(other.statusCode, 404);
});

test('refused callback URLs are coded errors, before anything is queued', async () => {
  const timeline = cutTimeline(assets.slice(0, 1));
  const submit = (target: FastifyInstance, key: string, callback_url: string) =>
    target.inject({
      method: 'POST',
      url: '/video/render',
      headers: auth(key, 'dev'),
      payload: { timeline, profile: 'draft_360p', output: 'refused.mp4', callback_url },
    });
  for (const url of [
    `http://127.0.0.1:${hookPort}/hook`,
    'http://localhost:9/hook',
    'http://[::1]/hook',
    'http://169.254.169.254/latest/meta-data/',
    'http://0.0.0.0/',
    'http://192.168.1.10/hook',
  ]) {
    const res = await submit(strictApp, strictKey, url);
    assert.equal(res.statusCode, 400, `${url}: ${res.body}`);
    assert.equal(res.json().error.code, 'WEBHOOK_ADDRESS_FORBIDDEN', url);
    assert.equal(res.json().error.details.path, 'callback_url');
  }
  for (const url of [
    'ftp://127.0.0.1/x',
    'ftp://example.com/hook',
    'http://user:pw@127.0.0.1/',
    'not a url',
  ]) {
    for (const [target, key] of [
      [strictApp, strictKey],
      [app, keyA],
    ] as const) {
      const res = await submit(target, key, url);
      assert.equal(res.statusCode, 400, `${url}: ${res.body}`);
      assert.equal(res.json().error.code, 'WEBHOOK_URL_INVALID', url);
    }
  }
  // The allow-listed app takes 127.0.0.1 but still refuses other private addresses.
  const other = await submit(app, keyA, 'http://10.0.0.1/hook');
  assert.equal(other.json().error.code, 'WEBHOOK_ADDRESS_FORBIDDEN');
  const jobs = await app.inject({ method: 'GET', url: '/video/render/jobs', headers: auth(keyA, 'dev') });
  assert.ok(
    !jobs.json().jobs.some((j: { output: string }) => j.output === 'refused.mp4'),
    'nothing was queued',
  );
});

test('the webhook secret: each tenant its own, stable, rotatable only by its tenant', async () => {
  const a1 = await secretOf(keyA);
  const b1 = await secretOf(keyB);
  assert.match(a1.secret, /^whsec_[0-9a-f]{64}$/);
  assert.notEqual(a1.secret, b1.secret);
  assert.equal((await secretOf(keyA)).secret, a1.secret);
  // The prod env of the same tenant shares the tenant's secret.
  const prod = await app.inject({
    method: 'GET',
    url: '/video/webhooks/secret',
    headers: auth(keyA, 'prod'),
  });
  assert.equal(prod.json().secret, a1.secret);

  const rotated = await app.inject({
    method: 'POST',
    url: '/video/webhooks/secret',
    headers: auth(keyB, 'dev'),
  });
  assert.equal(rotated.statusCode, 200, rotated.body);
  assert.notEqual(rotated.json().secret, b1.secret);
  assert.ok(rotated.json().rotated_at);
  assert.equal((await secretOf(keyB)).secret, rotated.json().secret);
  assert.equal((await secretOf(keyA)).secret, a1.secret, "B's rotation leaves A's secret alone");
  // No way to name another tenant: a body or an unknown key gets nothing.
  const spoof = await app.inject({
    method: 'GET',
    url: '/video/webhooks/secret',
    headers: { ...auth(keyB, 'dev'), 'x-tenant-id': 'ta' },
  });
  assert.equal(spoof.json().secret, rotated.json().secret);
  const anonymous = await app.inject({ method: 'GET', url: '/video/webhooks/secret' });
  assert.equal(anonymous.statusCode, 401);
});
