/**
 * Before a queued render spends minutes encoding, check that every asset it reads still has its stored file:
 * between submit and run a source can be deleted from the object store. A missing file fails the job at once
 * (SOURCE_MISSING, stage probe, naming the asset and the timeline paths) — retrying cannot bring it back.
 */
import type { RequestContext } from '../../context.js';
import { cutroomError } from '../../errors.js';
import type { Services } from '../../media/services.js';
import type { Timeline } from '../../timeline/index.js';
import { collectAssetRefs } from '../collect-asset-refs.js';

export async function checkSourcesStored({
  services,
  ctx,
  timeline,
}: {
  services: Services;
  ctx: RequestContext;
  timeline: Timeline;
}): Promise<void> {
  const refs = collectAssetRefs(timeline);
  const ids = [...new Set([...refs.media.keys(), ...refs.fonts.keys()])].sort();
  const gone: Array<{ asset_id: string; paths: string[] }> = [];
  for (const id of ids) {
    // A deleted asset row is ASSET_NOT_FOUND (thrown by getAsset); a row whose bytes are gone is ours to report.
    const asset = await services.assets.getAsset(ctx, id);
    if (!(await services.store.exists(asset.storage_key)))
      gone.push({ asset_id: id, paths: [...(refs.media.get(id) ?? []), ...(refs.fonts.get(id) ?? [])] });
  }
  if (gone.length > 0)
    throw cutroomError(
      'SOURCE_MISSING',
      `the stored file of asset ${gone.map((g) => g.asset_id).join(', ')} is missing`,
      { stage: 'probe', asset_id: gone[0]!.asset_id, missing: gone },
    );
}
