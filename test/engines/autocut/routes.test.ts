// The auto-cut, highlights and focus routes through the real app (buildApp + extraRoutes) with app.inject().
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { autoCutRoutes } from '../../../src/engines/autocut/index.js';
import { focusRoutes } from '../../../src/engines/focus/index.js';
import { highlightsRoutes } from '../../../src/engines/highlights/index.js';
import { buildApp } from '../../../src/http/index.js';
import { createServices } from '../../../src/media/services.js';
import { parseTimeline } from '../../../src/timeline/index.js';
import { MEGAMIND, panningFaceClip } from '../regions/moving-face.js';
import { speechAvailable } from '../multicam/speech-media.js';
import { CAMERA_B_OFFSET_MS, conversationCameras } from './cameras.js';

const skip = !speechAvailable() || !existsSync(MEGAMIND) ? 'test media missing' : false;

test(
  'POST /video/multicam/auto-cut, /video/assist/highlights, /video/focus/automation',
  { skip },
  async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'cutroom-assist-http-'));
    const services = await createServices({ dataDir });
    const app = await buildApp({ services, extraRoutes: [autoCutRoutes, highlightsRoutes, focusRoutes] });
    try {
      await app.ready();
      await services.tenants.createTenant({ id: 'ta', envs: ['dev'] });
      await services.tenants.createTenant({ id: 'tb', envs: ['dev'] });
      const a = {
        authorization: `Bearer ${(await services.tenants.createApiKey({ tenantId: 'ta' })).key}`,
        'x-env': 'dev',
      };
      const b = {
        authorization: `Bearer ${(await services.tenants.createApiKey({ tenantId: 'tb' })).key}`,
        'x-env': 'dev',
      };
      const ctxA = { tenantId: 'ta', env: 'dev', requestId: 'r1' };
      const cams = await conversationCameras();
      const camA = (await services.assets.registerAsset(ctxA, { source: { path: cams.a } })).asset.id;
      const camB = (await services.assets.registerAsset(ctxA, { source: { path: cams.b } })).asset.id;
      const face = (await services.assets.registerAsset(ctxA, { source: { path: panningFaceClip() } })).asset
        .id;

      const cut = await app.inject({
        method: 'POST',
        url: '/video/multicam/auto-cut',
        headers: a,
        payload: {
          asset_ids: [camA, camB],
          offsets_ms: { [camA]: 0, [camB]: CAMERA_B_OFFSET_MS },
          pacing: 'fast',
          faces: 'none',
        },
      });
      assert.equal(cut.statusCode, 200, cut.body);
      const cutBody = cut.json();
      assert.ok(cutBody.shots.length >= 2);
      for (const s of cutBody.shots)
        assert.ok(s.end_ms - s.start_ms <= 3500 && s.end_ms - s.start_ms >= 1200);
      parseTimeline(cutBody.timeline);
      assert.equal((await services.projects.getProject(ctxA, cutBody.project.id)).name, 'auto-cut');
      const bad = await app.inject({
        method: 'POST',
        url: '/video/multicam/auto-cut',
        headers: a,
        payload: { asset_ids: [camA] },
      });
      assert.equal(bad.statusCode, 400);
      const foreign = await app.inject({
        method: 'POST',
        url: '/video/multicam/auto-cut',
        headers: b,
        payload: { asset_ids: [camA, camB], offsets_ms: { [camA]: 0, [camB]: 700 } },
      });
      assert.equal(foreign.statusCode, 404);
      assert.equal(foreign.json().error.code, 'ASSET_NOT_FOUND');

      const hl = await app.inject({
        method: 'POST',
        url: '/video/assist/highlights',
        headers: a,
        payload: { asset_id: camA, target_duration_ms: 3000, min_ms: 800, max_ms: 3000, faces: 'none' },
      });
      assert.equal(hl.statusCode, 200, hl.body);
      const hlBody = hl.json();
      assert.ok(hlBody.ranges.length > 0 && hlBody.total_ms <= 3000);
      assert.equal(hlBody.timeline.tracks[0].clips.length, hlBody.ranges.length);

      const focus = { method: 'POST' as const, url: '/video/focus/automation', headers: a };
      const f1 = await app.inject({
        ...focus,
        payload: { asset_id: face, aspect: '9:16', profile: 'social_1080x1920_h264' },
      });
      assert.equal(f1.statusCode, 200, f1.body);
      const f1Body = f1.json();
      assert.equal(f1Body.focus.subject_source, 'faces');
      assert.equal(f1Body.cached, false);
      const clip = f1Body.timeline.tracks[0].clips[0];
      assert.ok(clip.automation.some((x: { param: string }) => x.param === 'position_x'));
      const f2 = await app.inject({ ...focus, payload: { asset_id: face, aspect: '9:16' } });
      assert.equal(f2.json().cached, true);
      assert.equal(f2.json().artifact.id, f1Body.artifact.id);
      const wrong = await app.inject({ ...focus, payload: { asset_id: face, aspect: '2:1' } });
      assert.equal(wrong.statusCode, 400);
      const hidden = await app.inject({ ...focus, headers: b, payload: { asset_id: face, aspect: '9:16' } });
      assert.equal(hidden.statusCode, 404);
    } finally {
      await app.close();
      await services.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  },
);
