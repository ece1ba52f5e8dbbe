// Reframe at full resolution: a panning 9:16 crop of a 1280×720 real photo must be as sharp as ffmpeg's own
// crop-then-scale of the same window, and as a plain centre crop (variance of the Laplacian, within 5 %).
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { cropSize, focusTimeline, type FocusPlan } from '../../../src/engines/focus/index.js';
import { renderToFile } from '../../../src/render/index.js';
import { parseTimeline } from '../../../src/timeline/index.js';
import { makeServices } from '../../media/setup.js';
import { ALOE, aloeClip, frameSharpness, plainCrop, SOURCE } from './sharpness.js';

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

test(
  'a panning 9:16 reframe is cropped then scaled once: as sharp as a plain crop of the same frames',
  { skip: existsSync(ALOE) ? false : 'opencv-doc examples missing' },
  async (t) => {
    const services = await makeServices();
    try {
      const ctx = await services.tenant();
      const src = await aloeClip();
      const asset = (await services.assets.registerAsset(ctx, { source: { path: src } })).asset;
      const aspect = { w: 9, h: 16 };
      const plan: FocusPlan = {
        aspect,
        source: SOURCE,
        crop: cropSize(SOURCE, aspect),
        keyframes: [
          { t_ms: 0, center_x: 0.2, center_y: 0.5, easing: 'linear' },
          { t_ms: 1900, center_x: 0.8, center_y: 0.5, easing: 'linear' },
        ],
        shots: [{ start_ms: 0, end_ms: 2000, strategy: 'pan' }],
      };
      const timeline = parseTimeline(
        focusTimeline({ assetId: asset.id, plan, canvas: { width: 1080, height: 1920 }, durationMs: 2000 }),
      );
      const out = join(services.dataDir, 'reframed.mp4');
      await renderToFile({ services, ctx, timeline, profile: 'social_1080x1920_h264', output: out });

      const moving = join(services.dataDir, 'same-window.mp4');
      const centre = join(services.dataDir, 'centre.mp4');
      // Same window as the plan: centre 0.2 → 0.8 of 1280 px over 1.9 s, 406 px wide.
      await plainCrop(src, `(0.2+0.6*clip(t/1.9,0,1))*${SOURCE.width}-203`, moving);
      await plainCrop(src, `${(SOURCE.width - 406) / 2}`, centre);
      const size = { width: 1080, height: 1920, fps: 5 };
      const reframed = await frameSharpness({ path: out, ...size });
      const same = await frameSharpness({ path: moving, ...size });
      const plain = await frameSharpness({ path: centre, ...size });
      const vsSame = mean(reframed) / mean(same);
      const vsCentre = mean(reframed) / mean(plain);
      t.diagnostic(
        `Laplacian variance: reframed ${mean(reframed).toFixed(1)}, same-window crop ${mean(same).toFixed(1)} (ratio ${vsSame.toFixed(3)}), centre crop ${mean(plain).toFixed(1)} (ratio ${vsCentre.toFixed(3)})`,
      );
      assert.ok(Math.abs(vsSame - 1) <= 0.05, `vs the same window cropped by ffmpeg: ${vsSame}`);
      assert.ok(Math.abs(vsCentre - 1) <= 0.05, `vs a plain centre crop: ${vsCentre}`);
    } finally {
      await services.dispose();
    }
  },
);
