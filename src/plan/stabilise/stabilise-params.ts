/**
 * A clip's `stabilise` field (true, or an object with defaults) resolved to explicit render parameters.
 */
import type { MediaClip } from '../../timeline/index.js';

export interface StabiliseParams {
  /** Frames on each side of the low-pass window over the camera path (vidstab `smoothing`). */
  smoothing: number;
  /** Fixed zoom in percent (>0 in, <0 out); 0 = vidstab picks the optimal static zoom. */
  zoom: number;
  /** What fills the border the correction uncovers: the previous frame's pixels (keep) or black. */
  crop: 'keep' | 'black';
  /** Lock the camera to the first frame (a virtual tripod) instead of smoothing its path. */
  tripod: boolean;
}

export const DEFAULT_STABILISE_PARAMS: StabiliseParams = {
  smoothing: 15,
  zoom: 0,
  crop: 'keep',
  tripod: false,
};

/** undefined when the clip does not ask for stabilisation. */
export function resolveStabiliseParams(stabilise: MediaClip['stabilise']): StabiliseParams | undefined {
  if (stabilise === undefined || stabilise === false) return undefined;
  if (stabilise === true) return { ...DEFAULT_STABILISE_PARAMS };
  return {
    smoothing: stabilise.smoothing ?? DEFAULT_STABILISE_PARAMS.smoothing,
    zoom: stabilise.zoom ?? DEFAULT_STABILISE_PARAMS.zoom,
    crop: stabilise.crop ?? DEFAULT_STABILISE_PARAMS.crop,
    tripod: stabilise.tripod ?? DEFAULT_STABILISE_PARAMS.tripod,
  };
}
