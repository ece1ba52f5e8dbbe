// The render service end to end: registry (tenant-scoped) -> plan -> ffmpeg -> output file, checked with ffprobe.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { RequestContext } from '../../src/context.js';
import { isCutroomError } from '../../src/errors.js';
import { prepareRender, renderToFile } from '../../src/render/index.js';
import { parseTimeline, type TimelineInput } from '../../src/timeline/index.js';
import { durationMs, frameCount, hasAudio, sampleColor, solidClip } from '../helpers/media.js';
import { makeServices, type TestServices } from '../media/setup.js';

let services: TestServices;
let ctx: RequestContext;
let red: string;
let blue: string;

before(async () => {
  services = await makeServices();
  ctx = await services.tenant('dev', 'render_a');
  const redPath = await solidClip({ color: '#FF0000', durationMs: 2000, width: 320, height: 240 });
  const bluePath = await solidClip({ color: '#0000FF', durationMs: 2000, width: 320, height: 240 });
  red = (await services.assets.registerAsset(ctx, { source: { path: redPath } })).asset.id;
  blue = (await services.assets.registerAsset(ctx, { source: { path: bluePath } })).asset.id;
});

after(async () => {
  await services.dispose();
});

function cutTimeline(a: string, b: string): TimelineInput {
  return {
    tracks: [
      {
        id: 'v',
        kind: 'video',
        clips: [
          { id: 'a', asset_id: a, start_ms: 0, in_ms: 0, out_ms: 1000 },
          { id: 'b', asset_id: b, start_ms: 1000, in_ms: 0, out_ms: 1000 },
        ],
      },
    ],
  };
}

test('a red/blue cut renders from the registry: exact frames, colours either side of the cut, audio', async () => {
  const output = join(services.dataDir, 'out', 'cut.mp4');
  const result = await renderToFile({
    services,
    ctx,
    timeline: parseTimeline(cutTimeline(red, blue)),
    profile: 'draft_360p',
    output,
  });
  assert.equal(result.plan.meta.frame_count, 60);
  assert.equal(await frameCount(output), 60);
  assert.ok(Math.abs((await durationMs(output, 'video')) - 2000) <= 34);
  assert.ok(await hasAudio(output));
  // sampleColor takes the first frame at or after tMs: 950 ms -> frame 29 (966.7 ms), the last red one;, frame 30 (1000 ms) the first blue one.
  const before = await sampleColor({ file: output, tMs: 950, x: 320, y: 180 });
  const afterCut = await sampleColor({ file: output, tMs: 1000, x: 320, y: 180 });
  assert.ok(before.r > 200 && before.b < 60, `expected red before the cut, got ${JSON.stringify(before)}`);
  assert.ok(afterCut.b > 200 && afterCut.r < 60, `expected blue at the cut, got ${JSON.stringify(afterCut)}`);
  // Nothing left behind but the output.
  assert.deepEqual(readdirSync(join(services.dataDir, 'out')), ['cut.mp4']);
});

test('the same timeline plans to the same hash twice', async () => {
  const timeline = parseTimeline(cutTimeline(red, blue));
  const one = await prepareRender({ services, ctx, timeline, profile: 'draft_360p', workDir: '/tmp/w' });
  const two = await prepareRender({ services, ctx, timeline, profile: 'draft_360p', workDir: '/tmp/w' });
  assert.equal(one.plan.meta.plan_hash, two.plan.meta.plan_hash);
  assert.equal(JSON.stringify(one.plan), JSON.stringify(two.plan));
});

test("another tenant's asset ids are not found, with every path that uses them", async () => {
  const other = await services.tenant('dev', 'render_b');
  const timeline = parseTimeline(cutTimeline(red, blue));
  await assert.rejects(
    renderToFile({
      services,
      ctx: other,
      timeline,
      profile: 'draft_360p',
      output: join(services.dataDir, 'x.mp4'),
    }),
    (err: unknown) => {
      assert.ok(isCutroomError(err, 'ASSET_NOT_FOUND'));
      const missing = err.details.missing as Array<{ asset_id: string; paths: string[] }>;
      assert.deepEqual(
        missing
          .map((m) => m.paths)
          .flat()
          .sort(),
        ['tracks[0].clips[0].asset_id', 'tracks[0].clips[1].asset_id'],
      );
      return true;
    },
  );
  assert.equal(existsSync(join(services.dataDir, 'x.mp4')), false);
});

test('a dry run reports missing assets as warnings instead of failing', async () => {
  const timeline = parseTimeline(cutTimeline(red, 'ast_doesnotexist'));
  const prepared = await prepareRender({
    services,
    ctx,
    timeline,
    profile: 'draft_360p',
    workDir: '/tmp/w',
    allowMissingAssets: true,
  });
  assert.deepEqual(
    prepared.warnings.filter((w) => w.code === 'MISSING_ASSET').map((w) => w.path),
    ['tracks[0].clips[1].asset_id'],
  );
});

test('an unknown font family is a coded error naming it and where it is used', async () => {
  const timeline = parseTimeline({
    ...cutTimeline(red, blue),
    tracks: [
      ...cutTimeline(red, blue).tracks!,
      {
        id: 't',
        kind: 'text',
        items: [
          { id: 'x', start_ms: 0, duration_ms: 500, text: 'hi', font: { family: 'No Such Font Family' } },
        ],
      },
    ],
  });
  await assert.rejects(
    prepareRender({ services, ctx, timeline, profile: 'draft_360p', workDir: '/tmp/w' }),
    (err: unknown) => {
      assert.ok(isCutroomError(err, 'FONT_NOT_FOUND'));
      assert.match(err.message, /No Such Font Family/);
      assert.match(err.message, /tracks\[1\]\.items\[0\]\.font\.family/);
      return true;
    },
  );
});

test('cancelling a render kills ffmpeg and leaves no output or partial file', async () => {
  const controller = new AbortController();
  const outDir = join(services.dataDir, 'cancel');
  const output = join(outDir, 'c.mp4');
  const timeline = parseTimeline({
    tracks: [
      {
        id: 'v',
        kind: 'video',
        clips: [{ id: 'a', asset_id: red, start_ms: 0, duration_ms: 60_000, freeze_at_ms: 500 }],
      },
    ],
  });
  const pending = renderToFile({
    services,
    ctx,
    timeline,
    profile: 'preview_720p',
    output,
    signal: controller.signal,
    onProgress: (p) => {
      if (p.outTimeMs > 0) controller.abort();
    },
  });
  await assert.rejects(pending, (err: unknown) => isCutroomError(err, 'RENDER_CANCELLED'));
  assert.deepEqual(existsSync(outDir) ? readdirSync(outDir) : [], []);
});
