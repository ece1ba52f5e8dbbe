/**
 * Turn a timeline's asset references into PlanSources (local path, content hash, probe data) for the planner,
 * through the registry, so tenancy is enforced: another tenant's asset id is simply "not found".
 */
import type { RequestContext } from '../context.js';
import { cutroomError, isCutroomError } from '../errors.js';
import { detectX264Build } from '../ffmpeg/detect-x264-build.js';
import type { Services } from '../media/services.js';
import type { PlanSource } from '../plan/types.js';
import type { MediaInfo } from '../timeline/index.js';
import type { AssetRefs } from './collect-asset-refs.js';

export interface ResolvedSources {
  sources: Record<string, PlanSource>;
  /**
   * Assets referenced but not found for this tenant/env, with every path that refers to them. (The planner
   * warns MISSING_ASSET at each path when it is asked to plan without them.)
   */
  missing: Array<{ asset_id: string; paths: string[] }>;
}

export async function resolveSources({
  services,
  ctx,
  refs,
}: {
  services: Services;
  ctx: RequestContext;
  refs: AssetRefs;
}): Promise<ResolvedSources> {
  const sources: Record<string, PlanSource> = {};
  const missing: ResolvedSources['missing'] = [];
  const notMedia: Array<{ path: string; message: string }> = [];
  // Sorted so warnings come out in the same order on every run.
  for (const assetId of [...refs.media.keys()].sort()) {
    const paths = refs.media.get(assetId)!;
    try {
      const asset = await services.assets.getAsset(ctx, assetId);
      if (asset.kind === 'font') {
        notMedia.push(...paths.map((path) => ({ path, message: `asset "${assetId}" is a font, not media` })));
        continue;
      }
      const path = await services.assets.assetPath(ctx, assetId);
      sources[assetId] = {
        asset_id: assetId,
        path,
        content_hash: asset.content_hash,
        info: await withX264Build(asset.media_info, path, asset.content_hash),
      };
    } catch (err) {
      if (!isCutroomError(err, 'ASSET_NOT_FOUND')) throw err;
      missing.push({ asset_id: assetId, paths });
    }
  }
  // A font has no frames or samples: as a clip source it is a mistake in the timeline, at every path using it.
  if (notMedia.length > 0)
    throw cutroomError(
      'TIMELINE_INVALID',
      `font assets cannot be clip sources (use them as a text layer's font.asset_id): ${notMedia
        .map((i) => i.path)
        .join(', ')}`,
      { issues: notMedia },
    );
  return { sources, missing };
}

/** x264 builds of H.264 assets probed before the probe read it, by content hash (one ffmpeg call per process). */
const x264Builds = new Map<string, Promise<number | undefined>>();

async function withX264Build(info: MediaInfo, path: string, contentHash: string): Promise<MediaInfo> {
  const video = info.video;
  if (info.kind !== 'video' || !video || video.codec !== 'h264' || video.x264_build !== undefined)
    return info;
  let pending = x264Builds.get(contentHash);
  if (!pending) {
    pending = detectX264Build({ path }).catch(() => undefined);
    x264Builds.set(contentHash, pending);
  }
  const build = await pending;
  return build === undefined ? info : { ...info, video: { ...video, x264_build: build } };
}
