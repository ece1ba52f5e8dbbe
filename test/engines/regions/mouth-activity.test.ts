// Mouth movement on real footage (Megamind.avi, opencv-doc): the man's close-up (from 8.4 s) is silent until
// ≈ 9.55 s (ffmpeg silencedetect at -35 dB on the film's own sound) and talks after; his mouth must be still in
// the first part and move in the second.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { analyzeFaces, measureMouthActivity, selectFaceBackend } from '../../../src/engines/regions/index.js';
import { BLAZEFACE_MODEL_FILE, modelsDir } from '../../../src/engines/regions/models-dir.js';
import { probeMedia } from '../../../src/ffmpeg/index.js';
import { MEGAMIND } from './moving-face.js';

const skip = !existsSync(MEGAMIND)
  ? 'opencv-doc examples missing (apt-get install opencv-doc)'
  : !existsSync(join(modelsDir(process.env), BLAZEFACE_MODEL_FILE))
    ? 'BlazeFace model missing (bash scripts/fetch-models.sh)'
    : false;

test('mouth activity: still while the man is silent, moving while he talks', { skip }, async () => {
  const info = await probeMedia({ path: MEGAMIND });
  const { backend } = await selectFaceBackend();
  const { summary } = await analyzeFaces({ path: MEGAMIND, info, intervalMs: 200, backend });
  const a = await measureMouthActivity({ path: MEGAMIND, summary });
  const b = await measureMouthActivity({ path: MEGAMIND, summary });
  assert.equal(JSON.stringify(a), JSON.stringify(b), 'deterministic');
  const mean = (from: number, to: number) => {
    const xs = a.samples
      .filter((s) => s.t_ms >= from && s.t_ms < to)
      .map((s) => Math.max(0, ...s.faces.map((f) => f.activity)));
    return xs.reduce((x, y) => x + y, 0) / xs.length;
  };
  const silent = mean(8600, 9500);
  const talking = mean(9900, 11200);
  assert.ok(silent < 0.5, `silent mouth ${silent}`);
  assert.ok(talking > 5, `talking mouth ${talking}`);
});
