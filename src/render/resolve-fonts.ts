/**
 * Font files for the text layers: system families through fontconfig, uploaded font assets through the
 * registry (tenant-scoped). A missing font is a coded error naming it and where it is used, never a fallback.
 */
import type { RequestContext } from '../context.js';
import { cutroomError, isCutroomError } from '../errors.js';
import { findFontFile } from '../ffmpeg/find-font.js';
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
  for (const assetId of [...refs.fonts.keys()].sort()) {
    try {
      fonts[`asset:${assetId}`] = await services.assets.assetPath(ctx, assetId);
    } catch (err) {
      if (!isCutroomError(err, 'ASSET_NOT_FOUND')) throw err;
      throw cutroomError('FONT_NOT_FOUND', `font asset "${assetId}" does not exist in this tenant/env`, {
        asset_id: assetId,
        paths: refs.fonts.get(assetId),
      });
    }
  }
  return fonts;
}
