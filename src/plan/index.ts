/** The planner's public surface: compile a timeline into one ffmpeg invocation, and the data behind it. */
export { compile, PLAN_VERSION, MAX_INLINE_GRAPH } from './compile.js';
export { planChunks, type PlanChunk } from './plan-chunks.js';
export { getProfile, listProfiles, PROFILES, type RenderProfile } from './profiles.js';
export { getTransition, listTransitions, TRANSITIONS, type TransitionSpec } from './transitions/catalog.js';
export { keyframeExpr, type KeyframeExprOptions } from './automation/keyframe-expr.js';
export { PLAN_WARNINGS, type PlanWarningCode } from './warnings.js';
export { canonicalJson } from './plan-hash.js';
export type * from './types.js';
