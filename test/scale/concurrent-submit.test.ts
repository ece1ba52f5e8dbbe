// Two API processes sharing one PostgreSQL database accept jobs at the same moment without duplicates: both
// submit the same 20 idempotent renders plus 10 of their own → exactly 40 rows, and both see the same 20 ids.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../src/db/open-database.js';
import { createPgSchema, postgresAvailable } from '../db/pg-schema.js';
import { redisAvailable, REDIS_URL, uniquePrefix } from './redis.js';
import { Queue, type ConnectionOptions } from 'bullmq';
import { createBullmqQueue } from '../../src/jobs/bullmq-queue.js';
import { redisOptionsFromUrl } from '../../src/jobs/redis-options.js';

const FIXTURE = join(import.meta.dirname, 'fixtures', 'submit.ts');

function run(args: string[]): Promise<{ shared: string[]; own: string[]; created: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', FIXTURE, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`submitter exited ${code}: ${err.slice(-2000)}`));
      else
        resolve(
          JSON.parse(out.trim().split('\n').pop()!) as { shared: string[]; own: string[]; created: number },
        );
    });
  });
}

const havePg = await postgresAvailable();
const haveRedis = await redisAvailable();

for (const adapter of ['embedded', 'bullmq'] as const) {
  const skip = !havePg
    ? 'PostgreSQL not reachable'
    : adapter === 'bullmq' && !haveRedis
      ? 'Redis not reachable'
      : false;
  test(
    `two API processes (${adapter}) on one PostgreSQL schema: 20 shared + 20 own jobs, no duplicates`,
    { skip },
    async (t) => {
      const pg = await createPgSchema();
      const dataDir = await mkdtemp(join(tmpdir(), 'cutroom-cs-'));
      // Migrate once before the race (both processes would otherwise also race on creating the tables).
      const opened = await openDatabase({ url: pg.url, dataDir });
      const prefix = uniquePrefix();
      t.after(async () => {
        await opened.close();
        if (adapter === 'bullmq') {
          const q = await createBullmqQueue({ connection: REDIS_URL, prefix, db: opened.db, handlers: {} });
          await q.obliterate();
          await q.close();
        }
        await pg.drop();
        await rm(dataDir, { recursive: true, force: true });
      });
      const tenantId = `t${randomBytes(4).toString('hex')}`;
      // Both children load (tsx, pg) first and then start submitting at the same instant.
      const goAt = String(Date.now() + 4000);
      const [a, b] = await Promise.all([
        run([adapter, pg.url, tenantId, '0', goAt, prefix]),
        run([adapter, pg.url, tenantId, '1', goAt, prefix]),
      ]);
      assert.deepEqual(a.shared, b.shared, 'both processes got the same ids for the shared jobs');
      assert.equal(new Set(a.shared).size, 20);
      assert.equal(new Set([...a.own, ...b.own]).size, 20);
      // Each shared job was created by exactly one of the two processes.
      assert.equal(a.created + b.created, 40, `created ${a.created} + ${b.created}`);
      const rows = await opened.db.selectFrom('jobs').selectAll().where('tenant_id', '=', tenantId).execute();
      assert.equal(rows.length, 40);
      assert.ok(rows.every((r) => r.state === 'queued'));
      if (adapter === 'bullmq') {
        // Exactly one BullMQ dispatch per row: the loser of an insert race never dispatches.
        const counts = new Queue('jobs', {
          connection: redisOptionsFromUrl(REDIS_URL) as ConnectionOptions,
          prefix,
        });
        const n = await counts.getJobCountByTypes('prioritized', 'wait', 'delayed');
        await counts.close();
        assert.equal(n, 40);
      }
    },
  );
}
