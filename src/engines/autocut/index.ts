export { autoCutTimeline } from './auto-cut-timeline.js';
export type { AutoCutTimelineInput } from './auto-cut-timeline.js';
export { ASSIST_INPUT_MISSING, loadCameraSignals } from './load-camera-signals.js';
export type { CameraSignals, LoadCameraSignalsInput, SignalRequest } from './load-camera-signals.js';
export { PACING_PRESETS } from './pacing.js';
export type { Pacing, PacingPreset } from './pacing.js';
export { AUTOCUT_SCORING_VERSION, DEFAULT_AUTOCUT_WEIGHTS, planAutoCut } from './plan-auto-cut.js';
export type {
  AutoCutCamera,
  AutoCutPlan,
  AutoCutShot,
  AutoCutWeights,
  PlanAutoCutInput,
} from './plan-auto-cut.js';
export { readArtifactJson } from './read-artifact-json.js';
export { AutoCutBodySchema, AutoCutResponseSchema, autoCutRoutes } from './routes.js';
export { autoCut, AUTOCUT_SYNC_UNRELIABLE } from './service.js';
export type { AutoCutInput, AutoCutResult } from './service.js';
export * from './signals.js';
