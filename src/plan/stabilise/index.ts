export { DEFAULT_STABILISE_PARAMS, resolveStabiliseParams } from './stabilise-params.js';
export type { StabiliseParams } from './stabilise-params.js';
export { stabiliseFilter } from './stabilise-filter.js';
export type { StabiliseDetails, StabiliseFilterOptions, StabiliseFilterResult } from './stabilise-filter.js';
export { stabiliseSegment } from './stabilise-segment.js';
export type { StabiliseSegment, StabiliseSegmentOptions } from './stabilise-segment.js';
export { STABILISE_TRANSFORMS_MISSING, stabiliseMissingWarning } from './stabilise-warning.js';
export { findStabiliseTransforms, planClipStabilise } from './plan-clip-stabilise.js';
export type { ClipStabilisePlan, PlanClipStabiliseOptions } from './plan-clip-stabilise.js';
