/**
 * POST /video/stabilise/analyze behind the HTTP layer: vid.stab's detection pass over an asset, stored as a
 * `stabilise_transforms` artifact (the .trf file), cached on the asset's content hash + detection parameters +
 * backend version (the ffmpeg build, which carries libvidstab).
 */
import { join } from 'node:path';
import type { RequestContext } from '../../context.js';
import { cutroomError } from '../../errors.js';
import { ffmpegVersion, hasFilter } from '../../ffmpeg/index.js';
import type { Artifact } from '../../media/artifacts.js';
import type { Services } from '../../media/services.js';
import { resolveDetectParams, type StabiliseDetectInput } from './detect-params.js';
import { detectTransforms } from './detect-transforms.js';

export interface AnalyzeStabiliseInput extends StabiliseDetectInput {
  asset_id: string;
}

export interface AnalyzeStabiliseResult {
  artifact: Artifact;
  cached: boolean;
}

/** `vidstab-<ffmpeg version>`: the transforms depend on the libvidstab inside that ffmpeg build. */
export async function stabiliseBackendVersion(): Promise<string> {
  return `vidstab-${await ffmpegVersion()}`;
}

export async function analyzeStabilise(
  services: Pick<Services, 'assets' | 'artifacts'>,
  ctx: RequestContext,
  input: AnalyzeStabiliseInput,
  opts: { signal?: AbortSignal } = {},
): Promise<AnalyzeStabiliseResult> {
  const params = resolveDetectParams(input);
  const asset = await services.assets.getAsset(ctx, input.asset_id);
  const video = asset.media_info.video;
  if (!video || video.still) {
    throw cutroomError('UNSUPPORTED_MEDIA', `asset ${asset.id} has no moving video to stabilise`, {
      asset_id: asset.id,
    });
  }
  if (!(await hasFilter('vidstabdetect')) || !(await hasFilter('vidstabtransform'))) {
    throw cutroomError(
      'DEPENDENCY_MISSING',
      'this ffmpeg has no vidstabdetect/vidstabtransform (built without libvidstab); stabilisation is unavailable',
      { filters: ['vidstabdetect', 'vidstabtransform'] },
    );
  }
  const backendVersion = await stabiliseBackendVersion();
  return services.artifacts.lookupOrCreateArtifact(ctx, {
    assetId: asset.id,
    kind: 'stabilise_transforms',
    params,
    backendVersion,
    produce: async ({ workDir, cacheKey }) => {
      const started = performance.now();
      const source = await services.assets.assetPath(ctx, asset.id);
      const output = join(workDir, 'transforms.trf');
      await detectTransforms({
        source,
        output,
        params,
        durationMs: video.duration_ms,
        ...(opts.signal ? { signal: opts.signal } : {}),
      });
      return {
        meta: {
          backend_version: backendVersion,
          model_used: 'vidstabdetect',
          cache_key: cacheKey,
          duration_ms: Math.round(performance.now() - started),
          params,
          width: video.display_width,
          height: video.display_height,
          source_duration_ms: video.duration_ms,
        },
        content: { path: output },
        name: 'stabilise/{artifact_id}.trf',
      };
    },
  });
}
