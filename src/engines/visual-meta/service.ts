/**
 * Cached visual meta and shot list of an asset (artifact kinds `visual_meta` and `video_shot_list`). One
 * analysis feeds both: when both are missing, the frames are decoded once.
 */
import { createHash } from 'node:crypto';
import type { RequestContext } from '../../context.js';
import type { Warning } from '../../errors.js';
import { canonicalJson, type Artifact, type ArtifactService, type AssetService } from '../../media/index.js';
import {
  analyzeVisualMeta,
  checkIntervalMs,
  VISUAL_META_BACKEND_VERSION,
  VISUAL_META_MODEL,
  type AnalyzeVisualMetaResult,
} from './analyze-visual-meta.js';
import type { ShotDetectionOptions } from './detect-shot-boundaries.js';
import type { FaceSummary } from './types.js';

export interface VisualMetaServiceInput {
  services: { assets: AssetService; artifacts: ArtifactService };
  ctx: RequestContext;
  assetId: string;
  intervalMs: number;
  faceSummary?: FaceSummary;
  shotOptions?: ShotDetectionOptions;
  signal?: AbortSignal;
}

export interface VisualMetaServiceResult {
  visualMeta: Artifact;
  shotList: Artifact;
  /** Empty when both artifacts came from the cache (warnings of the original run are in their meta). */
  warnings: Warning[];
  cached: { visualMeta: boolean; shotList: boolean };
}

export async function analyzeVisualMetaForAsset({
  services,
  ctx,
  assetId,
  intervalMs,
  faceSummary,
  shotOptions,
  signal,
}: VisualMetaServiceInput): Promise<VisualMetaServiceResult> {
  checkIntervalMs(intervalMs);
  const asset = await services.assets.getAsset(ctx, assetId);
  let run: Promise<AnalyzeVisualMetaResult> | undefined;
  const analyse = async () => {
    run ??= services.assets.assetPath(ctx, assetId).then((path) =>
      analyzeVisualMeta({
        path,
        info: asset.media_info,
        intervalMs,
        ...(faceSummary ? { faceSummary } : {}),
        ...(shotOptions ? { shotOptions } : {}),
        ...(signal ? { signal } : {}),
      }),
    );
    return run;
  };
  const shot = await services.artifacts.lookupOrCreateArtifact(ctx, {
    assetId,
    kind: 'video_shot_list',
    params: { shot_options: shotOptions ?? {} },
    backendVersion: VISUAL_META_BACKEND_VERSION,
    produce: async () => {
      const r = await analyse();
      return {
        meta: {
          model_used: VISUAL_META_MODEL,
          shot_count: r.shotList.shots.length,
          frame_count: r.shotList.frame_count,
          warnings: r.warnings,
        },
        content: Buffer.from(JSON.stringify(r.shotList)),
        name: 'shots/{artifact_id}.json',
      };
    },
  });
  const meta = await services.artifacts.lookupOrCreateArtifact(ctx, {
    assetId,
    kind: 'visual_meta',
    // The face summary can be large: its hash keys the cache.
    params: {
      frame_sample_interval_ms: intervalMs,
      face_summary_sha256: faceSummary
        ? createHash('sha256').update(canonicalJson(faceSummary)).digest('hex')
        : null,
    },
    backendVersion: VISUAL_META_BACKEND_VERSION,
    produce: async () => {
      const r = await analyse();
      return {
        meta: {
          model_used: VISUAL_META_MODEL,
          frame_sample_interval_ms: intervalMs,
          sample_count: r.visualMeta.samples.length,
          face_guided: faceSummary !== undefined,
          warnings: r.warnings,
        },
        content: Buffer.from(JSON.stringify(r.visualMeta)),
        name: 'visual-meta/{artifact_id}.json',
      };
    },
  });
  const warnings = run ? (await run).warnings : [];
  return {
    visualMeta: meta.artifact,
    shotList: shot.artifact,
    warnings,
    cached: { visualMeta: meta.cached, shotList: shot.cached },
  };
}
