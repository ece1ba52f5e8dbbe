/**
 * Cached audio semantic timeline of an asset (artifact kind `audio_semantic_timeline`). The VAD backend is part
 * of the cache key, so a stub result is never served once the real model is installed.
 */
import type { RequestContext } from '../../context.js';
import type { Warning } from '../../errors.js';
import type { Artifact, ArtifactService, AssetService } from '../../media/index.js';
import {
  analyzeAudioSemantic,
  AUDIO_SEMANTIC_BACKEND_VERSION,
  selectVadBackend,
  type AnalyzeAudioSemanticResult,
} from './analyze-audio-semantic.js';
import type { SegmentAudioOptions } from './segment-audio.js';
import { defaultVadModelPath } from './vad-backend.js';

export interface AudioSemanticServiceInput {
  services: { assets: AssetService; artifacts: ArtifactService };
  ctx: RequestContext;
  assetId: string;
  modelPath?: string;
  loudnessStepMs?: number;
  segmentOptions?: SegmentAudioOptions;
  signal?: AbortSignal;
}

export interface AudioSemanticServiceResult {
  artifact: Artifact;
  cached: boolean;
  warnings: Warning[];
}

export async function analyzeAudioSemanticForAsset({
  services,
  ctx,
  assetId,
  modelPath = defaultVadModelPath(),
  loudnessStepMs = 100,
  segmentOptions,
  signal,
}: AudioSemanticServiceInput): Promise<AudioSemanticServiceResult> {
  const asset = await services.assets.getAsset(ctx, assetId);
  // Which backend would run decides the key: probe it once (cheap: loads the 1.3 MB model).
  const probe = await selectVadBackend(modelPath);
  const backendName = probe.vad.name;
  await probe.vad.close();
  let result: AnalyzeAudioSemanticResult | undefined;
  const { artifact, cached } = await services.artifacts.lookupOrCreateArtifact(ctx, {
    assetId,
    kind: 'audio_semantic_timeline',
    params: { vad: backendName, loudness_step_ms: loudnessStepMs, segment_options: segmentOptions ?? {} },
    backendVersion: AUDIO_SEMANTIC_BACKEND_VERSION,
    produce: async () => {
      const path = await services.assets.assetPath(ctx, assetId);
      result = await analyzeAudioSemantic({
        path,
        info: asset.media_info,
        modelPath,
        loudnessStepMs,
        ...(segmentOptions ? { segmentOptions } : {}),
        ...(signal ? { signal } : {}),
      });
      return {
        meta: {
          model_used: result.backend.stub
            ? 'energy-vad-stub + heuristic music/silence'
            : `${result.backend.name} + heuristic music/silence`,
          ...(result.backend.stub ? { stub: true } : {}),
          music_detection: 'heuristic',
          loudness: 'ITU-R BS.1770-4 / EBU R 128 (computed from PCM)',
          integrated_lufs: result.timeline.integrated_lufs,
          window_count: result.timeline.windows.length,
          warnings: result.warnings,
        },
        content: Buffer.from(JSON.stringify(result.timeline)),
        name: 'audio-semantic/{artifact_id}.json',
      };
    },
  });
  return { artifact, cached, warnings: result?.warnings ?? [] };
}
