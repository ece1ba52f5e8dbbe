// The render job end to end: submit → chunked render through the real planner and ffmpeg → a new asset + a render
// artifact; checked with ffprobe (frames, colours at the seams, audio).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { RequestContext } from '../../src/context.js';
import type { EmbeddedQueue } from '../../src/jobs/embedded-queue.js';
import {
  chunkLayout,
  createRenderQueue,
  submitRenderJob,
  type RenderJobResult,
} from '../../src/render/jobs/index.js';
import { frameCount, hasAudio, sampleColor, durationMs } from '../helpers/media.js';
import { makeServices, type TestServices } from '../media/setup.js';
import { cutTimeline, registerColours, waitForJob } from './jobs-helpers.js';

let services: TestServices;
let ctx: RequestContext;
let queue: EmbeddedQueue;
let ids: string[];

before(async () => {
  services = await makeServices();
  ctx = await services.tenant('dev', 'rjob_a');
  ids = await registerColours(services, ctx);
  // 1 s chunks: the 3 s timeline splits into 3 chunks at its hard cuts.
  queue = await createRenderQueue({
    services,
    queue: { concurrency: 1, pollMs: 50 },
    handler: { chunkMs: 1000 },
  });
});

after(async () => {
  await queue.close();
  await services.dispose();
});

test('chunk layout: short timelines render in one piece, many inputs shorten the chunks', () => {
  const fps = { num: 30, den: 1 };
  assert.equal(
    chunkLayout({
      durationMs: 50_000,
      fps,
      inputCount: 3,
      cutTimesMs: [],
      chunkMs: 30_000,
      maxInputsPerChunk: 64,
    }).length,
    1,
  );
  assert.equal(
    chunkLayout({
      durationMs: 90_000,
      fps,
      inputCount: 3,
      cutTimesMs: [],
      chunkMs: 30_000,
      maxInputsPerChunk: 64,
    }).length,
    3,
  );
  // 400 inputs over 100 s at most 50 per chunk → ≥ 8 chunks of ≤ 12.5 s.
  const many = chunkLayout({
    durationMs: 100_000,
    fps,
    inputCount: 400,
    cutTimesMs: [],
    chunkMs: 30_000,
    maxInputsPerChunk: 50,
  });
  assert.ok(many.length >= 8, `got ${many.length} chunks`);
  assert.equal(
    many.reduce((n, c) => n + c.frame_count, 0),
    3000,
  );
});

test('a 3-clip cut renders in chunks into a new asset with a render artifact', async () => {
  const timeline = cutTimeline(ids);
  const { job, created } = await submitRenderJob({ services, queue, ctx, timeline, profile: 'draft_360p' });
  assert.equal(created, true);
  assert.ok(job.plan_hash);
  const again = await submitRenderJob({ services, queue, ctx, timeline, profile: 'draft_360p' });
  assert.equal(again.job.id, job.id);
  assert.equal(again.created, false);

  const done = await waitForJob(queue, ctx, job.id);
  assert.equal(done.state, 'completed', JSON.stringify(done.error));
  assert.equal(done.progress, 1);
  const result = done.result as RenderJobResult;
  assert.equal(result.chunks, 3);
  assert.deepEqual(result.rendered_chunks, [0, 1, 2]);
  const file = await services.assets.assetPath(ctx, result.asset_id!);
  assert.equal(await frameCount(file), 90);
  assert.ok(Math.abs((await durationMs(file, 'video')) - 3000) <= 34);
  assert.ok(await hasAudio(file));
  assert.ok(Math.abs((await durationMs(file, 'audio')) - 3000) <= 30);
  // Frame 29 red, 30 green, 59 green, 60 blue (sampleColor takes the first frame at or after t): exact seams.
  const at = (tMs: number) => sampleColor({ file, tMs, x: 320, y: 180 });
  const [r, g1, g2, b] = [await at(950), await at(1000), await at(1950), await at(2000)];
  assert.ok(r.r > 200 && r.g < 60, JSON.stringify(r));
  assert.ok(g1.g > 200 && g1.r < 60, JSON.stringify(g1));
  assert.ok(g2.g > 200 && g2.b < 60, JSON.stringify(g2));
  assert.ok(b.b > 200 && b.g < 60, JSON.stringify(b));

  const artifact = await services.artifacts.getArtifact(ctx, result.artifact_id);
  assert.equal(artifact.kind, 'render');
  assert.equal(artifact.asset_id, result.asset_id);
  assert.equal(artifact.meta.plan_hash, job.plan_hash);
  assert.equal(artifact.meta.job_id, job.id);
  assert.equal(artifact.meta.frame_count, 90);
  const segments = await services.artifacts.listArtifacts(ctx, { kind: 'render_segment' });
  assert.equal(segments.length, 4); // 3 video chunks + the audio pass
});

test('a 2-clip timeline under two chunk lengths renders in one piece', async () => {
  const timeline = cutTimeline(ids.slice(0, 1), 1000);
  const { job } = await submitRenderJob({ services, queue, ctx, timeline, profile: 'draft_360p' });
  const done = await waitForJob(queue, ctx, job.id);
  assert.equal(done.state, 'completed', JSON.stringify(done.error));
  const result = done.result as RenderJobResult;
  assert.equal(result.chunks, 1);
  const file = await services.assets.assetPath(ctx, result.asset_id!);
  assert.equal(await frameCount(file), 30);
  assert.ok(await hasAudio(file));
});

test('cancel after some chunks, resume: finished chunks are reused, the rest rendered', async () => {
  const timeline = cutTimeline([...ids, ...ids]); // 6 s, 6 chunks of 1 s
  const { job } = await submitRenderJob({ services, queue, ctx, timeline, profile: 'draft_480p_fast' });
  // Wait for the first durable segment of this render.
  const segmentsOf = async () =>
    (await services.artifacts.listArtifacts(ctx, { kind: 'render_segment' })).filter(
      (a) => a.meta.job_id === job.id && a.meta.stream === 'video',
    );
  for (let i = 0; i < 600 && (await segmentsOf()).length === 0; i++)
    await new Promise((r) => setTimeout(r, 20));
  const cancelled = await queue.cancel(ctx, job.id);
  if (cancelled.state === 'completed') return; // the whole render beat the cancel: nothing to resume
  assert.equal(cancelled.state, 'cancelled');
  const durable = (await segmentsOf()).length;
  assert.ok(durable >= 1 && durable < 6, `${durable} segments`);
  await queue.resume(ctx, job.id);
  const done = await waitForJob(queue, ctx, job.id);
  assert.equal(done.state, 'completed', JSON.stringify(done.error));
  const result = done.result as RenderJobResult;
  assert.equal(result.chunks, 6);
  assert.ok(result.reused_chunks.length >= durable, JSON.stringify(result));
  assert.deepEqual([...result.rendered_chunks, ...result.reused_chunks].sort(), [0, 1, 2, 3, 4, 5]);
  const file = await services.assets.assetPath(ctx, result.asset_id!);
  assert.equal(await frameCount(file), 180);
});
