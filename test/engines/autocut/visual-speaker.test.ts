// Active speaker by sight on real footage: the talker's microphone is 6 dB quieter than the listener's, so only
// the mouth movement of the tracked faces can pick the right camera (fixture: talking-cameras.ts).
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { AudioSemanticTimeline } from '../../../src/engines/audio-semantic/index.js';
import { autoCut } from '../../../src/engines/autocut/index.js';
import { readArtifactJson } from '../../../src/engines/autocut/read-artifact-json.js';
import { BLAZEFACE_MODEL_FILE, modelsDir } from '../../../src/engines/regions/models-dir.js';
import { makeServices } from '../../media/setup.js';
import { speechAvailable } from '../multicam/speech-media.js';
import { MEGAMIND, speakerAccuracy, talkingCameras } from './talking-cameras.js';

const skip = !existsSync(MEGAMIND)
  ? 'opencv-doc examples missing (apt-get install opencv-doc)'
  : !speechAvailable()
    ? 'pocketsphinx-testdata missing'
    : !existsSync(join(modelsDir(process.env), BLAZEFACE_MODEL_FILE))
      ? 'BlazeFace model missing (bash scripts/fetch-models.sh or CUTROOM_MODELS_DIR)'
      : false;

test(
  'auto-cut follows the person talking, not the louder microphone (real faces, real speech)',
  { skip },
  async (t) => {
    const services = await makeServices();
    try {
      const ctx = await services.tenant();
      const files = await talkingCameras();
      const a = (await services.assets.registerAsset(ctx, { source: { path: files.a } })).asset;
      const b = (await services.assets.registerAsset(ctx, { source: { path: files.b } })).asset;
      const base = {
        asset_ids: [a.id, b.id],
        offsets_ms: { [a.id]: 0, [b.id]: 0 },
        pacing: 'medium' as const,
        faces: 'analyze' as const,
        save_project: false,
      };
      const bySight = await autoCut(services, ctx, base);
      const audioId = bySight.inputs_used[a.id]!.audio_semantic_timeline!;
      const audio = (
        await readArtifactJson<AudioSemanticTimeline>({
          artifacts: services.artifacts,
          ctx,
          artifact: audioId,
          kind: 'audio_semantic_timeline',
          path: 'test',
        })
      ).value;
      const cams = { a: a.id, b: b.id };

      const seen = speakerAccuracy(bySight.plan.shots, audio.windows, cams);
      assert.ok(seen.speech_ms >= 6000, `speech heard for ${seen.speech_ms} ms`);
      assert.ok(
        seen.accuracy >= 0.9,
        `follows the talker ${(seen.accuracy * 100).toFixed(1)} % of speech time: ${JSON.stringify(bySight.plan.shots)}`,
      );
      const scoring = bySight.timeline.multicam?.scoring as { visual_speech: string[] };
      assert.deepEqual(scoring.visual_speech, [a.id, b.id]);

      // The same cameras by loudness alone pick the listener: the test is not passable without sight.
      const byEar = await autoCut(services, ctx, { ...base, visual_speech: false });
      const heard = speakerAccuracy(byEar.plan.shots, audio.windows, cams);
      t.diagnostic(
        `speaker accuracy: by sight ${seen.accuracy.toFixed(3)}, by loudness ${heard.accuracy.toFixed(3)}`,
      );
      assert.ok(heard.accuracy < 0.5, `loudness alone follows the talker ${heard.accuracy}`);
    } finally {
      await services.dispose();
    }
  },
);
