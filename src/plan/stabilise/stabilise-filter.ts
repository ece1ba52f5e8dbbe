/**
 * The render half of vid.stab: `vidstabtransform` reading the transforms that `vidstabdetect` wrote for the
 * whole source (a stabilise_transforms artifact), then a light `unsharp`, as the vid.stab README recommends,
 * because the sub-pixel resampling of every frame softens it (https://github.com/georgmartius/vid.stab).
 *
 * Frame mapping: vidstabtransform takes the next transform of the file for every frame it receives, counting
 * from the first frame of ITS input. The file is indexed by source frame number (analysis decodes the source
 * from frame 0), so this filter must see the source decoded from its first frame: see stabiliseSegment().
 */
import { escapeFilterPath, formatNumber } from '../format.js';
import type { StabiliseParams } from './stabilise-params.js';

export interface StabiliseFilterOptions extends StabiliseParams {
  /** Local path of the stabilise_transforms artifact content (the .trf file). */
  transformsPath: string;
  /** `tracks[1].clips[3]`, for details. */
  clipPath: string;
  clipId: string;
  /** The artifact's backend_version (e.g. `vidstab-5.1.9-0+deb12u1`), recorded in details. */
  backend: string;
  /**
   * Override vidstab's automatic static zoom (default: on when zoom is 0). Measurements turn it off so pixel
   * shifts before and after are comparable (the zoom magnifies any residual motion).
   */
  optimalZoom?: boolean;
}

export interface StabiliseDetails {
  clip_id: string;
  path: string;
  smoothing: number;
  zoom: number;
  crop: 'keep' | 'black';
  tripod: boolean;
  backend: string;
}

export interface StabiliseFilterResult {
  /** Comma-separated filter chain (no labels), to place on the source decoded from frame 0. */
  filter: string;
  details: StabiliseDetails;
}

/** unsharp 5x5 luma at 0.8: the amount vid.stab's README suggests after transforming. */
const UNSHARP = 'unsharp=5:5:0.8:3:3:0.4';

export function stabiliseFilter(o: StabiliseFilterOptions): StabiliseFilterResult {
  const n = (x: number): string => formatNumber(x);
  const options = [
    `input=${escapeFilterPath(o.transformsPath)}`,
    // tripod=1 means relative=0:smoothing=0 inside vid.stab; smoothing is still printed for a stable string.
    `smoothing=${n(o.tripod ? 0 : o.smoothing)}`,
    // A fixed zoom replaces the automatic one; optzoom=1 (static optimal zoom) only when zoom is left at 0.
    `zoom=${n(o.zoom)}`,
    `optzoom=${(o.optimalZoom ?? o.zoom === 0) ? 1 : 0}`,
    `crop=${o.crop}`,
    `tripod=${o.tripod ? 1 : 0}`,
    'interpol=bicubic',
  ];
  return {
    filter: [`vidstabtransform=${options.join(':')}`, UNSHARP].join(','),
    details: {
      clip_id: o.clipId,
      path: o.clipPath,
      smoothing: o.tripod ? 0 : o.smoothing,
      zoom: o.zoom,
      crop: o.crop,
      tripod: o.tripod,
      backend: o.backend,
    },
  };
}
