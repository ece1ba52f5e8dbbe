import { resolve } from 'node:path';
import type { RequestContext } from '../../context.js';
import type { Asset } from '../../media/assets.js';
import type { Services } from '../../media/services.js';

/**
 * An analysis command's input: a local file is registered (deduplicated by content hash, so a second run finds
 * the same asset and its cached artifacts); `ast_…` names an asset already in the registry of this tenant/env.
 * That way the CLI and the HTTP routes share assets, artifacts and caches.
 */
export async function registerInput({
  services,
  ctx,
  input,
}: {
  services: Services;
  ctx: RequestContext;
  input: string;
}): Promise<Asset> {
  if (/^ast_[A-Za-z0-9_-]+$/.test(input)) return services.assets.getAsset(ctx, input);
  const { asset } = await services.assets.registerAsset(ctx, { source: { path: resolve(input) } });
  return asset;
}
