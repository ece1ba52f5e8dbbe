// The render service hands the planner the artifacts a timeline needs: transcripts for caption tracks, vid.stab
// transforms for stabilised clips, masks for region filters — through the registry, tenant-scoped.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type { RequestContext } from '../../src/context.js';
import { analyzeStabilise } from '../../src/engines/stabilise/index.js';
import { readFrames } from '../../src/ffmpeg/frames.js';
import { prepareRender, renderToFile } from '../../src/render/index.js';
import { parseTimeline } from '../../src/timeline/index.js';
import { solidClip, testsrcClip } from '../helpers/media.js';
import { makeServices, type TestServices } from '../media/setup.js';

let services: TestServices;
let ctx: RequestContext;
let grey: string;
let moving: string;
let transcriptId: string;

before(async () => {
  services = await makeServices();
  ctx = await services.tenant('dev', 'render_art');
  grey = (
    await services.assets.registerAsset(ctx, {
      source: { path: await solidClip({ color: '#404040', durationMs: 2000 }) },
    })
  ).asset.id;
  moving = (
    await services.assets.registerAsset(ctx, {
      source: {
        path: await testsrcClip({ durationMs: 1000, width: 320, height: 240, fps: 30, toneHz: 440 }),
      },
    })
  ).asset.id;
  const transcript = {
    language: 'en-US',
    segments: [
      {
        start_ms: 500,
        end_ms: 1500,
        text: 'hello world',
        words: [
          { start_ms: 500, end_ms: 1000, word: 'hello', confidence: 1 },
          { start_ms: 1000, end_ms: 1500, word: 'world', confidence: 1 },
        ],
      },
    ],
  };
  const artifact = await services.artifacts.registerArtifact(ctx, {
    assetId: grey,
    kind: 'asr_transcript',
    meta: {
      tenant: ctx.tenantId,
      env: ctx.env,
      cache_key: createHash('sha256').update('test-transcript').digest('hex'),
      backend_version: 'hand-made',
      model_used: 'none',
      duration_ms: 0,
      language: 'en-US',
    },
    content: Buffer.from(JSON.stringify(transcript)),
  });
  transcriptId = artifact.id;
});
after(async () => (process.env.KEEP_TEST_DATA ? undefined : services.dispose()));

test('a caption track burns in its transcript and lists it in the dependency notices', async () => {
  const timeline = parseTimeline({
    tracks: [
      { id: 'v', kind: 'video', clips: [{ id: 'g', asset_id: grey, start_ms: 0, out_ms: 2000 }] },
      {
        id: 'c',
        kind: 'caption',
        items: [{ id: 'cap', transcript_artifact_id: transcriptId, style: 'clean' }],
      },
    ],
  });
  const output = join(services.dataDir, 'captions.mp4');
  const result = await renderToFile({ services, ctx, timeline, profile: 'draft_360p', output });
  assert.deepEqual(
    result.plan.meta.dependency_notices.map((n) => [n.kind, n.artifact_id]),
    [['asr_transcript', transcriptId]],
  );
  // The clean style draws white text on a box near the bottom while a word is spoken, and nothing before.
  const brightPixelsInBottomBand = async (tMs: number): Promise<number> => {
    for await (const frame of readFrames({
      path: output,
      width: 640,
      height: 360,
      pixFmt: 'gray',
      startMs: tMs,
      durationMs: 40,
    })) {
      let n = 0;
      for (let y = 290; y < 360; y++) for (let x = 0; x < 640; x++) if (frame.data[y * 640 + x]! > 200) n++;
      return n;
    }
    return 0;
  };
  assert.equal(await brightPixelsInBottomBand(200), 0, 'no caption before the first word');
  assert.ok((await brightPixelsInBottomBand(1200)) > 100, 'caption text during a word');
});

test('stabilise without transforms renders unstabilised with a warning; with transforms the artifact is used', async () => {
  const timeline = parseTimeline({
    tracks: [
      {
        id: 'v',
        kind: 'video',
        clips: [{ id: 'm', asset_id: moving, start_ms: 0, out_ms: 1000, stabilise: true }],
      },
    ],
  });
  const before = await prepareRender({ services, ctx, timeline, profile: 'draft_360p', workDir: '/tmp/w' });
  assert.ok(before.warnings.some((w) => w.code === 'STABILISE_TRANSFORMS_MISSING'));
  const { artifact } = await analyzeStabilise(services, ctx, { asset_id: moving });
  const afterAnalysis = await prepareRender({
    services,
    ctx,
    timeline,
    profile: 'draft_360p',
    workDir: '/tmp/w',
  });
  assert.ok(!afterAnalysis.warnings.some((w) => w.code === 'STABILISE_TRANSFORMS_MISSING'));
  assert.deepEqual(
    afterAnalysis.plan.meta.dependency_notices.map((n) => n.artifact_id),
    [artifact.id],
  );
  assert.match(afterAnalysis.plan.filtergraph, /vidstabtransform/);
});

test('a region filter without any face analysis is skipped with a warning, not silently', async () => {
  const timeline = parseTimeline({
    tracks: [
      {
        id: 'v',
        kind: 'video',
        clips: [{ id: 'g', asset_id: grey, start_ms: 0, out_ms: 1000, filters: [{ type: 'face_blur' }] }],
      },
    ],
  });
  const prepared = await prepareRender({ services, ctx, timeline, profile: 'draft_360p', workDir: '/tmp/w' });
  assert.deepEqual(
    prepared.warnings.filter((w) => w.code === 'REGIONS_MISSING').map((w) => w.path),
    ['tracks[0].clips[0].filters[0]'],
  );
});
