// Render jobs over HTTP: idempotent submit, tenancy, SSE (inject on a finished job, a real socket on a running
// one), cancel/resume, the output with HTTP Range, and a 1 000-submit burst against a bounded queue.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { RequestContext } from '../../src/context.js';
import { buildApp } from '../../src/http/index.js';
import { engineRoutes } from '../../src/http/engine-routes.js';
import type { EmbeddedQueue } from '../../src/jobs/embedded-queue.js';
import { createServices, type Services } from '../../src/media/services.js';
import { createRenderQueue } from '../../src/render/jobs/index.js';
import { frameCount, hasAudio } from '../helpers/media.js';
import { cutTimeline, registerColours, waitForJob } from '../render/jobs-helpers.js';
import type { TestServices } from '../media/setup.js';
import { auth } from './helpers.js';

interface Server {
  app: FastifyInstance;
  services: Services;
  queue: EmbeddedQueue;
  keyA: string;
  keyB: string;
  ctxA: RequestContext;
  assets: string[];
  close(): Promise<void>;
}

async function server(opts: { start?: boolean; maxQueued?: number } = {}): Promise<Server> {
  const dataDir = await mkdtemp(join(tmpdir(), 'cutroom-rjobs-'));
  const services = await createServices({ dataDir });
  await services.tenants.createTenant({ id: 'ta', envs: ['dev', 'prod'] });
  await services.tenants.createTenant({ id: 'tb', envs: ['dev', 'prod'] });
  const keyA = (await services.tenants.createApiKey({ tenantId: 'ta' })).key;
  const keyB = (await services.tenants.createApiKey({ tenantId: 'tb' })).key;
  const ctxA = { tenantId: 'ta', env: 'dev', requestId: 'req_test' };
  const assets = await registerColours(services as TestServices, ctxA);
  const queue = await createRenderQueue({
    services,
    start: opts.start ?? true,
    queue: {
      concurrency: 1,
      pollMs: 50,
      progressPersistMs: 100,
      ...(opts.maxQueued !== undefined ? { maxQueuedPerTenant: opts.maxQueued } : {}),
    },
    handler: { chunkMs: 1000 },
  });
  const app = await buildApp({ services, extraRoutes: engineRoutes({ queue }) });
  await app.ready();
  return {
    app,
    services,
    queue,
    keyA,
    keyB,
    ctxA,
    assets,
    close: async () => {
      await app.close();
      await queue.close();
      await services.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

let s: Server;
before(async () => {
  s = await server();
});
after(async () => {
  await s.close();
});

const submit = (body: unknown, key = s.keyA) =>
  s.app.inject({ method: 'POST', url: '/video/render', headers: auth(key, 'dev'), payload: body as object });

test('submit is idempotent, a reused client id with other params is 409, tenants are walls', async () => {
  const timeline = cutTimeline(s.assets.slice(0, 1));
  const first = await submit({ timeline, profile: 'draft_360p', output: 'one.mp4' });
  assert.equal(first.statusCode, 201, first.body);
  const job = first.json().job;
  assert.equal(job.state, 'queued');
  assert.equal(job.profile, 'draft_360p');
  const second = await submit({ timeline, profile: 'draft_360p', output: 'one.mp4' });
  assert.equal(second.statusCode, 200);
  assert.equal(second.json().job.id, job.id);

  const mine = await submit({ timeline, profile: 'draft_360p', job_id: 'nightly' });
  assert.equal(mine.statusCode, 201, mine.body);
  assert.equal(mine.json().job.id, 'nightly');
  const clash = await submit({ timeline, profile: 'draft_480p_fast', job_id: 'nightly' });
  assert.equal(clash.statusCode, 409);
  assert.equal(clash.json().error.code, 'JOB_PARAMS_MISMATCH');

  // A local export path is not an HTTP field.
  const sneaky = await submit({ timeline, profile: 'draft_360p', export_path: '/tmp/x.mp4' });
  assert.equal(sneaky.statusCode, 400);

  // Tenant B sees none of it and cannot use A's assets.
  const other = await s.app.inject({
    method: 'GET',
    url: `/video/render/jobs/${job.id}`,
    headers: auth(s.keyB, 'dev'),
  });
  assert.equal(other.statusCode, 404);
  assert.equal(other.json().error.code, 'JOB_NOT_FOUND');
  const list = await s.app.inject({ method: 'GET', url: '/video/render/jobs', headers: auth(s.keyB, 'dev') });
  assert.deepEqual(list.json().jobs, []);
  const stolen = await submit({ timeline, profile: 'draft_360p' }, s.keyB);
  assert.equal(stolen.statusCode, 404);
  assert.equal(stolen.json().error.code, 'ASSET_NOT_FOUND');

  const listA = await s.app.inject({
    method: 'GET',
    url: '/video/render/jobs',
    headers: auth(s.keyA, 'dev'),
  });
  const ids = listA
    .json()
    .jobs.map((j: { id: string }) => j.id)
    .sort();
  assert.deepEqual(ids, [job.id, 'nightly'].sort());

  // Output: 404 until completed, then the file with Range.
  const early = await s.app.inject({
    method: 'GET',
    url: `/video/render/jobs/${job.id}/output`,
    headers: auth(s.keyA, 'dev'),
  });
  if (early.statusCode === 404) assert.equal(early.json().error.code, 'JOB_OUTPUT_NOT_READY');
  const done = await waitForJob(s.queue, s.ctxA, job.id);
  assert.equal(done.state, 'completed', JSON.stringify(done.error));

  const out = await s.app.inject({
    method: 'GET',
    url: `/video/render/jobs/${job.id}/output`,
    headers: auth(s.keyA, 'dev'),
  });
  assert.equal(out.statusCode, 200);
  assert.equal(out.headers['accept-ranges'], 'bytes');
  assert.match(String(out.headers['content-disposition']), /one\.mp4/);
  const file = join(tmpdir(), `rjobs-${process.pid}.mp4`);
  await writeFile(file, out.rawPayload);
  assert.equal(await frameCount(file), 30);
  assert.ok(await hasAudio(file));
  await rm(file, { force: true });
  const size = out.rawPayload.length;
  const part = await s.app.inject({
    method: 'GET',
    url: `/video/render/jobs/${job.id}/output`,
    headers: { ...auth(s.keyA, 'dev'), range: 'bytes=10-19' },
  });
  assert.equal(part.statusCode, 206);
  assert.equal(part.headers['content-range'], `bytes 10-19/${size}`);
  assert.deepEqual(part.rawPayload, out.rawPayload.subarray(10, 20));
  const beyond = await s.app.inject({
    method: 'GET',
    url: `/video/render/jobs/${job.id}/output`,
    headers: { ...auth(s.keyA, 'dev'), range: `bytes=${size}-` },
  });
  assert.equal(beyond.statusCode, 416);
  assert.equal(beyond.headers['content-range'], `bytes */${size}`);

  // SSE of a finished job: its final state, then the stream ends.
  const events = await s.app.inject({
    method: 'GET',
    url: `/video/render/jobs/${job.id}/events`,
    headers: auth(s.keyA, 'dev'),
  });
  assert.equal(events.statusCode, 200);
  assert.match(String(events.headers['content-type']), /^text\/event-stream/);
  const blocks = events.body.trim().split('\n\n');
  assert.equal(blocks.length, 1);
  assert.match(blocks[0]!, /^event: state\ndata: /);
  assert.equal(JSON.parse(blocks[0]!.split('data: ')[1]!).state, 'completed');
  await waitForJob(s.queue, s.ctxA, 'nightly');
});

test('SSE over a real socket streams progress of a running job and ends after completion', async () => {
  const timeline = cutTimeline(s.assets);
  const res = await submit({ timeline, profile: 'draft_360p', output: 'sse.mp4' });
  assert.equal(res.statusCode, 201, res.body);
  const id = res.json().job.id as string;
  const address = await s.app.listen({ port: 0, host: '127.0.0.1' });
  try {
    const response = await fetch(`${address}/video/render/jobs/${id}/events`, {
      headers: auth(s.keyA, 'dev'),
    });
    assert.equal(response.status, 200);
    const text = await response.text(); // resolves only when the server ends the stream
    const events = text
      .trim()
      .split('\n\n')
      .map((b) => ({ type: b.split('\n')[0]!.slice(7), data: JSON.parse(b.split('data: ')[1]!) }));
    const states = events.filter((e) => e.type === 'state').map((e) => e.data.state);
    assert.equal(states.at(-1), 'completed');
    assert.ok(states.includes('running'), `states: ${states.join(',')}`);
    const progress = events.filter((e) => e.type === 'progress').map((e) => e.data);
    assert.ok(progress.length >= 2, `only ${progress.length} progress events`);
    for (let i = 1; i < progress.length; i++)
      assert.ok(progress[i].fraction >= progress[i - 1].fraction - 1e-9);
    assert.ok(progress.some((p) => typeof p.fps === 'number'));
    assert.ok('eta_ms' in progress[0]);
  } finally {
    // listen() made the app a real server; closing it happens in after().
  }
});

test('cancel stops a job; resume re-queues and it completes', async () => {
  const timeline = cutTimeline([s.assets[2]!, s.assets[1]!, s.assets[0]!]);
  const res = await submit({ timeline, profile: 'draft_360p', output: 'cancel.mp4' });
  const id = res.json().job.id as string;
  await waitForJob(s.queue, s.ctxA, id, (j) => j.state !== 'queued');
  const cancelled = await s.app.inject({
    method: 'POST',
    url: `/video/render/jobs/${id}/cancel`,
    headers: auth(s.keyA, 'dev'),
  });
  assert.equal(cancelled.statusCode, 200, cancelled.body);
  const state = cancelled.json().job.state;
  assert.ok(state === 'cancelled' || state === 'completed', state);
  if (state === 'completed') return; // finished before the cancel arrived: nothing more to check
  const out = await s.app.inject({
    method: 'GET',
    url: `/video/render/jobs/${id}/output`,
    headers: auth(s.keyA, 'dev'),
  });
  assert.equal(out.statusCode, 404);
  const resumed = await s.app.inject({
    method: 'POST',
    url: `/video/render/jobs/${id}/resume`,
    headers: auth(s.keyA, 'dev'),
  });
  assert.equal(resumed.statusCode, 200);
  assert.equal(resumed.json().job.state, 'queued');
  const done = await waitForJob(s.queue, s.ctxA, id);
  assert.equal(done.state, 'completed', JSON.stringify(done.error));
});

test('1 000 submits in a burst: bounded queue, 429 with Retry-After, no accepted job lost', async () => {
  const burst = await server({ start: false, maxQueued: 20 });
  try {
    const timeline = cutTimeline(burst.assets.slice(0, 1));
    const replies = await Promise.all(
      Array.from({ length: 1000 }, (_, i) =>
        burst.app.inject({
          method: 'POST',
          url: '/video/render',
          headers: auth(burst.keyA, 'dev'),
          payload: { timeline, profile: 'draft_360p', output: `o${i}.mp4` },
        }),
      ),
    );
    const accepted = replies.filter((r) => r.statusCode === 201);
    const refused = replies.filter((r) => r.statusCode === 429);
    assert.equal(accepted.length + refused.length, 1000);
    assert.equal(accepted.length, 20);
    for (const r of refused.slice(0, 5)) {
      assert.equal(r.json().error.code, 'QUEUE_FULL');
      assert.ok(Number(r.headers['retry-after']) >= 1);
    }
    const rows = await burst.queue.list(burst.ctxA, { limit: 1000 });
    assert.deepEqual(rows.map((j) => j.id).sort(), accepted.map((r) => r.json().job.id as string).sort());
  } finally {
    await burst.close();
  }
});

test('smart: true renders the job by stream-copying whole GOPs; the result says what was copied', async () => {
  // 640x360 30 fps H.264 with 1 s closed GOPs: the draft_360p canvas, so its GOPs can be copied.
  const dir = await mkdtemp(join(tmpdir(), 'cutroom-rjobs-smart-'));
  try {
    const path = join(dir, 'gop30.mp4');
    const { spawnSync } = await import('node:child_process');
    const { ffmpegPath } = await import('../../src/ffmpeg/binaries.js');
    const made = spawnSync(ffmpegPath(), [
      ...['-v', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc2=s=640x360:r=30:d=3'],
      ...['-f', 'lavfi', '-i', 'sine=f=330:sample_rate=48000:d=3'],
      ...['-c:v', 'libx264', '-preset', 'veryfast', '-pix_fmt', 'yuv420p', '-g', '30', '-keyint_min', '30'],
      ...['-sc_threshold', '0', '-c:a', 'aac', '-shortest', path],
    ]);
    assert.equal(made.status, 0, made.stderr.toString());
    const assetId = (await s.services.assets.registerAsset(s.ctxA, { source: { path } })).asset.id;
    const timeline = {
      tracks: [{ id: 'v', kind: 'video', clips: [{ id: 'c0', asset_id: assetId, start_ms: 0, in_ms: 500, out_ms: 2500 }] }],
    };
    // Smart renders plain MP4/MOV only: output options or another container are refused up front.
    const refused = await submit({ timeline, profile: 'draft_360p', smart: true, output: 'x.webm' });
    assert.equal(refused.statusCode, 400, refused.body);

    const res = await submit({ timeline, profile: 'draft_360p', smart: true, output: 'smart.mp4' });
    assert.equal(res.statusCode, 201, res.body);
    const done = await waitForJob(s.queue, s.ctxA, res.json().job.id);
    assert.equal(done.state, 'completed', JSON.stringify(done.error));
    const result = done.result as { smart?: { frames_copied: number; frames_encoded: number; fallback: boolean } };
    // 0.5-2.5 s: frames 15-75; 15-30 are encoded, 30 up to the last mini-GOP edge ≤ 75 copied, the 0-3
    // frames after it encoded.
    const sm = result.smart!;
    assert.equal(sm.fallback, false);
    assert.equal(sm.frames_copied + sm.frames_encoded, 60);
    assert.ok(sm.frames_encoded >= 15 && sm.frames_encoded <= 18, JSON.stringify(sm));
    const out = await s.app.inject({
      method: 'GET',
      url: `/video/render/jobs/${res.json().job.id}/output`,
      headers: auth(s.keyA, 'dev'),
    });
    assert.equal(out.statusCode, 200);
    const file = join(dir, 'out.mp4');
    await writeFile(file, out.rawPayload);
    assert.equal(await frameCount(file, { decode: true }), 60);
    assert.ok(await hasAudio(file));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a finished render is an asset of origin render: listed with origin=render, not with origin=source', async () => {
  const timeline = cutTimeline(s.assets.slice(0, 1));
  const res = await submit({ timeline, profile: 'draft_360p', job_id: 'origin-check' });
  assert.ok(res.statusCode === 201 || res.statusCode === 200, res.body);
  const done = await waitForJob(s.queue, s.ctxA, 'origin-check');
  assert.equal(done.state, 'completed', JSON.stringify(done.error));
  const output = (done.result as { asset_id: string }).asset_id;
  const list = async (origin: string, key = s.keyA) => {
    const r = await s.app.inject({ method: 'GET', url: `/media-v2/assets?origin=${origin}`, headers: auth(key, 'dev') });
    assert.equal(r.statusCode, 200, r.body);
    return r.json().items.map((a: { id: string }) => a.id) as string[];
  };
  const [any, source, render] = [await list('any'), await list('source'), await list('render')];
  assert.ok(render.includes(output), 'the output is listed as a render');
  assert.ok(!source.includes(output), 'and not among the sources');
  for (const id of s.assets) assert.ok(source.includes(id) && !render.includes(id), `${id} is a source`);
  assert.deepEqual([...source, ...render].sort(), [...any].sort(), 'source and render split the whole list');
  assert.deepEqual(await list('render', s.keyB), [], 'tenant B sees none of them');
  const bad = await s.app.inject({ method: 'GET', url: '/media-v2/assets?origin=upload', headers: auth(s.keyA, 'dev') });
  assert.equal(bad.statusCode, 400);
});
