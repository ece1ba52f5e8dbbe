// Image sequences as render jobs over HTTP (issue 15.1): the frames are one stored .zip, the content of the job's
// `render` artifact. Measured: the frame count (duration × fps), each frame's size with ffprobe, the colour of a
// frame on each side of a cut, the listing against the zip's own entries, a single frame served from the zip
// byte-identical to its entry (and a Range of it), a jpg sequence, and another tenant or env getting 404 for the
// job, its frames and its artifact.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { RequestContext } from '../../src/context.js';
import { buildApp } from '../../src/http/index.js';
import { engineRoutes } from '../../src/http/engine-routes.js';
import type { EmbeddedQueue } from '../../src/jobs/embedded-queue.js';
import { createServices, type Services } from '../../src/media/services.js';
import { createRenderQueue } from '../../src/render/jobs/index.js';
import { probeJson, sampleColor } from '../helpers/media.js';
import { waitForJob } from '../render/jobs-helpers.js';
import { auth } from './helpers.js';

let app: FastifyInstance;
let services: Services;
let queue: EmbeddedQueue;
let keyA: string;
let keyB: string;
let dir: string;
const ctxA: RequestContext = { tenantId: 'sa', env: 'dev', requestId: 'req_test' };

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cutroom-seq-jobs-'));
  services = await createServices({ dataDir: join(dir, 'data') });
  await services.tenants.createTenant({ id: 'sa', envs: ['dev', 'prod'] });
  await services.tenants.createTenant({ id: 'sb', envs: ['dev'] });
  keyA = (await services.tenants.createApiKey({ tenantId: 'sa' })).key;
  keyB = (await services.tenants.createApiKey({ tenantId: 'sb' })).key;
  queue = await createRenderQueue({
    services,
    start: true,
    queue: { concurrency: 1, pollMs: 50, progressPersistMs: 100 },
  });
  app = await buildApp({ services, extraRoutes: engineRoutes({ queue }) });
  await app.ready();
});
after(async () => {
  await app.close();
  await queue.close();
  await services.close();
  await rm(dir, { recursive: true, force: true });
});

/** 0–500 ms red, 500–1000 ms green (colour fills, no source assets). */
const TIMELINE = {
  tracks: [
    {
      id: 'v',
      kind: 'video',
      clips: [
        {
          id: 'r',
          asset_id: 'generator:r',
          start_ms: 0,
          duration_ms: 500,
          generator: { type: 'color', color: '#FF0000' },
        },
        {
          id: 'g',
          asset_id: 'generator:g',
          start_ms: 500,
          duration_ms: 500,
          generator: { type: 'color', color: '#00FF00' },
        },
      ],
    },
  ],
};

const get = (url: string, opts: { key?: string; env?: string; range?: string } = {}) =>
  app.inject({
    method: 'GET',
    url,
    headers: { ...auth(opts.key ?? keyA, opts.env ?? 'dev'), ...(opts.range ? { range: opts.range } : {}) },
  });

async function renderSequence(format: 'png_sequence' | 'jpg_sequence', output: string) {
  const res = await app.inject({
    method: 'POST',
    url: '/video/render',
    headers: auth(keyA, 'dev'),
    payload: {
      timeline: TIMELINE,
      profile: 'draft_360p',
      output,
      output_options: { format, width: 160, height: 90, fps: 10 },
    },
  });
  assert.equal(res.statusCode, 201, res.body);
  const job = await waitForJob(queue, ctxA, res.json().job.id);
  assert.equal(job.state, 'completed', JSON.stringify(job.error));
  return (await get(`/video/render/jobs/${job.id}`)).json().job;
}

test('a png_sequence job: 10 frames of 160×90 in a stored zip, listed, each served alone; colours either side of the cut', async (t) => {
  const job = await renderSequence('png_sequence', 'frames.zip');
  assert.equal(job.result.asset_id, null);
  assert.deepEqual(job.result.frames, {
    format: 'png',
    count: 10,
    width: 160,
    height: 90,
    first: 'frame_000000.png',
  });
  assert.equal(job.result.frame_count, 10);

  const zipRes = await get(`/video/render/jobs/${job.id}/output`);
  assert.equal(zipRes.statusCode, 200);
  assert.equal(zipRes.headers['content-type'], 'application/zip');
  assert.match(String(zipRes.headers['content-disposition']), /filename="frames\.zip"/);
  const zip = join(dir, 'frames.zip');
  await writeFile(zip, zipRes.rawPayload);
  const tested = spawnSync('unzip', ['-t', zip]);
  assert.equal(tested.status, 0, tested.stdout.toString());
  const unpacked = join(dir, 'unpacked');
  await mkdir(unpacked);
  assert.equal(spawnSync('unzip', ['-q', zip, '-d', unpacked]).status, 0);
  const names = (await readdir(unpacked)).sort();
  assert.deepEqual(
    names,
    Array.from({ length: 10 }, (_, i) => `frame_${String(i).padStart(6, '0')}.png`),
  );

  const list = await get(`/video/render/jobs/${job.id}/output/frames`);
  assert.equal(list.statusCode, 200, list.body);
  const body = list.json();
  assert.equal(body.count, 10);
  assert.deepEqual([body.width, body.height, body.format], [160, 90, 'png']);
  assert.deepEqual(
    body.frames.map((f: { name: string }) => f.name),
    names,
  );
  const page = (await get(`/video/render/jobs/${job.id}/output/frames?offset=8&limit=5`)).json();
  assert.deepEqual(
    page.frames.map((f: { index: number }) => f.index),
    [8, 9],
  );

  // Frame k alone is byte-identical to its zip entry, a real 160×90 PNG, red before the cut and green after.
  for (const [index, want] of [
    [2, 'red'],
    [7, 'green'],
  ] as const) {
    const frame = await get(body.frames[index].url);
    assert.equal(frame.statusCode, 200);
    assert.equal(frame.headers['content-type'], 'image/png');
    const entry = await readFile(join(unpacked, names[index]!));
    assert.ok(frame.rawPayload.equals(entry), `frame ${index} differs from its zip entry`);
    assert.equal(frame.rawPayload.length, body.frames[index].size_bytes);
    const file = join(dir, `frame-${index}.png`);
    await writeFile(file, frame.rawPayload);
    const s = (await probeJson(file)).streams[0]!;
    assert.deepEqual([s.codec_name, s.width, s.height], ['png', 160, 90]);
    const px = await sampleColor({ file, tMs: 0, x: 78, y: 43 });
    t.diagnostic(`frame ${index}: ${JSON.stringify(px)}`);
    if (want === 'red') assert.ok(px.r > 230 && px.g < 25 && px.b < 25, JSON.stringify(px));
    else assert.ok(px.g > 230 && px.r < 25 && px.b < 25, JSON.stringify(px));
  }
  // A byte range of one frame: the PNG signature.
  const head = await get(body.frames[0].url, { range: 'bytes=0-7' });
  assert.equal(head.statusCode, 206);
  assert.equal(head.headers['content-range'], `bytes 0-7/${body.frames[0].size_bytes}`);
  assert.deepEqual([...head.rawPayload], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

  // Out of range, and a job that rendered one file, have no frames (404 OBJECT_NOT_FOUND).
  const beyond = await get(`/video/render/jobs/${job.id}/output/frames/10`);
  assert.equal(beyond.statusCode, 404);
  assert.equal(beyond.json().error.code, 'OBJECT_NOT_FOUND');
  const mp4 = await app.inject({
    method: 'POST',
    url: '/video/render',
    headers: auth(keyA, 'dev'),
    payload: { timeline: TIMELINE, profile: 'draft_360p' },
  });
  const mp4Job = await waitForJob(queue, ctxA, mp4.json().job.id);
  assert.equal(mp4Job.state, 'completed');
  const none = await get(`/video/render/jobs/${mp4Job.id}/output/frames`);
  assert.equal(none.statusCode, 404);
  assert.equal(none.json().error.code, 'OBJECT_NOT_FOUND');

  // The same render again is the same job (idempotency as for any output).
  const again = await app.inject({
    method: 'POST',
    url: '/video/render',
    headers: auth(keyA, 'dev'),
    payload: {
      timeline: TIMELINE,
      profile: 'draft_360p',
      output: 'frames.zip',
      output_options: { format: 'png_sequence', width: 160, height: 90, fps: 10 },
    },
  });
  assert.equal(again.statusCode, 200, again.body);
  assert.equal(again.json().job.id, job.id);
});

test('a jpg_sequence job serves JPEG frames; .zip needs a sequence format', async () => {
  const job = await renderSequence('jpg_sequence', 'stills.zip');
  assert.equal(job.result.frames.format, 'jpg');
  const frame = await get(`/video/render/jobs/${job.id}/output/frames/0`);
  assert.equal(frame.statusCode, 200);
  assert.equal(frame.headers['content-type'], 'image/jpeg');
  assert.deepEqual([...frame.rawPayload.subarray(0, 2)], [0xff, 0xd8]);
  const file = join(dir, 'still.jpg');
  await writeFile(file, frame.rawPayload);
  const s = (await probeJson(file)).streams[0]!;
  assert.deepEqual([s.codec_name, s.width, s.height], ['mjpeg', 160, 90]);

  const mismatch = await app.inject({
    method: 'POST',
    url: '/video/render',
    headers: auth(keyA, 'dev'),
    payload: { timeline: TIMELINE, profile: 'draft_360p', output: 'x.zip' },
  });
  assert.equal(mismatch.statusCode, 400, mismatch.body);
  assert.equal(mismatch.json().error.code, 'OUTPUT_FORMAT_MISMATCH');
});

test('another tenant or env gets 404 for the sequence job, its zip, its frames and its artifact', async () => {
  const job = await renderSequence('png_sequence', 'private.zip');
  const urls = [
    `/video/render/jobs/${job.id}`,
    `/video/render/jobs/${job.id}/output`,
    `/video/render/jobs/${job.id}/output/frames`,
    `/video/render/jobs/${job.id}/output/frames/0`,
  ];
  for (const url of urls)
    for (const opts of [{ key: keyB }, { env: 'prod' }]) {
      const res = await get(url, opts);
      assert.equal(res.statusCode, 404, `${url} ${JSON.stringify(opts)}: ${res.body}`);
      assert.equal(res.json().error.code, 'JOB_NOT_FOUND');
    }
  const artifactUrl = `/media-v2/artifacts/${job.result.artifact_id}/content`;
  assert.equal((await get(artifactUrl)).statusCode, 200);
  const theirs = await get(artifactUrl, { key: keyB });
  assert.equal(theirs.statusCode, 404);
  assert.equal(theirs.json().error.code, 'ARTIFACT_NOT_FOUND');
  // The zip lives under the owner's prefix, in the folder of objects that belong to no asset.
  const artifact = await services.artifacts.getArtifact(ctxA, job.result.artifact_id);
  assert.equal(artifact.storage_key, `tenants/sa/dev/media_v2/_none/renders/${artifact.id}.zip`);
});
