/**
 * Region-aware filters (face_blur, skin_smooth, teeth_whiten, eye_enhance) applied inside a region mask.
 *
 * The mask is a `mask` artifact of the clip's asset (H6b's renderRegionMask: gray video, white regions on black,
 * one frame per source frame with the source's timestamps, at the source's display size). It is read as a
 * second input with exactly the clip segment's input options (same -ss/-t) and goes through exactly the same
 * timing chain (speed, fps, reverse, holds, trim), crop and fit scaling as the picture, so mask frame k is the
 * mask of picture frame k whatever the in point, speed or range.
 *
 * Per filter: split the picture, run the filter on one copy, alphamerge the mask into it (mask luma -> alpha)
 * and overlay it on the untouched copy: outside the mask the picture is bit-identical to the unfiltered one.
 */
import type { PlanArtifact } from './types.js';
import type { GraphBuilder } from './graph.js';

export const REGION_MASK_KIND = 'mask';

export type MaskRegion = 'face' | 'eyes' | 'mouth';

/** Which region each region-aware filter works on (lut with region: true works on the face). */
export function regionOfFilter(type: string): MaskRegion {
  if (type === 'teeth_whiten') return 'mouth';
  if (type === 'eye_enhance') return 'eyes';
  return 'face';
}

function maskRegions(a: PlanArtifact): string[] {
  const r = a.meta.include_regions;
  // The regions engine draws faces unless asked otherwise.
  return Array.isArray(r) ? r.map(String) : ['face'];
}

/**
 * The mask for an asset and a region: kind `mask`, same asset, with a file, drawing that region. A mask of
 * exactly that region is preferred; a face filter also accepts a mask with the face and more (eyes and mouth
 * lie inside the face), but an eyes or mouth filter never takes a mask with other regions (teeth whitening
 * over the whole face would be wrong). Several candidates: the smallest id (independent of key order).
 */
export function findRegionMask(o: {
  artifacts: Record<string, PlanArtifact> | undefined;
  assetId: string;
  region?: MaskRegion;
}): PlanArtifact | undefined {
  const region = o.region ?? 'face';
  const masks = Object.values(o.artifacts ?? {})
    .filter((a) => a.kind === REGION_MASK_KIND && a.asset_id === o.assetId && a.path !== undefined)
    .sort((x, y) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
  const exact = masks.find((a) => {
    const r = maskRegions(a);
    return r.length === 1 && r[0] === region;
  });
  if (exact || region !== 'face') return exact;
  return masks.find((a) => maskRegions(a).includes('face'));
}

/**
 * Apply each branch chain inside its mask, in order; returns the new picture label. Masks are gray streams
 * (one label per step: split beforehand when steps share a mask).
 */
export function applyRegionFilters(o: {
  g: GraphBuilder;
  picture: string;
  steps: Array<{ chain: string; mask: string }>;
}): string {
  const { g } = o;
  let picture = o.picture;
  for (const step of o.steps) {
    const base = g.fresh('rbase');
    const fx = g.fresh('rfx');
    const filtered = g.fresh('rfilt');
    const merged = g.fresh('rmerged');
    const out = g.fresh('region');
    g.chain([picture], ['split=2'], `${base}${fx}`);
    // alphamerge needs an alpha plane on its first input; the mask's luma becomes that alpha.
    g.chain([fx], [step.chain, 'format=yuva420p'], filtered);
    g.chain([filtered, step.mask], ['alphamerge'], merged);
    g.chain([base, merged], ['overlay=x=0:y=0:format=auto'], out);
    picture = out;
  }
  return picture;
}
