export { analyzeFaces, detectorSize, validateRegionParams } from './analyze.js';
export type { AnalyzeFacesOptions, AnalyzeFacesResult } from './analyze.js';
export { DEFAULT_MIN_CONFIDENCE } from './backend.js';
export type { DetectOptions, FaceDetectorBackend, SelectedBackend } from './backend.js';
export { boxesAtFrame } from './boxes-at-frame.js';
export type { FaceAtFrame, FrameTime } from './boxes-at-frame.js';
export { REGIONS_STUB_BACKEND, selectFaceBackend } from './select-backend.js';
export type { SelectFaceBackendOptions } from './select-backend.js';
export { analyzeRegions } from './service.js';
export type { AnalyzeRegionsInput, AnalyzeRegionsOptions, AnalyzeRegionsResult } from './service.js';
export { faceRegions } from './sub-regions.js';
export { trackFaces } from './track.js';
export type { TrackFacesOptions, TrackFacesResult, TrackInputSample, TrackedFace } from './track.js';
export * from './types.js';
export { frameGeometry } from './frame-geometry.js';
export type { FrameGeometry } from './frame-geometry.js';
export { loadRegionSummary } from './load-summary.js';
export type { LoadedSummary } from './load-summary.js';
export { maskRasterSize, drawMaskFrame, maskBoxes, MASK_RASTER_MAX_WIDTH } from './mask-raster.js';
export type { DrawMaskFrameOptions, MaskRasterSize } from './mask-raster.js';
export { maskScaleFilter, rawMaskInputArgs } from './mask-filter.js';
export { DEFAULT_FEATHER, MASK_RENDERER_VERSION, maskParams, renderRegionMask } from './render-mask.js';
export type { RenderRegionMaskInput, RenderRegionMaskResult } from './render-mask.js';
export { regionsRoutes } from './routes.js';
export type { RegionsRouteServices } from './routes.js';
export { writeMaskRaw } from './write-mask-raw.js';
export type { WriteMaskRawOptions, WriteMaskRawResult } from './write-mask-raw.js';
export { MOUTH_ACTIVITY_VERSION, measureMouthActivity, residualChange } from './measure-mouth-activity.js';
export type {
  MeasureMouthActivityOptions,
  MouthActivity,
  MouthActivitySample,
} from './measure-mouth-activity.js';
