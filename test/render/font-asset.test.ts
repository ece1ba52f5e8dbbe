// Uploaded fonts drive text layers: `font: {asset_id}` renders with the uploaded file's glyphs (compared with
// DejaVu Sans and with the system copy of the same family), tenant-scoped, and never as a clip source.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { RequestContext } from '../../src/context.js';
import { isCutroomError } from '../../src/errors.js';
import { readFrames } from '../../src/ffmpeg/index.js';
import { compile } from '../../src/plan/compile.js';
import { prepareRender, renderToFile } from '../../src/render/index.js';
import { parseTimeline, type TimelineInput } from '../../src/timeline/index.js';
import { solidClip } from '../helpers/media.js';
import { makeServices, type TestServices } from '../media/setup.js';

const LIBERATION_SERIF = '/usr/share/fonts/truetype/liberation/LiberationSerif-Regular.ttf';

let services: TestServices;
let ctx: RequestContext;
let other: RequestContext;
let black: string;
let fontId: string;

before(async () => {
  services = await makeServices();
  ctx = await services.tenant('dev', 'fontr_a');
  other = await services.tenant('dev', 'fontr_b');
  const clip = await solidClip({ color: '#000000', durationMs: 1000, width: 320, height: 240 });
  black = (await services.assets.registerAsset(ctx, { source: { path: clip } })).asset.id;
  fontId = (await services.assets.registerAsset(ctx, { source: { path: LIBERATION_SERIF } })).asset.id;
});

after(async () => {
  await services.dispose();
});

function textTimeline(font: { asset_id?: string; family?: string }, clipAsset = black): TimelineInput {
  return {
    tracks: [
      {
        id: 'v',
        kind: 'video',
        clips: [{ id: 'bg', asset_id: clipAsset, start_ms: 0, in_ms: 0, out_ms: 500 }],
      },
      {
        id: 't',
        kind: 'text',
        items: [{ id: 'x', start_ms: 0, duration_ms: 500, text: 'Wavy Rag', font: { ...font, size: 200 } }],
      },
    ],
  };
}

/** Grey pixels of the frame at 200 ms (draft_360p: 640x360), rendered from the timeline. */
async function renderGray(name: string, font: { asset_id?: string; family?: string }): Promise<Buffer> {
  const output = join(services.dataDir, 'out', `${name}.mp4`);
  await renderToFile({
    services,
    ctx,
    timeline: parseTimeline(textTimeline(font)),
    profile: 'draft_360p',
    output,
  });
  for await (const frame of readFrames({
    path: output,
    width: 640,
    height: 360,
    pixFmt: 'gray',
    startMs: 200,
  }))
    return frame.data;
  throw new Error('no frame');
}

const lit = (px: Buffer): number => px.reduce((n, v) => n + (v > 128 ? 1 : 0), 0);
const differing = (a: Buffer, b: Buffer): number =>
  a.reduce((n, v, i) => n + (Math.abs(v - b[i]!) > 64 ? 1 : 0), 0);

test('a text layer with font.asset_id renders with the uploaded font', async () => {
  const uploaded = await renderGray('uploaded', { asset_id: fontId });
  const dejavu = await renderGray('dejavu', { family: 'DejaVu Sans' });
  const system = await renderGray('system', { family: 'Liberation Serif' });
  // Text is drawn in both (white on black), so a difference is about glyph shapes, not a missing layer.
  assert.ok(lit(uploaded) > 2000, `uploaded-font text lit ${lit(uploaded)} px`);
  assert.ok(lit(dejavu) > 2000, `DejaVu text lit ${lit(dejavu)} px`);
  // Serif vs sans glyphs: thousands of pixels change between the two renders.
  const vsDejavu = differing(uploaded, dejavu);
  assert.ok(vsDejavu > 1500, `uploaded vs DejaVu Sans differ in ${vsDejavu} px`);
  // ...while the system copy of the same family gives (nearly) the same picture.
  const vsSystem = differing(uploaded, system);
  assert.ok(vsSystem < vsDejavu / 10, `uploaded vs system Liberation Serif differ in ${vsSystem} px`);

  const prepared = await prepareRender({
    services,
    ctx,
    timeline: parseTimeline(textTimeline({ asset_id: fontId })),
    profile: 'draft_360p',
    workDir: join(services.dataDir, 'w'),
  });
  const fontPath = await services.assets.assetPath(ctx, fontId);
  // drawtext reads the tenant's stored copy of the upload, not a fontconfig lookup.
  assert.match(fontPath, /\/source\.ttf$/);
  assert.ok(prepared.plan.filtergraph.includes(`fontfile=${fontPath}:`), prepared.plan.filtergraph);
});

test("another tenant's font id and a non-font asset id are FONT_NOT_FOUND at the text layer's path", async () => {
  const otherClip = await solidClip({ color: '#000000', durationMs: 1000, width: 320, height: 240 });
  const otherBlack = (await services.assets.registerAsset(other, { source: { path: otherClip } })).asset.id;
  await assert.rejects(
    prepareRender({
      services,
      ctx: other,
      timeline: parseTimeline(textTimeline({ asset_id: fontId }, otherBlack)),
      profile: 'draft_360p',
      workDir: '/tmp/w',
    }),
    (err: unknown) => {
      assert.ok(isCutroomError(err, 'FONT_NOT_FOUND'));
      assert.match(err.message, /does not exist in this tenant\/env/);
      assert.match(err.message, /tracks\[1\]\.items\[0\]\.font\.asset_id/);
      return true;
    },
  );
  await assert.rejects(
    prepareRender({
      services,
      ctx,
      timeline: parseTimeline(textTimeline({ asset_id: black })),
      profile: 'draft_360p',
      workDir: '/tmp/w',
    }),
    (err: unknown) => {
      assert.ok(isCutroomError(err, 'FONT_NOT_FOUND'));
      assert.match(err.message, /is video, not a font/);
      assert.match(err.message, /tracks\[1\]\.items\[0\]\.font\.asset_id/);
      return true;
    },
  );
});

test('a clip whose asset is a font is TIMELINE_INVALID at its path', async () => {
  await assert.rejects(
    prepareRender({
      services,
      ctx,
      timeline: parseTimeline(textTimeline({ family: 'DejaVu Sans' }, fontId)),
      profile: 'draft_360p',
      workDir: '/tmp/w',
      allowMissingAssets: true,
    }),
    (err: unknown) => {
      assert.ok(isCutroomError(err, 'TIMELINE_INVALID'));
      assert.deepEqual(
        (err.details as { issues: Array<{ path: string }> }).issues.map((i) => i.path),
        ['tracks[0].clips[0].asset_id'],
      );
      return true;
    },
  );
});

test('the pure planner refuses a font source handed to it directly (TIMELINE_INVALID at the clip)', async () => {
  const font = await services.assets.getAsset(ctx, fontId);
  assert.throws(
    () =>
      compile({
        timeline: parseTimeline(textTimeline({ family: 'DejaVu Sans' }, fontId)),
        sources: {
          [fontId]: {
            asset_id: fontId,
            path: '/x/source.ttf',
            content_hash: font.content_hash,
            info: font.media_info,
          },
        },
        profile: 'draft_360p',
        fonts: { 'DejaVu Sans': '/x/DejaVuSans.ttf' },
      }),
    (err: unknown) =>
      isCutroomError(err, 'TIMELINE_INVALID') && /tracks\[0\]\.clips\[0\]\.asset_id/.test(err.message),
  );
});
