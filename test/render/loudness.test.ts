// Loudness-normalised profiles render with a measured gain: an audio-only ebur128 pass over the whole timeline,
// then one exact gain + limiter instead of single-pass loudnorm (whose look-ahead queues ~3 s of 1080p frames).
// Checked on the output itself: integrated loudness at the profile's target.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { RequestContext } from '../../src/context.js';
import type { EmbeddedQueue } from '../../src/jobs/embedded-queue.js';
import { formatNumber } from '../../src/plan/format.js';
import { prepareRender, renderToFile } from '../../src/render/index.js';
import { createRenderQueue, submitRenderJob, type RenderJobResult } from '../../src/render/jobs/index.js';
import { parseTimeline, type Timeline } from '../../src/timeline/index.js';
import { frameCount, hasAudio, loudness, solidClip } from '../helpers/media.js';
import { makeServices, type TestServices } from '../media/setup.js';
import { waitForJob } from './jobs-helpers.js';

const PROFILE = 'social_1080p_h264';
let services: TestServices;
let ctx: RequestContext;
let toned: string[];
let silent: string;

before(async () => {
  services = await makeServices();
  ctx = await services.tenant('dev', 'loud_a');
  toned = [];
  for (const [color, toneHz] of [
    ['#FF0000', 440],
    ['#0000FF', 880],
  ] as const) {
    const path = await solidClip({ color, durationMs: 1000, width: 320, height: 240, toneHz });
    toned.push((await services.assets.registerAsset(ctx, { source: { path } })).asset.id);
  }
  const quiet = await solidClip({
    color: '#00FF00',
    durationMs: 1000,
    width: 320,
    height: 240,
    toneHz: null,
  });
  silent = (await services.assets.registerAsset(ctx, { source: { path: quiet } })).asset.id;
});

after(async () => {
  await services.dispose();
});

function cuts(ids: string[]): Timeline {
  return parseTimeline({
    tracks: [
      {
        id: 'v',
        kind: 'video',
        clips: ids.map((asset_id, i) => ({
          id: `c${i}`,
          asset_id,
          start_ms: i * 1000,
          in_ms: 0,
          out_ms: 1000,
        })),
      },
    ],
  });
}

test('social_1080p_h264 renders at -14 LUFS with a measured gain, no loudnorm', async () => {
  const timeline = cuts(toned);
  // The mix before normalisation: draft_360p has no loudness target.
  const raw = join(services.dataDir, 'out', 'raw.mp4');
  await renderToFile({ services, ctx, timeline, profile: 'draft_360p', output: raw });
  const rawLufs = (await loudness({ file: raw })).integratedLufs;

  const output = join(services.dataDir, 'out', 'social.mp4');
  const r = await renderToFile({ services, ctx, timeline, profile: PROFILE, output });
  assert.ok(r.loudness, 'a measurement pass ran');
  assert.equal(r.loudness.silent, false);
  assert.ok(
    Math.abs(r.loudness.integrated_lufs - rawLufs) < 0.5,
    `${r.loudness.integrated_lufs} vs ${rawLufs}`,
  );
  assert.equal(r.plan.meta.loudness_mode, 'measured');
  assert.ok(!r.plan.filtergraph.includes('loudnorm'), r.plan.filtergraph);
  assert.ok(
    r.plan.filtergraph.includes(`volume=${formatNumber(-14 - r.loudness.integrated_lufs, 2)}dB`),
    r.plan.filtergraph,
  );
  assert.equal(await frameCount(output), 60);
  const out = (await loudness({ file: output })).integratedLufs;
  assert.ok(Math.abs(out - -14) <= 1, `output at ${out} LUFS`);
});

test('dry runs keep single-pass loudnorm; video-only plans and profiles without a target measure nothing', async () => {
  const timeline = cuts(toned);
  const dry = await prepareRender({ services, ctx, timeline, profile: PROFILE, workDir: services.dataDir });
  assert.equal(dry.loudness, undefined);
  assert.equal(dry.plan.meta.loudness_mode, 'single_pass');
  assert.ok(dry.plan.filtergraph.includes('loudnorm=I=-14'));
  const video = await prepareRender({
    services,
    ctx,
    timeline,
    profile: PROFILE,
    workDir: services.dataDir,
    streams: 'video',
    measureLoudness: true,
  });
  assert.equal(video.loudness, undefined);
  assert.equal(video.plan.meta.loudness_mode, 'none');
  // Profiles without a target never measure.
  const draft = await prepareRender({
    services,
    ctx,
    timeline,
    profile: 'draft_360p',
    workDir: services.dataDir,
    measureLoudness: true,
  });
  assert.equal(draft.loudness, undefined);
});

test('a silent mix is measured as silent and left untouched (no +56 dB gain on the noise floor)', async () => {
  const p = await prepareRender({
    services,
    ctx,
    timeline: cuts([silent]),
    profile: PROFILE,
    workDir: join(services.dataDir, 'silent'),
    measureLoudness: true,
  });
  assert.ok(p.loudness);
  assert.equal(p.loudness.silent, true);
  assert.equal(p.plan.meta.loudness_mode, 'none');
  assert.ok(!/loudnorm|volume=|alimiter/.test(p.plan.filtergraph), p.plan.filtergraph);
});

test('a chunked render job gets the same measured loudness as the one-piece render', async () => {
  let queue: EmbeddedQueue | undefined;
  try {
    // 1 s chunks: the 2 s timeline renders as 2 video chunks + one audio pass.
    queue = await createRenderQueue({
      services,
      queue: { concurrency: 1, pollMs: 50 },
      handler: { chunkMs: 1000 },
    });
    const timeline = cuts(toned);
    const { job } = await submitRenderJob({ services, queue, ctx, timeline, profile: PROFILE });
    const done = await waitForJob(queue, ctx, job.id);
    assert.equal(done.state, 'completed', JSON.stringify(done.error));
    const result = done.result as RenderJobResult;
    assert.equal(result.chunks, 2);
    const file = await services.assets.assetPath(ctx, result.asset_id!);
    assert.ok(await hasAudio(file));
    const chunked = (await loudness({ file })).integratedLufs;
    const whole = join(services.dataDir, 'out', 'whole.mp4');
    await renderToFile({ services, ctx, timeline, profile: PROFILE, output: whole });
    const oneShot = (await loudness({ file: whole })).integratedLufs;
    assert.ok(Math.abs(chunked - -14) <= 1, `chunked output at ${chunked} LUFS`);
    assert.ok(Math.abs(chunked - oneShot) <= 0.2, `chunked ${chunked} vs one piece ${oneShot} LUFS`);
    const artifact = await services.artifacts.getArtifact(ctx, result.artifact_id);
    assert.equal(typeof artifact.meta.loudness_measured_lufs, 'number');
  } finally {
    await queue?.close();
  }
});
