// Render job faults: a source deleted between submit and run, a store that fails on write (disk full), ffmpeg
// killed from outside. Each ends in a failed job with a precise error and nothing half-made registered.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cutroomError } from '../../src/errors.js';
import { createServices, type Services } from '../../src/media/services.js';
import { createRenderQueue, submitRenderJob } from '../../src/render/jobs/index.js';
import { createLocalStore } from '../../src/storage/local-store.js';
import type { ObjectStore } from '../../src/storage/object-store.js';
import { cutTimeline, registerColours, waitForJob } from './jobs-helpers.js';
import type { TestServices } from '../media/setup.js';

const dirs: string[] = [];
after(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

async function setup(
  store?: (root: string) => ObjectStore,
): Promise<{ services: Services; dataDir: string }> {
  const dataDir = await mkdtemp(join(tmpdir(), 'cutroom-rjfault-'));
  dirs.push(dataDir);
  const services = await createServices({
    dataDir,
    ...(store ? { store: store(join(dataDir, 'objects')) } : {}),
  });
  await services.tenants.createTenant({ id: 'tf', envs: ['dev'] });
  return { services, dataDir };
}
const ctx = { tenantId: 'tf', env: 'dev', requestId: 'req_fault' };

test('a source deleted between submit and run fails the job at stage probe, naming the asset', async () => {
  const { services } = await setup();
  const [red, green] = await registerColours(services as TestServices, ctx, ['#FF0000', '#00FF00']);
  const queue = await createRenderQueue({ services, start: false, queue: { concurrency: 1, pollMs: 50 } });
  try {
    const { job } = await submitRenderJob({
      services,
      queue,
      ctx,
      timeline: cutTimeline([red!, green!]),
      profile: 'draft_360p',
    });
    const asset = await services.assets.getAsset(ctx, green!);
    assert.equal(await services.store.delete(asset.storage_key), true);
    await queue.start();
    const done = await waitForJob(queue, ctx, job.id);
    assert.equal(done.state, 'failed');
    assert.equal(done.attempts, 1); // not retried: the file will not come back
    assert.equal(done.error?.code, 'SOURCE_MISSING');
    assert.equal(done.error?.details.stage, 'probe');
    assert.equal(done.error?.details.asset_id, green);
    assert.match(done.error!.message, new RegExp(green!));
    assert.deepEqual(await services.artifacts.listArtifacts(ctx, { kind: 'render' }), []);
  } finally {
    await queue.close();
    await services.close();
  }
});

test('a store that fails on write (disk full): the job fails, no output asset or render artifact', async () => {
  let failOutputs = false;
  const { services } = await setup((root) => {
    const local = createLocalStore({ root });
    return {
      ...local,
      put: async (key, source, opts) => {
        // Only the final output (a new asset's source) hits the full disk; sources and segments were stored.
        if (failOutputs && key.endsWith('/source.mp4')) {
          if (typeof source !== 'object' || !Buffer.isBuffer(source))
            (source as NodeJS.ReadableStream).resume();
          throw cutroomError('STORE_FAILED', 'ENOSPC: no space left on device', { key });
        }
        return local.put(key, source, opts);
      },
    };
  });
  const ids = await registerColours(services as TestServices, ctx, ['#FF0000']);
  const before = (await services.assets.listAssets(ctx)).items.length;
  failOutputs = true;
  const queue = await createRenderQueue({
    services,
    queue: { concurrency: 1, pollMs: 50, maxAttempts: 2, backoff: { baseMs: 10 } },
  });
  try {
    const { job } = await submitRenderJob({
      services,
      queue,
      ctx,
      timeline: cutTimeline(ids),
      profile: 'draft_360p',
    });
    const done = await waitForJob(queue, ctx, job.id);
    assert.equal(done.state, 'failed');
    assert.equal(done.error?.code, 'STORE_FAILED');
    assert.equal(done.attempts, 2); // a full disk may clear: retried, then given up
    assert.equal((await services.assets.listAssets(ctx)).items.length, before);
    assert.deepEqual(await services.artifacts.listArtifacts(ctx, { kind: 'render' }), []);
    // No temp or partial files left in the work dir.
    const jobs = join(services.config.workDir, 'jobs');
    assert.deepEqual(readdirSafe(jobs), []);
  } finally {
    await queue.close();
    await services.close();
  }
});

function readdirSafe(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

/** ffmpeg processes that are children of this test process (from /proc). */
function ffmpegChildren(): number[] {
  const pids: number[] = [];
  for (const name of readdirSafe('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (comm === 'ffmpeg' && ppid === process.pid) pids.push(Number(name));
    } catch {
      // the process ended while we looked
    }
  }
  return pids;
}

test(
  'ffmpeg killed from outside: retried, then failed with the stderr tail',
  { skip: process.platform !== 'linux' },
  async () => {
    const { services } = await setup();
    const ids = await registerColours(services as TestServices, ctx, ['#FF0000', '#00FF00', '#0000FF']);
    const queue = await createRenderQueue({
      services,
      queue: { concurrency: 1, pollMs: 50, maxAttempts: 2, backoff: { baseMs: 10 } },
      handler: { chunkMs: 1000 },
    });
    try {
      const { job } = await submitRenderJob({
        services,
        queue,
        ctx,
        timeline: cutTimeline(ids),
        profile: 'draft_360p',
      });
      let killed = 0;
      for (;;) {
        const current = await queue.get(ctx, job.id);
        if (current.state === 'failed' || current.state === 'completed') break;
        for (const pid of ffmpegChildren()) {
          try {
            process.kill(pid, 'SIGKILL');
            killed++;
          } catch {
            // already gone
          }
        }
        await new Promise((r) => setTimeout(r, 5));
      }
      const done = await queue.get(ctx, job.id);
      assert.ok(killed >= 2, `killed ${killed} ffmpeg processes`);
      assert.equal(done.state, 'failed', JSON.stringify(done.result));
      assert.equal(done.error?.code, 'RENDER_FAILED');
      assert.equal(done.attempts, 2);
      assert.ok('stderr_tail' in done.error!.details, JSON.stringify(done.error));
      assert.deepEqual(await services.artifacts.listArtifacts(ctx, { kind: 'render' }), []);
    } finally {
      await queue.close();
      await services.close();
    }
  },
);
