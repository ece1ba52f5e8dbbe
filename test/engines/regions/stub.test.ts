// The stub fallback: chosen only when the model or onnxruntime is missing, and it always says so.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { selectFaceBackend } from '../../../src/engines/regions/select-backend.js';
import { analyzeFaces } from '../../../src/engines/regions/analyze.js';
import { probeMedia } from '../../../src/ffmpeg/probe.js';
import { testsrcClip } from '../../helpers/media.js';
import { isCutroomError } from '../../../src/errors.js';

test('an empty models dir selects the stub, with REGIONS_STUB_BACKEND naming the missing file', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'cutroom-regions-models-'));
  try {
    const { backend, warnings } = await selectFaceBackend({ modelsDir: dir, env: {} });
    assert.equal(backend.stub, true);
    assert.equal(backend.name, 'stub');
    assert.equal(warnings.length, 1);
    assert.equal(warnings[0]!.code, 'REGIONS_STUB_BACKEND');
    assert.match(warnings[0]!.message, /face_detection_back_256x256/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('CUTROOM_MODELS_DIR pointing nowhere selects the stub too', async () => {
  const { backend } = await selectFaceBackend({ env: { CUTROOM_MODELS_DIR: '/nonexistent/cutroom-models' } });
  assert.equal(backend.stub, true);
});

test('onnxruntime failing to load selects the stub (when the model is there)', async (t) => {
  const real = await selectFaceBackend();
  if (real.backend.stub) return t.skip('BlazeFace model missing (bash scripts/fetch-models.sh)');
  const { backend, warnings } = await selectFaceBackend({
    loadOrt: () => Promise.reject(new Error('Cannot find module onnxruntime-node')),
  });
  assert.equal(backend.stub, true);
  assert.match(warnings[0]!.message, /onnxruntime-node could not be loaded/);
});

test('a bad VIDEO_REGIONS_MIN_CONFIDENCE is a coded error, a good one is the default', async () => {
  await assert.rejects(selectFaceBackend({ env: { VIDEO_REGIONS_MIN_CONFIDENCE: 'high' } }), (e: unknown) =>
    isCutroomError(e, 'INVALID_PARAM'),
  );
  const { backend } = await selectFaceBackend({
    env: { VIDEO_REGIONS_MIN_CONFIDENCE: '0.7', CUTROOM_MODELS_DIR: '/nonexistent' },
  });
  assert.equal(backend.minConfidence, 0.7);
});

test('analysis with the stub is deterministic and every result is flagged', async () => {
  const { backend } = await selectFaceBackend({ modelsDir: '/nonexistent', env: {} });
  const path = await testsrcClip({ durationMs: 1000, width: 320, height: 240 });
  const info = await probeMedia({ path });
  const a = await analyzeFaces({ path, info, intervalMs: 250, backend });
  const b = await analyzeFaces({ path, info, intervalMs: 250, backend });
  assert.equal(JSON.stringify(a), JSON.stringify(b));
  assert.deepEqual(
    a.warnings.map((w) => w.code),
    ['REGIONS_STUB_BACKEND'],
  );
  assert.equal(a.summary.stub, true);
  assert.equal(a.summary.samples.length, 4);
  assert.deepEqual(a.summary.tracks, [{ id: 't1', first_ms: 0, last_ms: 750 }]);
});

test('bad parameters are INVALID_PARAM with the path of each problem', async () => {
  const { backend } = await selectFaceBackend({ modelsDir: '/nonexistent', env: {} });
  const path = await testsrcClip({ durationMs: 1000, width: 320, height: 240 });
  const info = await probeMedia({ path });
  await assert.rejects(
    analyzeFaces({
      path,
      info,
      intervalMs: 5,
      minConfidence: 2,
      includeRegions: ['nose' as 'face'],
      backend,
    }),
    (e: unknown) => {
      assert.ok(isCutroomError(e, 'INVALID_PARAM'));
      const paths = (e.details.issues as { path: string }[]).map((i) => i.path);
      assert.deepEqual(paths, ['interval_ms', 'min_confidence', 'include_regions[0]']);
      return true;
    },
  );
});

test('an aborted signal stops the analysis', async () => {
  const { backend } = await selectFaceBackend({ modelsDir: '/nonexistent', env: {} });
  const path = await testsrcClip({ durationMs: 1000, width: 320, height: 240 });
  const info = await probeMedia({ path });
  const ac = new AbortController();
  const slow = {
    ...backend,
    detect: async (...args: Parameters<typeof backend.detect>) => {
      ac.abort(new Error('cancelled by test'));
      return backend.detect(...args);
    },
  };
  await assert.rejects(analyzeFaces({ path, info, backend: slow, signal: ac.signal }), /cancelled by test/);
});
