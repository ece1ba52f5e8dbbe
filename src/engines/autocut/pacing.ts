/** Shot-length presets of auto-cut: the DP prefers `target_ms` and never leaves [min_ms, max_ms]. */
export type Pacing = 'fast' | 'medium' | 'slow';

export interface PacingPreset {
  min_ms: number;
  target_ms: number;
  max_ms: number;
}

export const PACING_PRESETS: Readonly<Record<Pacing, PacingPreset>> = {
  fast: { min_ms: 1200, target_ms: 2000, max_ms: 3500 },
  medium: { min_ms: 2000, target_ms: 4000, max_ms: 6500 },
  slow: { min_ms: 3500, target_ms: 7000, max_ms: 12000 },
};
