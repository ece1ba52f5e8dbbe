/** The target aspects of auto-reframe (a module of its own so the CLI can list them without loading the engine). */
export const FOCUS_ASPECTS = ['9:16', '1:1', '4:5'] as const;
export type FocusAspect = (typeof FOCUS_ASPECTS)[number];
