// Chunked render on real ffmpeg output: frame-exact seams, lossless join, continuous audio, resume, cancel.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cutroomError, isCutroomError } from '../../src/errors.js';
import { runFfmpeg } from '../../src/ffmpeg/run.js';
import { planChunks } from '../../src/jobs/chunking.js';
import { runChunkedRender } from '../../src/jobs/chunked-render.js';
import { concatList } from '../../src/jobs/concat-list.js';
import { childPids, procAvailable, waitNoChildren } from '../helpers/process-tree.js';
import { makeServices, type TestServices } from '../media/setup.js';
import {
  FPS,
  framePsnr,
  monoPcm,
  renderNaiveAudioChunk,
  renderReference,
  renderTestAudio,
  renderTestChunk,
  sineDiscontinuity,
  streamDurationsMs,
  videoFrameTimesMs,
} from './render-fixtures.js';

const TOTAL_MS = 3000;
const fps = { num: FPS, den: 1 };
const disposers: Array<() => Promise<void>> = [];
after(async () => {
  for (const d of disposers.reverse()) await d();
});

async function setup(): Promise<{
  services: TestServices;
  dir: string;
  ctx: Awaited<ReturnType<TestServices['tenant']>>;
}> {
  const services = await makeServices();
  const dir = await mkdtemp(join(tmpdir(), 'cutroom-chunked-'));
  disposers.push(async () => {
    await services.dispose();
    await rm(dir, { recursive: true, force: true });
  });
  return { services, dir, ctx: await services.tenant() };
}

let reference: Promise<string> | null = null;
function referenceRender(dir: string): Promise<string> {
  reference ??= (async () => {
    const out = join(dir, 'reference.mp4');
    await renderReference(TOTAL_MS, out);
    return out;
  })();
  return reference;
}

test('concat list quotes paths and refuses newlines', () => {
  assert.equal(
    concatList({
      entries: [
        { path: "/a/it's.mp4", durationUs: 733_333 },
        { path: '/b c.mp4', durationUs: 2_000_000 },
        { path: '/c.mp4' },
      ],
    }),
    "ffconcat version 1.0\nfile '/a/it'\\''s.mp4'\nduration 0.733333\nfile '/b c.mp4'\nduration 2\nfile '/c.mp4'\n",
  );
  assert.throws(
    () => concatList({ entries: [{ path: '/a\nb.mp4' }] }),
    (e) => isCutroomError(e, 'INVALID_PATH'),
  );
});

test('chunked render equals the unchunked render: frames, timing, picture and audio', async () => {
  const { services, dir, ctx } = await setup();
  // 3 s at 30 fps in chunks of ~0.7 s → 4 chunks of 22-23 frames, seams off the 1024-sample AAC grid.
  const chunks = planChunks({ durationMs: TOTAL_MS, fps, targetChunkMs: 700 });
  assert.equal(chunks.length, 4);
  const progress: number[] = [];
  const output = join(dir, 'chunked.mp4');
  const result = await runChunkedRender({
    ctx,
    artifacts: services.artifacts,
    renderKey: { plan_hash: 'test-equal', profile: 'test' },
    chunks,
    fps,
    output,
    workRoot: join(dir, 'work'),
    renderVideoChunk: renderTestChunk(TOTAL_MS),
    renderAudio: renderTestAudio(TOTAL_MS),
    runFfmpeg,
    signal: new AbortController().signal,
    onProgress: (f) => progress.push(f),
  });
  assert.deepEqual(result.rendered_chunks, [0, 1, 2, 3]);
  assert.deepEqual(result.reused_chunks, []);
  assert.equal(result.frame_count, 90);
  assert.deepEqual(
    progress,
    [...progress].sort((a, b) => a - b),
    'progress never decreases',
  );
  assert.equal(progress.at(-1), 1);

  const ref = await referenceRender(dir);
  // Frame count and timing: 90 frames exactly 1/30 s apart, no duplicate or missing frame at a seam.
  const times = await videoFrameTimesMs(output);
  assert.equal(times.length, (await videoFrameTimesMs(ref)).length);
  assert.equal(times.length, 90);
  // Each frame on its own grid slot (absolute, so drift accumulating over seams would show; the MP4 time base
  // 1/15360 rounds a slot by < 0.04 ms).
  for (let i = 0; i < times.length; i++)
    assert.ok(
      Math.abs(times[i]! - (i * 1000) / FPS) < 0.1,
      `frame ${i} at ${times[i]} ms, expected ${(i * 1000) / FPS}`,
    );
  const d = await streamDurationsMs(output);
  const dr = await streamDurationsMs(ref);
  assert.equal(d.video, dr.video);
  assert.equal(d.video, TOTAL_MS);
  // Picture: every frame matches the reference (testsrc2 moves every frame, so an off-by-one seam would drop
  // PSNR far below this; both are lossy encodes of the same frames).
  const psnr = await framePsnr(output, ref);
  assert.equal(psnr.length, 90);
  assert.ok(Math.min(...psnr) > 30, `min PSNR ${Math.min(...psnr)} dB`);
  // Audio: rendered once, so it is the unchunked audio exactly and continuous across every seam.
  const pcm = await monoPcm(output);
  const refPcm = await monoPcm(ref);
  assert.equal(pcm.length, refPcm.length);
  let maxDiff = 0;
  for (let i = 0; i < pcm.length; i++) maxDiff = Math.max(maxDiff, Math.abs(pcm[i]! - refPcm[i]!));
  assert.ok(maxDiff < 1e-6, `audio differs from the unchunked render by ${maxDiff}`);
  const disc = sineDiscontinuity(pcm);
  assert.ok(disc.max < 1e-3, `audio discontinuity ${disc.max} at sample ${disc.at}`);
  // The segments are durable render_segment artifacts: 4 video + 1 audio.
  const segs = await services.artifacts.listArtifacts(ctx, { kind: 'render_segment' });
  assert.equal(segs.length, 5);
  assert.deepEqual(
    segs
      .filter((s) => s.meta.stream === 'video')
      .map((s) => s.meta.frame_count as number)
      .sort(),
    chunks.map((c) => c.frame_count).sort(),
  );
  // Nothing left in the scratch dir.
  assert.deepEqual(await readdir(join(dir, 'work')), []);
});

test('control: per-chunk AAC audio joined by concat is discontinuous (what the detector catches)', async () => {
  const { dir } = await setup();
  const seams = [0, 35200, 70400, 105600, 144000];
  const files: string[] = [];
  for (let i = 0; i + 1 < seams.length; i++) {
    const f = join(dir, `a${i}.m4a`);
    await renderNaiveAudioChunk(TOTAL_MS, seams[i]!, seams[i + 1]!, f);
    files.push(f);
  }
  const list = join(dir, 'naive.ffconcat');
  await writeFile(list, concatList({ entries: files.map((path) => ({ path })) }));
  const joined = join(dir, 'naive.m4a');
  await runFfmpeg({
    args: ['-f', 'concat', '-safe', '0', '-i', list, '-c', 'copy'],
    output: joined,
    stage: 'mux',
  });
  const disc = sineDiscontinuity(await monoPcm(joined));
  assert.ok(disc.max > 3e-3, `naive join discontinuity only ${disc.max}`);
});

test('resume: after a failed chunk, only the chunks without a segment are rendered again', async () => {
  const { services, dir, ctx } = await setup();
  const chunks = planChunks({ durationMs: TOTAL_MS, fps, targetChunkMs: 1000 });
  assert.equal(chunks.length, 3);
  const real = renderTestChunk(TOTAL_MS);
  const renders: number[] = [];
  const common = {
    ctx,
    artifacts: services.artifacts,
    renderKey: { plan_hash: 'test-resume', profile: 'test' },
    chunks,
    fps,
    output: join(dir, 'resumed.mp4'),
    workRoot: join(dir, 'work'),
    renderAudio: renderTestAudio(TOTAL_MS),
    runFfmpeg,
    signal: new AbortController().signal,
  };
  await assert.rejects(
    runChunkedRender({
      ...common,
      renderVideoChunk: async (req) => {
        renders.push(req.chunk.index);
        if (req.chunk.index === 2)
          throw cutroomError('RENDER_FAILED', 'ffmpeg was killed', { stage: 'encode' });
        await real(req);
      },
    }),
    (e) => isCutroomError(e, 'RENDER_FAILED'),
  );
  assert.deepEqual(renders, [0, 1, 2]);
  const second = await runChunkedRender({
    ...common,
    renderVideoChunk: async (req) => {
      renders.push(req.chunk.index);
      await real(req);
    },
  });
  assert.deepEqual(renders, [0, 1, 2, 2]);
  assert.deepEqual(second.reused_chunks, [0, 1]);
  assert.deepEqual(second.rendered_chunks, [2]);
  assert.equal((await videoFrameTimesMs(second.output)).length, 90);
});

test('cancel kills the running ffmpeg, removes partial and temp files, and rejects RENDER_CANCELLED', async () => {
  const { services, dir, ctx } = await setup();
  const chunks = planChunks({ durationMs: TOTAL_MS, fps, targetChunkMs: 1500 });
  const controller = new AbortController();
  const outDir = join(dir, 'out');
  const workRoot = join(dir, 'work');
  let sawFfmpeg = false;
  const run = runChunkedRender({
    ctx,
    artifacts: services.artifacts,
    renderKey: { plan_hash: 'test-cancel', profile: 'test' },
    chunks,
    fps,
    output: join(outDir, 'cancelled.mp4'),
    workRoot,
    // Paced to real time, so the chunk is certainly still running when we cancel.
    renderVideoChunk: renderTestChunk(TOTAL_MS, { realtime: true }),
    runFfmpeg,
    signal: controller.signal,
    onProgress: (f, detail) => {
      if (detail.phase === 'video' && f > 0 && !controller.signal.aborted) {
        sawFfmpeg = procAvailable() ? childPids('ffmpeg').length > 0 : true;
        controller.abort();
      }
    },
  });
  await assert.rejects(run, (e) => isCutroomError(e, 'RENDER_CANCELLED'));
  assert.equal(sawFfmpeg, true);
  if (procAvailable()) assert.deepEqual(await waitNoChildren('ffmpeg'), []);
  assert.deepEqual(await readdir(workRoot), []);
  assert.deepEqual(await readdir(outDir).catch(() => []), []);
  assert.deepEqual(await services.artifacts.listArtifacts(ctx, { kind: 'render_segment' }), []);
  // No half-written segment in the artifact scratch area either.
  assert.deepEqual(
    (await readdir(services.config.workDir).catch(() => [])).filter((n) => n.startsWith('art-')),
    [],
  );
});

test('a chunk that runs past chunkTimeoutMs fails with a retryable RENDER_FAILED (timed_out)', async () => {
  const { services, dir, ctx } = await setup();
  const chunks = planChunks({ durationMs: TOTAL_MS, fps, targetChunkMs: 3000 });
  await assert.rejects(
    runChunkedRender({
      ctx,
      artifacts: services.artifacts,
      renderKey: { plan_hash: 'test-timeout', profile: 'test' },
      chunks,
      fps,
      output: join(dir, 'timeout.mp4'),
      workRoot: join(dir, 'work'),
      renderVideoChunk: renderTestChunk(TOTAL_MS, { realtime: true }), // ≥ 3 s of wall clock
      runFfmpeg,
      signal: new AbortController().signal,
      chunkTimeoutMs: 300,
    }),
    (e) => isCutroomError(e, 'RENDER_FAILED') && e.retryable && e.details.timed_out === true,
  );
});
