/**
 * The planner's one entry for a clip's `stabilise` field: nothing to do, a missing-transforms warning, or the
 * filter to apply. Pure: the render service resolves stabilise_transforms artifacts to local paths beforehand.
 */
import type { Warning } from '../../errors.js';
import type { MediaClip } from '../../timeline/index.js';
import type { PlanArtifact } from '../types.js';
import { resolveStabiliseParams } from './stabilise-params.js';
import { stabiliseFilter, type StabiliseFilterResult } from './stabilise-filter.js';
import { stabiliseMissingWarning } from './stabilise-warning.js';

export type ClipStabilisePlan =
  | { kind: 'none' }
  | { kind: 'missing'; warning: Warning }
  | ({ kind: 'apply'; artifact: PlanArtifact } & StabiliseFilterResult);

export interface PlanClipStabiliseOptions {
  clip: MediaClip;
  clipPath: string;
  assetId: string;
  /** Stills and freeze frames have no camera motion to correct. */
  moving: boolean;
  artifacts: Record<string, PlanArtifact> | undefined;
}

function isTripod(a: PlanArtifact): boolean {
  const params = a.meta.params;
  return typeof params === 'object' && params !== null && (params as { tripod?: unknown }).tripod === true;
}

/**
 * The transforms for an asset: kind stabilise_transforms, same asset, with a file, analysed in the mode the
 * clip needs (vid.stab's tripod mode needs transforms detected against a reference frame). Several candidates:
 * the smallest id, so the choice does not depend on object key order.
 */
export function findStabiliseTransforms(o: {
  artifacts: Record<string, PlanArtifact> | undefined;
  assetId: string;
  tripod: boolean;
}): PlanArtifact | undefined {
  return Object.values(o.artifacts ?? {})
    .filter(
      (a) =>
        a.kind === 'stabilise_transforms' &&
        a.asset_id === o.assetId &&
        a.path !== undefined &&
        isTripod(a) === o.tripod,
    )
    .sort((x, y) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0))[0];
}

export function planClipStabilise(o: PlanClipStabiliseOptions): ClipStabilisePlan {
  const params = resolveStabiliseParams(o.clip.stabilise);
  if (!params || !o.moving) return { kind: 'none' };
  const artifact = findStabiliseTransforms({
    artifacts: o.artifacts,
    assetId: o.assetId,
    tripod: params.tripod,
  });
  if (!artifact?.path) {
    return {
      kind: 'missing',
      warning: stabiliseMissingWarning({ clipPath: o.clipPath, assetId: o.assetId, tripod: params.tripod }),
    };
  }
  return {
    kind: 'apply',
    artifact,
    ...stabiliseFilter({
      ...params,
      transformsPath: artifact.path,
      clipPath: o.clipPath,
      clipId: o.clip.id,
      backend: artifact.backend_version,
    }),
  };
}
