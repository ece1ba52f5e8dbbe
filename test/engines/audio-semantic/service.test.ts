// audio_semantic_timeline artifact through the real registry: meta (model, stub flag), content, cache, and a
// different cache key for the stub backend.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { text } from 'node:stream/consumers';
import type { AudioSemanticTimeline } from '../../../src/engines/audio-semantic/analyze-audio-semantic.js';
import { analyzeAudioSemanticForAsset } from '../../../src/engines/audio-semantic/service.js';
import { defaultVadModelPath } from '../../../src/engines/audio-semantic/vad-backend.js';
import { makeServices } from '../../media/setup.js';
import { paddedSpeech, SPEECH_WAV, speechAvailable } from './fixtures.js';

const skip = !speechAvailable()
  ? 'pocketsphinx-testdata missing'
  : !existsSync(defaultVadModelPath())
    ? 'VAD model missing'
    : false;

test(
  'timeline artifact: real backend, then cached; the stub gets its own key and says stub',
  { skip },
  async () => {
    const s = await makeServices();
    try {
      const ctx = await s.tenant();
      const f = await paddedSpeech(SPEECH_WAV, 7100);
      const { asset } = await s.assets.registerAsset(ctx, { source: { path: f.path } });
      const first = await analyzeAudioSemanticForAsset({ services: s, ctx, assetId: asset.id });
      assert.equal(first.cached, false);
      assert.equal(first.artifact.kind, 'audio_semantic_timeline');
      assert.match(String(first.artifact.meta.model_used), /^silero-vad-v5/);
      assert.equal(first.artifact.meta.stub, undefined);
      assert.equal(first.artifact.meta.music_detection, 'heuristic');
      const timeline = JSON.parse(
        await text((await s.artifacts.artifactContent(ctx, first.artifact.id)).stream),
      ) as AudioSemanticTimeline;
      assert.equal(timeline.duration_ms, f.durationMs);
      assert.ok(timeline.windows.some((w) => w.kind === 'speech'));
      assert.equal(timeline.loudness.length, Math.floor(f.durationMs / 100));

      const again = await analyzeAudioSemanticForAsset({ services: s, ctx, assetId: asset.id });
      assert.equal(again.cached, true);
      assert.equal(again.artifact.id, first.artifact.id);

      const stub = await analyzeAudioSemanticForAsset({
        services: s,
        ctx,
        assetId: asset.id,
        modelPath: '/nonexistent/silero.onnx',
      });
      assert.equal(stub.cached, false);
      assert.notEqual(stub.artifact.meta.cache_key, first.artifact.meta.cache_key);
      assert.equal(stub.artifact.meta.stub, true);
      assert.deepEqual(
        stub.warnings.map((w) => w.code),
        ['AUDIO_SEMANTIC_STUB_BACKEND'],
      );
    } finally {
      await s.dispose();
    }
  },
);
