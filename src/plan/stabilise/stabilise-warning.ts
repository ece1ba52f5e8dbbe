/**
 * The warning for a clip that asks for stabilisation when the plan has no matching transforms: the clip renders
 * unstabilised, and the render service can analyse the asset (POST /video/stabilise/analyze) and plan again.
 */
import type { Warning } from '../../errors.js';

export const STABILISE_TRANSFORMS_MISSING = 'STABILISE_TRANSFORMS_MISSING';

export function stabiliseMissingWarning(o: { clipPath: string; assetId: string; tripod: boolean }): Warning {
  const kind = o.tripod
    ? 'tripod-mode stabilise_transforms (analysed with tripod: true)'
    : 'stabilise_transforms';
  return {
    code: STABILISE_TRANSFORMS_MISSING,
    message: `no ${kind} artifact for asset ${o.assetId} was given to the plan; the clip renders unstabilised (analyse it with POST /video/stabilise/analyze)`,
    path: `${o.clipPath}.stabilise`,
  };
}
