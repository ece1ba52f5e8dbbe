// visual_meta + video_shot_list artifacts through the real registry (SQLite + local store): meta fields, content,
// the cache (second call returns the same artifacts), tenant walls.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { text } from 'node:stream/consumers';
import { analyzeVisualMetaForAsset } from '../../../src/engines/visual-meta/service.js';
import type { ShotList, VisualMeta } from '../../../src/engines/visual-meta/types.js';
import { makeServices } from '../../media/setup.js';
import { realCutEdit, realMediaAvailable } from './fixtures.js';

const skip = realMediaAvailable()
  ? false
  : 'Debian packages opencv-doc and pd-extendedview are not installed';

test(
  'analysis is stored as two artifacts with full meta and served from the cache the second time',
  { skip },
  async () => {
    const s = await makeServices();
    try {
      const ctx = await s.tenant();
      const edit = await realCutEdit();
      const { asset } = await s.assets.registerAsset(ctx, { source: { path: edit.path } });
      const first = await analyzeVisualMetaForAsset({ services: s, ctx, assetId: asset.id, intervalMs: 500 });
      assert.deepEqual(first.cached, { visualMeta: false, shotList: false });
      const vm = first.visualMeta;
      assert.equal(vm.kind, 'visual_meta');
      assert.equal(vm.meta.frame_sample_interval_ms, 500);
      assert.equal(vm.meta.model_used, 'cutroom-adaptive-v2');
      assert.equal(vm.meta.backend_version, 'cutroom-visual-meta-5');
      assert.match(vm.meta.cache_key, /^[0-9a-f]{64}$/);
      assert.ok(typeof vm.meta.duration_ms === 'number');
      const shots = JSON.parse(
        await text((await s.artifacts.artifactContent(ctx, first.shotList.id)).stream),
      ) as ShotList;
      assert.deepEqual(shots.cuts, edit.cuts);
      const meta = JSON.parse(
        await text((await s.artifacts.artifactContent(ctx, vm.id)).stream),
      ) as VisualMeta;
      assert.equal(meta.samples.length, Math.ceil((edit.frameCount * 40) / 500));

      const again = await analyzeVisualMetaForAsset({ services: s, ctx, assetId: asset.id, intervalMs: 500 });
      assert.deepEqual(again.cached, { visualMeta: true, shotList: true });
      assert.equal(again.visualMeta.id, vm.id);
      assert.equal(again.shotList.id, first.shotList.id);
      // Another interval is another visual_meta, but the shot list (independent of it) is reused.
      const other = await analyzeVisualMetaForAsset({
        services: s,
        ctx,
        assetId: asset.id,
        intervalMs: 1000,
      });
      assert.deepEqual(other.cached, { visualMeta: false, shotList: true });
      assert.notEqual(other.visualMeta.id, vm.id);

      const stranger = await s.tenant();
      await assert.rejects(
        analyzeVisualMetaForAsset({ services: s, ctx: stranger, assetId: asset.id, intervalMs: 500 }),
        { code: 'ASSET_NOT_FOUND' },
      );
    } finally {
      await s.dispose();
    }
  },
);
