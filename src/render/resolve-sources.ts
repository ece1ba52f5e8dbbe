/**
 * Turn a timeline's asset references into PlanSources (local path, content hash, probe data) for the planner,
 * through the registry, so tenancy is enforced: another tenant's asset id is simply "not found".
 */
import type { RequestContext } from '../context.js';
import { isCutroomError } from '../errors.js';
import type { Services } from '../media/services.js';
import type { PlanSource } from '../plan/types.js';
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
  // Sorted so warnings come out in the same order on every run.
  for (const assetId of [...refs.media.keys()].sort()) {
    const paths = refs.media.get(assetId)!;
    try {
      const asset = await services.assets.getAsset(ctx, assetId);
      const path = await services.assets.assetPath(ctx, assetId);
      sources[assetId] = {
        asset_id: assetId,
        path,
        content_hash: asset.content_hash,
        info: asset.media_info,
      };
    } catch (err) {
      if (!isCutroomError(err, 'ASSET_NOT_FOUND')) throw err;
      missing.push({ asset_id: assetId, paths });
    }
  }
  return { sources, missing };
}
