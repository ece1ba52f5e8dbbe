// Webhooks at the jobs layer: the URL policy (schemes, credentials, private/loopback/link-local/unspecified
// addresses, the allow-list), and the dispatcher delivering jobs' final states to a real local HTTP receiver over
// each queue adapter (embedded on SQLite, embedded on PostgreSQL, BullMQ on Redis when reachable). Signatures
// are verified with node:crypto here, independently of the code under test.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import { openDatabase } from '../../src/db/open-database.js';
import type { Database } from '../../src/db/schema.js';
import { cutroomError, isCutroomError } from '../../src/errors.js';
import { createBullmqQueue } from '../../src/jobs/bullmq-queue.js';
import { createEmbeddedQueue } from '../../src/jobs/embedded-queue.js';
import type { JobHandler, JobHandlers, JobQueue, JobRecord } from '../../src/jobs/job-queue.js';
import {
  checkWebhookUrl,
  createWebhookDispatcher,
  getJobWebhook,
  getWebhookSecret,
  isForbiddenAddress,
  rotateWebhookSecret,
  subscribeJobWebhook,
  webhookPolicy,
  type JobWebhookView,
  type WebhookDispatcher,
  type WebhookPolicy,
} from '../../src/jobs/webhooks/index.js';
import { createPgSchema, postgresAvailable } from '../db/pg-schema.js';
import { REDIS_URL, redisAvailable, uniquePrefix } from '../scale/redis.js';

// --- a receiver and an independent verifier --------------------------------------------------------------------

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
  url: string;
}

interface Receiver {
  url: string;
  port: number;
  received: Received[];
  close(): Promise<void>;
}

/** Answers the n-th request with statuses[n] (the last one repeats). */
async function receiver(statuses: number[] = [200]): Promise<Receiver> {
  const received: Received[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        url: req.url ?? '',
      });
      res.statusCode = statuses[Math.min(received.length - 1, statuses.length - 1)]!;
      res.end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook?src=test`,
    port,
    received,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

/** What a receiver does: recompute HMAC-SHA256("t.body") with the secret, compare in constant time, check age. */
function verify(header: string | string[] | undefined, body: string, secret: string): { t: number } {
  assert.equal(typeof header, 'string', 'X-Cutroom-Signature present');
  const parts = Object.fromEntries(
    (header as string).split(',').map((kv) => kv.split('=') as [string, string]),
  );
  const t = Number(parts.t);
  assert.ok(Number.isInteger(t), `t is unix seconds: ${String(header)}`);
  assert.ok(Math.abs(Date.now() / 1000 - t) < 300, 'timestamp within the replay window');
  const expected = createHmac('sha256', secret).update(`${parts.t}.${body}`).digest();
  const given = Buffer.from(parts.v1 ?? '', 'hex');
  assert.equal(given.length, 32, 'v1 is a hex sha256');
  assert.ok(timingSafeEqual(given, expected), 'signature matches');
  return { t };
}

async function until<T>(what: string, fn: () => Promise<T | undefined | false>, ms = 30000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

// --- the URL policy -----------------------------------------------------------------------------------------------

test('special-purpose addresses are forbidden, public ones are not', () => {
  for (const a of [
    '127.0.0.1',
    '127.255.0.9',
    '10.1.2.3',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '224.0.0.251',
    '255.255.255.255',
    '::',
    '::1',
    'fe80::1',
    'fd12:3456::1',
    'ff02::1',
    '::ffff:127.0.0.1',
    '::ffff:10.0.0.1',
    '64:ff9b::7f00:1',
  ])
    assert.equal(isForbiddenAddress(a), true, a);
  for (const a of ['93.184.216.34', '8.8.8.8', '172.32.0.1', '2606:4700:4700::1111', '::ffff:8.8.8.8'])
    assert.equal(isForbiddenAddress(a), false, a);
});

test('callback URLs: http(s) only, no credentials, private addresses only when allow-listed', async () => {
  const fakeDns = (map: Record<string, string[]>) => async (host: string) =>
    (map[host] ?? []).map((address) => ({ address, family: (address.includes(':') ? 6 : 4) as 4 | 6 }));
  const resolve = fakeDns({
    'hooks.example.com': ['93.184.216.34'],
    'sneaky.example.com': ['93.184.216.34', '10.0.0.5'],
    localhost: ['127.0.0.1', '::1'],
  });
  const strict = webhookPolicy({ resolve });
  const code = async (url: string, policy: WebhookPolicy = strict) => {
    try {
      await checkWebhookUrl({ url, policy });
      return 'ok';
    } catch (err) {
      assert.ok(isCutroomError(err), String(err));
      assert.equal(err.details.path, 'callback_url');
      return err.code;
    }
  };
  assert.equal(await code('https://hooks.example.com/cutroom'), 'ok');
  assert.equal(await code('ftp://hooks.example.com/x'), 'WEBHOOK_URL_INVALID');
  assert.equal(await code('file:///etc/passwd'), 'WEBHOOK_URL_INVALID');
  assert.equal(await code('javascript:alert(1)'), 'WEBHOOK_URL_INVALID');
  assert.equal(await code('/relative'), 'WEBHOOK_URL_INVALID');
  assert.equal(await code('https://u:p@hooks.example.com/'), 'WEBHOOK_URL_INVALID');
  assert.equal(await code(`https://hooks.example.com/${'a'.repeat(2100)}`), 'WEBHOOK_URL_INVALID');
  assert.equal(await code('https://nowhere.example.com/'), 'WEBHOOK_URL_INVALID');
  for (const url of [
    'http://127.0.0.1:8080/',
    'http://localhost/',
    'http://[::1]/',
    'http://[::ffff:127.0.0.1]/',
    'http://0.0.0.0/',
    'http://169.254.169.254/latest/meta-data/',
    'http://10.1.2.3/',
    'http://2130706433/', // 127.0.0.1 as one decimal number; URL normalises it
    'http://sneaky.example.com/', // one of its addresses is private
  ])
    assert.equal(await code(url), 'WEBHOOK_ADDRESS_FORBIDDEN', url);

  const byAddress = webhookPolicy({ allow: '127.0.0.1, ::1', resolve });
  assert.equal(await code('http://127.0.0.1:8080/', byAddress), 'ok');
  assert.equal(await code('http://localhost/', byAddress), 'ok');
  assert.equal(await code('http://10.1.2.3/', byAddress), 'WEBHOOK_ADDRESS_FORBIDDEN');
  const byRange = webhookPolicy({ allow: '10.0.0.0/8', resolve });
  assert.equal(await code('http://10.1.2.3/', byRange), 'ok');
  assert.equal(await code('http://sneaky.example.com/', byRange), 'ok');
  assert.equal(await code('http://127.0.0.1/', byRange), 'WEBHOOK_ADDRESS_FORBIDDEN');
  const byHost = webhookPolicy({ allow: 'localhost', resolve });
  assert.equal(await code('http://localhost:9/', byHost), 'ok');
  assert.equal(await code('http://127.0.0.1:9/', byHost), 'WEBHOOK_ADDRESS_FORBIDDEN');
  assert.equal(await code('ftp://localhost/', byHost), 'WEBHOOK_URL_INVALID');

  assert.throws(() => webhookPolicy({ allow: '127.0.0.1,not a host!' }), { code: 'VALIDATION_FAILED' });
  assert.throws(() => webhookPolicy({ allow: '10.0.0.0/33' }), { code: 'VALIDATION_FAILED' });
});

// --- the dispatcher over each queue adapter ----------------------------------------------------------------------

interface Rig {
  db: Kysely<Database>;
  queue: JobQueue;
  dispose(): Promise<void>;
}

const FLAKY_RUNS = new Map<string, number>();

const HANDLERS: JobHandlers = {
  noop: (async () => ({ ok: true, export_path: '/srv/cutroom/secret/out.mp4' })) as JobHandler<
    never,
    unknown
  >,
  broken: (async () => {
    throw cutroomError('TIMELINE_INVALID', 'clip c1 overlaps in /tmp/cutroom-work/x', { stderr_tail: 'x' });
  }) as JobHandler<never, unknown>,
  // Fails on its first run, succeeds once resumed.
  flaky: (async (job: JobRecord) => {
    const key = (job.params as { key: string }).key;
    FLAKY_RUNS.set(key, (FLAKY_RUNS.get(key) ?? 0) + 1);
    if (FLAKY_RUNS.get(key) === 1) throw cutroomError('SOURCE_MISSING', 'the source went away');
    return { ok: 'second time' };
  }) as unknown as JobHandler<never, unknown>,
  slow: (async (_job: JobRecord, tools: { signal: AbortSignal }) => {
    await new Promise((_r, reject) =>
      tools.signal.addEventListener('abort', () => reject(new Error('aborted'))),
    );
  }) as unknown as JobHandler<never, unknown>,
};

async function storage(dialect: 'sqlite' | 'postgres') {
  const dataDir = await mkdtemp(join(tmpdir(), 'cutroom-webhooks-'));
  const pg = dialect === 'postgres' ? await createPgSchema() : null;
  const opened = await openDatabase({ dataDir, ...(pg ? { url: pg.url } : {}) });
  return {
    db: opened.db,
    dispose: async () => {
      await opened.close();
      await pg?.drop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

type Adapter = 'embedded-sqlite' | 'embedded-postgres' | 'bullmq';

async function rig(adapter: Adapter): Promise<Rig> {
  const { db, dispose } = await storage(adapter === 'embedded-postgres' ? 'postgres' : 'sqlite');
  if (adapter === 'bullmq') {
    const queue = await createBullmqQueue({
      connection: REDIS_URL,
      prefix: uniquePrefix(),
      db,
      handlers: HANDLERS,
      concurrency: 2,
      heartbeatMs: 50,
      lockDurationMs: 1000,
      stalledIntervalMs: 300,
      reconcileMs: 500,
      cancelGraceMs: 5000,
    });
    await queue.start();
    return {
      db,
      queue,
      dispose: async () => {
        await queue.close();
        await queue.obliterate().catch(() => undefined);
        await dispose();
      },
    };
  }
  const queue = createEmbeddedQueue({ db, handlers: HANDLERS, concurrency: 2, pollMs: 50 });
  await queue.start();
  return {
    db,
    queue,
    dispose: async () => {
      await queue.close();
      await dispose();
    },
  };
}

const ALLOW_LOCAL = webhookPolicy({ allow: '127.0.0.1' });
const FAST = { pollMs: 30, backoff: { baseMs: 60, maxMs: 200 }, timeoutMs: 5000 };

function tenant() {
  return { tenantId: `t${randomBytes(5).toString('hex')}`, env: 'dev', requestId: 'req_test' };
}

function describeJob(job: JobRecord) {
  const { export_path: _hidden, ...result } = (job.result ?? {}) as Record<string, unknown>;
  return { id: job.id, state: job.state, result: job.result ? result : null, error: job.error };
}

async function delivered(db: Kysely<Database>, ctx: ReturnType<typeof tenant>, jobId: string, n = 1) {
  return until(`${n} settled deliveries of ${jobId}`, async () => {
    const w = await getJobWebhook({ db, ctx, jobId });
    const settled = w?.deliveries.filter((d) => d.status === 'delivered' || d.status === 'failed') ?? [];
    return settled.length >= n ? (w as JobWebhookView) : undefined;
  });
}

for (const adapter of ['embedded-sqlite', 'embedded-postgres', 'bullmq'] as const) {
  test(`${adapter}: final states are POSTed signed, retried after a 500, attempts recorded`, async (t) => {
    if (adapter === 'embedded-postgres' && !(await postgresAvailable()))
      return t.skip('PostgreSQL not reachable');
    if (adapter === 'bullmq' && !(await redisAvailable())) return t.skip('Redis not reachable');
    const r = await rig(adapter);
    const hook = await receiver([500, 200]);
    const dispatcher = createWebhookDispatcher({ db: r.db, policy: ALLOW_LOCAL, describeJob, ...FAST });
    dispatcher.start();
    try {
      const ctx = tenant();
      const { secret } = await getWebhookSecret({ db: r.db, tenantId: ctx.tenantId });
      assert.match(secret, /^whsec_[0-9a-f]{64}$/);

      const { job } = await r.queue.submit(ctx, { kind: 'noop', params: { n: 1 } });
      await subscribeJobWebhook({ db: r.db, ctx, jobId: job.id, url: hook.url });
      const w = await delivered(r.db, ctx, job.id);
      const d = w.deliveries[0]!;
      assert.equal(d.status, 'delivered');
      assert.equal(d.job_state, 'completed');
      assert.deepEqual(
        d.attempts.map((a) => [a.attempt, a.status_code]),
        [
          [1, 500],
          [2, 200],
        ],
      );
      assert.equal(d.attempts[0]!.error, 'HTTP 500');
      assert.ok(
        d.attempts[0]!.next_retry_at &&
          Date.parse(d.attempts[0]!.next_retry_at) > Date.parse(d.attempts[0]!.at),
      );
      assert.equal(d.attempts[1]!.next_retry_at, null);
      assert.equal(d.next_attempt_at, null);

      assert.equal(hook.received.length, 2);
      for (const got of hook.received) {
        assert.equal(got.url, '/hook?src=test');
        assert.equal(got.headers['content-type'], 'application/json');
        assert.equal(got.headers['x-cutroom-event'], d.id, 'same event id on every attempt');
        verify(got.headers['x-cutroom-signature'], got.body, secret);
      }
      assert.equal(hook.received[0]!.body, hook.received[1]!.body, 'the same body is re-sent');
      const event = JSON.parse(hook.received[0]!.body);
      assert.equal(event.id, d.id);
      assert.equal(event.type, 'noop.completed');
      assert.equal(event.job.id, job.id);
      assert.equal(event.job.state, 'completed');
      assert.deepEqual(event.job.result, { ok: true });
      assert.doesNotMatch(hook.received[0]!.body, /\/srv\/cutroom/);

      // A tampered body or another tenant's secret does not verify.
      assert.throws(() =>
        verify(hook.received[0]!.headers['x-cutroom-signature'], `${hook.received[0]!.body} `, secret),
      );
      const other = await getWebhookSecret({ db: r.db, tenantId: tenant().tenantId });
      assert.notEqual(other.secret, secret);
      assert.throws(() =>
        verify(hook.received[0]!.headers['x-cutroom-signature'], hook.received[0]!.body, other.secret),
      );

      // Failed and cancelled jobs are final states too; the error travels in the event.
      const broken = (await r.queue.submit(ctx, { kind: 'broken', params: {} })).job;
      await subscribeJobWebhook({ db: r.db, ctx, jobId: broken.id, url: hook.url });
      const slow = (await r.queue.submit(ctx, { kind: 'slow', params: {} })).job;
      await subscribeJobWebhook({ db: r.db, ctx, jobId: slow.id, url: hook.url });
      await until('slow job running', async () => (await r.queue.get(ctx, slow.id)).state === 'running');
      await r.queue.cancel(ctx, slow.id);
      await delivered(r.db, ctx, broken.id);
      await delivered(r.db, ctx, slow.id);
      const events = hook.received.slice(2).map((x) => JSON.parse(x.body));
      const failed = events.find((e) => e.job.id === broken.id);
      assert.equal(failed.type, 'broken.failed');
      assert.equal(failed.job.error.code, 'TIMELINE_INVALID');
      assert.equal(events.find((e) => e.job.id === slow.id).type, 'slow.cancelled');
      for (const x of hook.received) verify(x.headers['x-cutroom-signature'], x.body, secret);

      // Another tenant sees no webhook on the job.
      assert.equal(
        await getJobWebhook({ db: r.db, ctx: { ...ctx, tenantId: 'tother' }, jobId: job.id }),
        null,
      );
      assert.equal(await getJobWebhook({ db: r.db, ctx: { ...ctx, env: 'prod' }, jobId: job.id }), null);
    } finally {
      await dispatcher.stop();
      await hook.close();
      await r.dispose();
    }
  });
}

test('a receiver that keeps failing or refuses never fails the job; 4xx gives up at once, 429 retries', async () => {
  const r = await rig('embedded-sqlite');
  const down = await receiver([503]);
  const refusing = await receiver([410]);
  const busy = await receiver([429, 204]);
  const dispatcher = createWebhookDispatcher({
    db: r.db,
    policy: ALLOW_LOCAL,
    describeJob,
    ...FAST,
    maxAttempts: 3,
  });
  dispatcher.start();
  try {
    const ctx = tenant();
    const jobs: Record<string, string> = {};
    for (const [name, hook] of Object.entries({ down, refusing, busy })) {
      const { job } = await r.queue.submit(ctx, { kind: 'noop', params: { name } });
      await subscribeJobWebhook({ db: r.db, ctx, jobId: job.id, url: hook.url });
      jobs[name] = job.id;
    }
    const downW = await delivered(r.db, ctx, jobs.down!);
    assert.equal(downW.deliveries[0]!.status, 'failed');
    assert.deepEqual(
      downW.deliveries[0]!.attempts.map((a) => a.status_code),
      [503, 503, 503],
    );
    assert.equal(downW.deliveries[0]!.attempts[2]!.next_retry_at, null);
    const refusedW = await delivered(r.db, ctx, jobs.refusing!);
    assert.equal(refusedW.deliveries[0]!.status, 'failed');
    assert.deepEqual(
      refusedW.deliveries[0]!.attempts.map((a) => a.status_code),
      [410],
    );
    const busyW = await delivered(r.db, ctx, jobs.busy!);
    assert.equal(busyW.deliveries[0]!.status, 'delivered');
    assert.deepEqual(
      busyW.deliveries[0]!.attempts.map((a) => a.status_code),
      [429, 204],
    );
    for (const id of Object.values(jobs)) assert.equal((await r.queue.get(ctx, id)).state, 'completed');
    assert.equal(down.received.length, 3);
    assert.equal(refusing.received.length, 1);
  } finally {
    await dispatcher.stop();
    await Promise.all([down.close(), refusing.close(), busy.close()]);
    await r.dispose();
  }
});

test('a receiver that never answers times out (an attempt with an error, retried), the job unaffected', async () => {
  const r = await rig('embedded-sqlite');
  const sockets = new Set<import('node:net').Socket>();
  const silent = createServer(() => undefined); // accepts, reads, never responds
  silent.on('connection', (sock) => sockets.add(sock));
  await new Promise<void>((res) => silent.listen(0, '127.0.0.1', res));
  const port = (silent.address() as AddressInfo).port;
  const dispatcher = createWebhookDispatcher({
    db: r.db,
    policy: ALLOW_LOCAL,
    describeJob,
    ...FAST,
    timeoutMs: 300,
    maxAttempts: 2,
  });
  dispatcher.start();
  try {
    const ctx = tenant();
    const { job } = await r.queue.submit(ctx, { kind: 'noop', params: { silent: 1 } });
    await subscribeJobWebhook({ db: r.db, ctx, jobId: job.id, url: `http://127.0.0.1:${port}/` });
    const w = await delivered(r.db, ctx, job.id);
    const d = w.deliveries[0]!;
    assert.equal(d.status, 'failed');
    assert.equal(d.attempts.length, 2);
    for (const a of d.attempts) {
      assert.equal(a.status_code, null);
      assert.match(a.error ?? '', /no complete response within 300 ms/);
    }
    assert.equal((await r.queue.get(ctx, job.id)).state, 'completed');
  } finally {
    await dispatcher.stop();
    for (const sock of sockets) sock.destroy();
    await new Promise<void>((res) => silent.close(() => res()));
    await r.dispose();
  }
});

test('deliveries survive: a job finished with no dispatcher running, and a delivery whose claimer died', async () => {
  const r = await rig('embedded-sqlite');
  const hook = await receiver([200]);
  try {
    const ctx = tenant();
    const { job } = await r.queue.submit(ctx, { kind: 'noop', params: { survive: 1 } });
    await subscribeJobWebhook({ db: r.db, ctx, jobId: job.id, url: hook.url });
    await until('job done', async () => (await r.queue.get(ctx, job.id)).state === 'completed');
    // No dispatcher ran while the job finished (a restart): the next one finds the final state in the database.
    let dispatcher: WebhookDispatcher = createWebhookDispatcher({
      db: r.db,
      policy: ALLOW_LOCAL,
      describeJob,
      ...FAST,
    });
    await dispatcher.tick();
    assert.equal(hook.received.length, 1);
    await dispatcher.tick();
    assert.equal(hook.received.length, 1, 'a delivered event is not sent again');

    // A second job's delivery claimed by a process that died (lease expired, never recorded).
    const second = (await r.queue.submit(ctx, { kind: 'noop', params: { survive: 2 } })).job;
    await subscribeJobWebhook({ db: r.db, ctx, jobId: second.id, url: hook.url });
    await until('second done', async () => (await r.queue.get(ctx, second.id)).state === 'completed');
    const noPost = createWebhookDispatcher({
      db: r.db,
      policy: ALLOW_LOCAL,
      describeJob,
      ...FAST,
      post: async () => {
        // The process "dies" mid-delivery: the row stays claimed.
        await r.db
          .updateTable('webhook_deliveries')
          .set({ lease_until: new Date(Date.now() - 1000).toISOString() })
          .where('job_id', '=', second.id)
          .execute();
        return new Promise(() => undefined);
      },
    });
    void noPost.tick();
    await until('claimed', async () => {
      const w = await getJobWebhook({ db: r.db, ctx, jobId: second.id });
      return w?.deliveries[0]?.status === 'delivering';
    });
    dispatcher = createWebhookDispatcher({ db: r.db, policy: ALLOW_LOCAL, describeJob, ...FAST });
    await dispatcher.tick();
    const w = await getJobWebhook({ db: r.db, ctx, jobId: second.id });
    assert.equal(w?.deliveries[0]?.status, 'delivered');
    assert.equal(hook.received.length, 2);
    assert.equal(JSON.parse(hook.received[1]!.body).job.id, second.id);
  } finally {
    await hook.close();
    await r.dispose();
  }
});

test('delivery connects to the address it checked: an allow-listed name, and a DNS answer that turned private', async () => {
  const r = await rig('embedded-sqlite');
  const hook = await receiver([200]);
  try {
    const ctx = tenant();
    // "receiver.invalid" exists only in this resolver; the request must reach 127.0.0.1 without a real lookup.
    const named = webhookPolicy({
      allow: 'receiver.invalid',
      resolve: async () => [{ address: '127.0.0.1', family: 4 }],
    });
    const url = `http://receiver.invalid:${hook.port}/named`;
    await checkWebhookUrl({ url, policy: named });
    const a = (await r.queue.submit(ctx, { kind: 'noop', params: { dns: 1 } })).job;
    await subscribeJobWebhook({ db: r.db, ctx, jobId: a.id, url });
    await until('a done', async () => (await r.queue.get(ctx, a.id)).state === 'completed');
    await createWebhookDispatcher({ db: r.db, policy: named, describeJob, ...FAST }).tick();
    assert.equal(hook.received.length, 1);
    assert.equal(hook.received[0]!.headers.host, `receiver.invalid:${hook.port}`);
    assert.equal(hook.received[0]!.url, '/named');

    // Rebinding: public at submission, loopback at delivery time. Refused, nothing is sent, the job is fine.
    let calls = 0;
    const rebinding = webhookPolicy({
      resolve: async () => [{ address: calls++ === 0 ? '93.184.216.34' : '127.0.0.1', family: 4 }],
    });
    const evil = `http://rebind.invalid:${hook.port}/evil`;
    await checkWebhookUrl({ url: evil, policy: rebinding });
    const b = (await r.queue.submit(ctx, { kind: 'noop', params: { dns: 2 } })).job;
    await subscribeJobWebhook({ db: r.db, ctx, jobId: b.id, url: evil });
    await until('b done', async () => (await r.queue.get(ctx, b.id)).state === 'completed');
    await createWebhookDispatcher({ db: r.db, policy: rebinding, describeJob, ...FAST }).tick();
    const w = await getJobWebhook({ db: r.db, ctx, jobId: b.id });
    assert.equal(w?.deliveries[0]?.status, 'failed');
    assert.match(w?.deliveries[0]?.attempts[0]?.error ?? '', /^WEBHOOK_ADDRESS_FORBIDDEN/);
    assert.equal(hook.received.length, 1, 'nothing reached the loopback receiver');
    assert.equal((await r.queue.get(ctx, b.id)).state, 'completed');
  } finally {
    await hook.close();
    await r.dispose();
  }
});

test('a resumed job that ends again sends a second event', async () => {
  const r = await rig('embedded-sqlite');
  const hook = await receiver([200]);
  const dispatcher = createWebhookDispatcher({ db: r.db, policy: ALLOW_LOCAL, describeJob, ...FAST });
  dispatcher.start();
  try {
    const ctx = tenant();
    const { job } = await r.queue.submit(ctx, { kind: 'flaky', params: { key: ctx.tenantId } });
    await subscribeJobWebhook({ db: r.db, ctx, jobId: job.id, url: hook.url });
    await delivered(r.db, ctx, job.id, 1);
    assert.equal((await r.queue.get(ctx, job.id)).state, 'failed');
    await r.queue.resume(ctx, job.id);
    const w = await delivered(r.db, ctx, job.id, 2);
    assert.deepEqual(
      w.deliveries.map((d) => [d.job_state, d.status]),
      [
        ['failed', 'delivered'],
        ['completed', 'delivered'],
      ],
    );
    assert.notEqual(w.deliveries[0]!.id, w.deliveries[1]!.id);
    assert.deepEqual(
      hook.received.map((x) => JSON.parse(x.body).type),
      ['flaky.failed', 'flaky.completed'],
    );
  } finally {
    await dispatcher.stop();
    await hook.close();
    await r.dispose();
  }
});

test('secrets: one per tenant, stable until rotated, rotating one leaves the others', async () => {
  const { db, dispose } = await storage('sqlite');
  try {
    const a = await getWebhookSecret({ db, tenantId: 'ta' });
    const b = await getWebhookSecret({ db, tenantId: 'tb' });
    assert.notEqual(a.secret, b.secret);
    assert.equal((await getWebhookSecret({ db, tenantId: 'ta' })).secret, a.secret);
    const rotated = await rotateWebhookSecret({ db, tenantId: 'ta' });
    assert.notEqual(rotated.secret, a.secret);
    assert.ok(rotated.rotated_at);
    assert.equal((await getWebhookSecret({ db, tenantId: 'ta' })).secret, rotated.secret);
    assert.equal((await getWebhookSecret({ db, tenantId: 'tb' })).secret, b.secret, 'other tenant untouched');
  } finally {
    await dispose();
  }
});
