/**
 * Font files for the text layers: system families through fontconfig, uploaded font assets through the
 * registry (tenant-scoped). Key `bold:{family}` is a family's Bold face, for layers with `bold: true`. A missing font is a coded error naming it and where it is used, never a fallback.
 */
import type { RequestContext } from '../context.js';
import { cutroomError, isCutroomError } from '../errors.js';
import { findBoldFontFile, findFontFile } from '../ffmpeg/find-font.js';
import type { Asset } from '../media/assets.js';
import type { Services } from '../media/services.js';
import type { AssetRefs } from './collect-asset-refs.js';

export async function resolveFonts({
  services,
  ctx,
  refs,
}: {
  services: Services;
  ctx: RequestContext;
  refs: AssetRefs;
}): Promise<Record<string, string>> {
  const fonts: Record<string, string> = {};
  for (const family of [...refs.families.keys()].sort()) {
    try {
      fonts[family] = await findFontFile({ family });
    } catch (err) {
      if (isCutroomError(err, 'FONT_NOT_FOUND')) {
        throw cutroomError(
          'FONT_NOT_FOUND',
          `${err.message}; used at ${refs.families.get(family)!.join(', ')}`,
          {
            family,
            paths: refs.families.get(family),
          },
        );
      }
      throw err;
    }
  }
  // Bold faces under `bold:{family}`; a family without one is absent and the planner warns TEXT_BOLD_UNAVAILABLE.
  for (const family of [...refs.boldFamilies.keys()].sort()) {
    if (fonts[family] === undefined) continue;
    const bold = await findBoldFontFile({ family });
    if (bold !== undefined) fonts[`bold:${family}`] = bold;
  }
  for (const assetId of [...refs.fonts.keys()].sort()) {
    const paths = refs.fonts.get(assetId)!;
    let asset: Asset;
    try {
      asset = await services.assets.getAsset(ctx, assetId);
    } catch (err) {
      if (!isCutroomError(err, 'ASSET_NOT_FOUND')) throw err;
      // Same answer for another tenant's id as for one that never existed: nothing to learn across tenants.
      throw cutroomError(
        'FONT_NOT_FOUND',
        `font asset "${assetId}" does not exist in this tenant/env; used at ${paths.join(', ')}`,
        { asset_id: assetId, paths },
      );
    }
    if (asset.kind !== 'font')
      throw cutroomError(
        'FONT_NOT_FOUND',
        `asset "${assetId}" is ${asset.kind}, not a font; used at ${paths.join(', ')}`,
        { asset_id: assetId, kind: asset.kind, paths },
      );
    fonts[`asset:${assetId}`] = await services.assets.assetPath(ctx, assetId);
  }
  return fonts;
}
