// Mask videos from a region summary: frame-aligned with the source, white on the tracked face, black elsewhere.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { analyzeRegions } from '../../../src/engines/regions/service.js';
import { boxesAtFrame } from '../../../src/engines/regions/boxes-at-frame.js';
import { loadRegionSummary } from '../../../src/engines/regions/load-summary.js';
import { renderRegionMask } from '../../../src/engines/regions/render-mask.js';
import { drawMaskFrame, maskRasterSize } from '../../../src/engines/regions/mask-raster.js';
import { selectFaceBackend } from '../../../src/engines/regions/select-backend.js';
import { isCutroomError } from '../../../src/errors.js';
import { frameCount, probeJson } from '../../helpers/media.js';
import { makeServices } from '../../media/setup.js';
import { decodeAll, meanAt } from './frames.js';
import { MEGAMIND, PAN, panningFaceClip } from './moving-face.js';

const real = await selectFaceBackend();
const skipReal = !existsSync(MEGAMIND)
  ? 'opencv-doc examples missing'
  : real.backend.stub
    ? 'BlazeFace model missing (bash scripts/fetch-models.sh)'
    : false;

test('drawMaskFrame: white core, feathered edge, black far away', () => {
  const width = 100;
  const height = 50;
  const data = Buffer.alloc(width * height, 7);
  const box = { x: 0.4, y: 0.4, w: 0.2, h: 0.2 };
  drawMaskFrame({
    data,
    width,
    height,
    faces: [{ track_id: 't1', box, regions: { face: box } }],
    include: ['face'],
    feather: 0.5,
  });
  assert.equal(data[25 * width + 50], 255);
  assert.equal(data[0], 0, 'cleared before drawing');
  // Ellipse radius x = 0.2*100*1.25/2 = 12.5 px; at 1.25 radii (x = 50 + 15.6) the value is between.
  const mid = data[25 * width + 65]!;
  assert.ok(mid > 0 && mid < 255, `feathered edge value ${mid}`);
  assert.equal(data[25 * width + 90], 0);
  assert.deepEqual(maskRasterSize({ width: 1920, height: 1080 }), { width: 320, height: 180 });
  assert.deepEqual(maskRasterSize({ width: 200, height: 101 }), { width: 200, height: 102 });
});

test(
  'mask video: source frame count, white at the tracked face, black far from it',
  { skip: skipReal },
  async () => {
    const services = await makeServices({ memory: true });
    try {
      const ctx = await services.tenant();
      const clip = panningFaceClip();
      const { asset } = await services.assets.registerAsset(ctx, { source: { path: clip } });
      const summaryRes = await analyzeRegions(
        services,
        ctx,
        { asset_id: asset.id, include_regions: ['eyes'] },
        { backend: real },
      );
      const { summary } = await loadRegionSummary(services, ctx, summaryRes.artifact.id);
      assert.ok(summary.tracks.length >= 1);

      const made = await renderRegionMask(services, ctx, { summary_id: summaryRes.artifact.id });
      assert.equal(made.cached, false);
      const mask = made.artifact;
      assert.equal(mask.kind, 'mask');
      assert.match(mask.storage_key!, new RegExp(`/${asset.id}/regions/${mask.id}\\.mask\\.mp4$`));
      assert.equal(mask.meta.summary_id, summaryRes.artifact.id);
      assert.deepEqual(mask.meta.include_regions, ['face']);
      assert.equal(mask.meta.feather, 0.3);
      assert.equal(mask.meta.cache_key, mask.cache_key);
      assert.match(String(mask.meta.backend_version), /^ellipse-mask-1\+blazeface/);

      const path = await services.artifacts.artifactPath(ctx, mask.id);
      assert.equal(await frameCount(path), await frameCount(clip));
      const stream = (await probeJson(path)).streams.find((s) => s.codec_type === 'video')!;
      assert.equal(stream.width, PAN.width);
      assert.equal(stream.height, PAN.height);

      const frames = await decodeAll({ path, width: PAN.width, height: PAN.height, pixFmt: 'gray' });
      const srcFrames = await decodeAll({ path: clip, width: 8, height: 8, pixFmt: 'gray' });
      assert.deepEqual(
        frames.map((f) => f.ptsMs),
        srcFrames.map((f) => f.ptsMs),
        'same timestamps as the source',
      );
      let checked = 0;
      for (const i of [0, 7, 13, 25, 38, frames.length - 1]) {
        // Past the last sample the mask holds that sample's faces (the clip ends within one interval).
        const lastMs = summary.samples.at(-1)!.t_ms;
        const tMs = Math.min(lastMs, (i * 1000) / summary.fps);
        const faces = boxesAtFrame(summary, { tMs });
        assert.ok(faces.length >= 1, `a face at frame ${i}`);
        const f = frames[i]!;
        const px = (b: { x: number; y: number; w: number; h: number }) => ({
          x: (b.x + b.w / 2) * PAN.width,
          y: (b.y + b.h / 2) * PAN.height,
          r: Math.max(b.w * PAN.width, b.h * PAN.height),
        });
        for (const face of faces) {
          const c = px(face.box);
          assert.ok(
            meanAt({ data: f.data, width: PAN.width, height: PAN.height, x: c.x, y: c.y }) >= 250,
            `white at the centre of ${face.track_id}, frame ${i}`,
          );
        }
        // The frame corner farthest from every face (at least 1.5 box sizes away, beyond ellipse + feather).
        const corners = [
          { x: 2, y: 2 },
          { x: PAN.width - 3, y: 2 },
          { x: 2, y: PAN.height - 3 },
          { x: PAN.width - 3, y: PAN.height - 3 },
        ];
        const clearance = (p: { x: number; y: number }) =>
          Math.min(
            ...faces.map((face) => {
              const c = px(face.box);
              return Math.hypot(p.x - c.x, p.y - c.y) / c.r;
            }),
          );
        const far = corners.sort((a, b) => clearance(b) - clearance(a))[0]!;
        assert.ok(clearance(far) > 1.5, `a corner far from the faces at frame ${i}`);
        assert.ok(
          meanAt({ data: f.data, width: PAN.width, height: PAN.height, ...far }) <= 3,
          `black far away, frame ${i}`,
        );
        checked++;
      }
      assert.equal(checked, 6);

      // The same request again (regions given explicitly): cached.
      const again = await renderRegionMask(services, ctx, {
        summary_id: summaryRes.artifact.id,
        include_regions: ['face'],
        feather: 0.3,
      });
      assert.equal(again.cached, true);
      assert.equal(again.artifact.id, mask.id);
      // Eyes only: another artifact, much less white than the face mask.
      const eyes = await renderRegionMask(services, ctx, {
        summary_id: summaryRes.artifact.id,
        include_regions: ['eyes'],
      });
      assert.notEqual(eyes.artifact.id, mask.id);

      // A region the summary does not have; another tenant's summary id.
      await assert.rejects(
        renderRegionMask(services, ctx, { summary_id: summaryRes.artifact.id, include_regions: ['mouth'] }),
        (e: unknown) => isCutroomError(e, 'INVALID_PARAM'),
      );
      const intruder = await services.tenant();
      await assert.rejects(
        renderRegionMask(services, intruder, { summary_id: summaryRes.artifact.id }),
        (e: unknown) => isCutroomError(e, 'ARTIFACT_NOT_FOUND'),
      );
    } finally {
      await services.dispose();
    }
  },
);
