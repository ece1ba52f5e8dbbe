export { highlightsTimeline } from './highlights-timeline.js';
export { DEFAULT_HIGHLIGHT_WEIGHTS, HIGHLIGHTS_SCORING_VERSION, planHighlights } from './plan-highlights.js';
export type {
  HighlightRange,
  HighlightReason,
  HighlightsPlan,
  HighlightWeights,
  PlanHighlightsInput,
} from './plan-highlights.js';
export { HighlightsBodySchema, HighlightsResponseSchema, highlightsRoutes } from './routes.js';
export { highlightsForAsset } from './service.js';
export type { HighlightsContent, HighlightsInput, HighlightsResult } from './service.js';
