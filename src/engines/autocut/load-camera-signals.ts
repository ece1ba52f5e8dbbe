/**
 * The analysis inputs of one asset for the assists (auto-cut, highlights, focus): its audio semantic timeline
 * and visual meta (created through their cached services when asked), and its region summary (the latest one,
 * or a new analysis when asked). A missing or failing input is a warning, never a silent gap.
 */
import type { RequestContext } from '../../context.js';
import { isCutroomError, type Warning } from '../../errors.js';
import type { Services } from '../../media/services.js';
import { analyzeAudioSemanticForAsset, type AudioSemanticTimeline } from '../audio-semantic/index.js';
import {
  analyzeRegions,
  measureMouthActivity,
  type MouthActivity,
  type RegionSummary,
} from '../regions/index.js';
import { analyzeVisualMetaForAsset, type ShotList, type VisualMeta } from '../visual-meta/index.js';
import { readArtifactJson } from './read-artifact-json.js';

export const ASSIST_INPUT_MISSING = 'ASSIST_INPUT_MISSING';

export interface SignalRequest {
  audio?: boolean;
  visual?: boolean;
  /** 'latest' = use an existing region summary if any; 'analyze' = create one (cached); 'none' = skip. */
  faces?: 'latest' | 'analyze' | 'none';
  /** Measure mouth movement of the tracked faces (decodes the video once more); default false. */
  mouth?: boolean;
  visual_interval_ms?: number;
}

export interface CameraSignals {
  asset_id: string;
  duration_ms: number;
  width: number;
  height: number;
  audio?: AudioSemanticTimeline;
  faces?: RegionSummary;
  /** Mouth movement of the tracked faces (only with real face detections and request.mouth). */
  mouth?: MouthActivity;
  visual?: VisualMeta;
  shots?: ShotList;
  /** Artifact ids actually used, by kind. */
  used: Record<string, string>;
}

export interface LoadCameraSignalsInput {
  services: Pick<Services, 'assets' | 'artifacts'>;
  ctx: RequestContext;
  assetId: string;
  request: SignalRequest;
  /** Request path of this asset id, for warnings. */
  path: string;
  warnings: Warning[];
  signal?: AbortSignal;
}

function reason(err: unknown): string {
  return isCutroomError(err) ? `${err.code}: ${err.message}` : (err as Error).message;
}

export async function loadCameraSignals(input: LoadCameraSignalsInput): Promise<CameraSignals> {
  const { services, ctx, assetId, request, path, warnings } = input;
  const asset = await services.assets.getAsset(ctx, assetId);
  const v = asset.media_info.video;
  const out: CameraSignals = {
    asset_id: assetId,
    duration_ms: Math.round(asset.media_info.duration_ms ?? 0),
    width: v?.display_width ?? 0,
    height: v?.display_height ?? 0,
    used: {},
  };
  const missing = (what: string, why: string) =>
    warnings.push({
      code: ASSIST_INPUT_MISSING,
      message: `${assetId}: no ${what} (${why}); scored without it`,
      path,
    });

  if (request.audio !== false) {
    if (!asset.media_info.audio) missing('audio semantic timeline', 'the asset has no audio stream');
    else {
      try {
        const r = await analyzeAudioSemanticForAsset({
          services,
          ctx,
          assetId,
          ...(input.signal ? { signal: input.signal } : {}),
        });
        out.audio = (
          await readArtifactJson<AudioSemanticTimeline>({
            artifacts: services.artifacts,
            ctx,
            artifact: r.artifact,
            kind: 'audio_semantic_timeline',
            path,
          })
        ).value;
        out.used.audio_semantic_timeline = r.artifact.id;
        if (r.artifact.meta.stub === true)
          warnings.push({
            code: ASSIST_INPUT_MISSING,
            message: `${assetId}: speech detection is the energy stub`,
            path,
          });
      } catch (err) {
        missing('audio semantic timeline', reason(err));
      }
    }
  }

  const faceMode = request.faces ?? 'latest';
  if (faceMode !== 'none') {
    if (!v) missing('region summary', 'the asset has no video stream');
    else {
      try {
        const artifact =
          faceMode === 'analyze'
            ? (
                await analyzeRegions(
                  services,
                  ctx,
                  { asset_id: assetId },
                  input.signal ? { signal: input.signal } : {},
                )
              ).artifact
            : await services.artifacts.latestArtifact(ctx, { assetId, kind: 'video_region_summary' });
        if (!artifact)
          missing('region summary', 'none analysed yet; POST /video/regions or ask to analyze faces');
        else {
          out.faces = (
            await readArtifactJson<RegionSummary>({
              artifacts: services.artifacts,
              ctx,
              artifact,
              kind: 'video_region_summary',
              path,
            })
          ).value;
          out.used.video_region_summary = artifact.id;
          if (out.faces.stub)
            missing('real face detections', 'the region summary was made by the stub backend');
          else if (request.mouth === true)
            out.mouth = await measureMouthActivity({
              path: await services.assets.assetPath(ctx, assetId),
              summary: out.faces,
              ...(input.signal ? { signal: input.signal } : {}),
            });
        }
      } catch (err) {
        missing('region summary', reason(err));
      }
    }
  }

  if (request.visual !== false) {
    if (!v) missing('visual meta', 'the asset has no video stream');
    else {
      try {
        const r = await analyzeVisualMetaForAsset({
          services,
          ctx,
          assetId,
          intervalMs: request.visual_interval_ms ?? 200,
          ...(input.signal ? { signal: input.signal } : {}),
        });
        const read = <T>(artifact: typeof r.visualMeta, kind: 'visual_meta' | 'video_shot_list') =>
          readArtifactJson<T>({ artifacts: services.artifacts, ctx, artifact, kind, path });
        out.visual = (await read<VisualMeta>(r.visualMeta, 'visual_meta')).value;
        out.shots = (await read<ShotList>(r.shotList, 'video_shot_list')).value;
        out.used.visual_meta = r.visualMeta.id;
        out.used.video_shot_list = r.shotList.id;
      } catch (err) {
        missing('visual meta', reason(err));
      }
    }
  }
  return out;
}
