export { focusClipFields, focusGeometry, focusLayout, positionFor } from './focus-clip.js';
export type { FocusClipFields, FocusGeometry, FocusLayout } from './focus-clip.js';
export { focusTimeline, MAX_KEYFRAMES_PER_CLIP } from './focus-timeline.js';
export { cropSize, FOCUS_VERSION, planFocus } from './plan-focus.js';
export type { FocusKeyframe, FocusPlan, FocusStrategy, PlanFocusInput, SubjectSample } from './plan-focus.js';
export { FocusAutomationBodySchema, FocusAutomationResponseSchema, focusRoutes } from './routes.js';
export { FOCUS_ASPECTS, FOCUS_CENTRE_FALLBACK, focusAutomation, parseAspect } from './service.js';
export type { FocusAspect, FocusAutomationInput, FocusAutomationResult, FocusContent } from './service.js';
export { faceSubjects, visualSubjects } from './subjects.js';
