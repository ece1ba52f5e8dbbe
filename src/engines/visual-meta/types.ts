/**
 * Data shapes of the visual-meta engine. Per-frame features are computed on tiny frames (e.g. 64x36) that ffmpeg
 * downscales while decoding, so analysis costs little beyond decoding itself.
 */

/** Number of histogram bins per channel (Y, U, V). */
export const HIST_BINS = 16;
/** Spatial signature: the luma plane averaged to this grid, for comparing any two frames (dissolves). */
export const SIG_W = 16;
export const SIG_H = 9;
/** Finer luma grid for the wipe detector's moving front (a 16×9 cell straddles the front for several frames). */
export const FINE_W = 32;
export const FINE_H = 18;

export interface FrameFeatures {
  index: number;
  pts_ms: number;
  /** Mean luma 0..255 (BT.601 weights on full-range RGB). */
  luma: number;
  /** Standard deviation of luma: a black frame is dark AND flat. */
  luma_std: number;
  /** Motion-compensated mean absolute luma difference to the previous frame (0..255); 0 for frame 0. */
  diff_y: number;
  /** Same for chroma (mean of |dU| and |dV|) at the same shift. */
  diff_c: number;
  /** Half the L1 distance of the normalised Y/U/V histograms to the previous frame, averaged (0..1). */
  hist_dist: number;
  /** Combined content score to the previous frame (what the adaptive cut detector thresholds). */
  score: number;
  /** Compensated luma difference to frame index-2 / index-3 (flash and transient checks); -1 when not available. */
  diff_y2: number;
  diff_y3: number;
  /**
   * Static camera only: mean residual of 8×8 blocks after each block's own best shift (±2 px) to the previous
   * frame, above a noise floor (0..255) — local motion explained away, new content left. -1 when the camera
   * moved (global shift ≠ 0) or for frame 0.
   */
  local_residual: number;
  /** Global motion to the previous frame as a fraction of the frame width/height (+x = content moved right). */
  dx: number;
  dy: number;
  /** Normalised histograms, HIST_BINS each for Y, U, V. */
  hist: Float32Array;
  /** Luma averaged to SIG_W x SIG_H, row-major. */
  sig: Uint8Array;
  /** Luma averaged to FINE_W x FINE_H, row-major (wipe detection). */
  fine: Uint8Array;
  /** Centroid (0..1) of independent motion (residual after global motion) and its energy per pixel. */
  motion_cx: number;
  motion_cy: number;
  motion_energy: number;
  /** Centroid (0..1) of colour/luma contrast with a centre prior (a cheap saliency proxy). */
  saliency_cx: number;
  saliency_cy: number;
}

/**
 * fade: through black (or another flat colour); dissolve: a blend; wipe: the new picture revealed region by
 * region (wipes, slices, barn doors, circles, clock and diagonal wipes); push: both pictures move (push, slide).
 */
export type TransitionKind = 'fade' | 'dissolve' | 'wipe' | 'push';

export interface GradualTransition {
  /** First partial frame, and the first frame showing only the new shot (inclusive). */
  start_frame: number;
  end_frame: number;
  kind: TransitionKind;
  /** Which way the pictures move, for pushes. */
  direction?: 'left' | 'right' | 'up' | 'down';
}

export interface Shot {
  index: number;
  start_frame: number;
  /** Inclusive. */
  end_frame: number;
  start_ms: number;
  /** Exclusive: the start of the next shot (or the end of the last frame). */
  end_ms: number;
  transition_in: 'cut' | TransitionKind | null;
}

export interface ShotList {
  shots: Shot[];
  /** Frame numbers (first frame of the new shot) of hard cuts. */
  cuts: number[];
  transitions: GradualTransition[];
  frame_count: number;
}

export interface VisualMetaSample {
  t_ms: number;
  /** Mean luma 0..1 over the interval. */
  luma_mean: number;
  /** Mean compensated frame difference 0..1 (how much the picture changes beyond camera motion). */
  frame_diff: number;
  /** Max content score over the interval (cut-likeness). */
  max_score: number;
  /** Mean global motion in frame widths/heights per second (+x right, +y down). */
  global_motion_x: number;
  global_motion_y: number;
  /** Mean normalised histograms over the interval (Y, U, V; HIST_BINS each). */
  color_histogram: { y: number[]; u: number[]; v: number[] };
  primary_subject_center_x: number;
  primary_subject_center_y: number;
  /** Where the subject centre came from. */
  subject_source: 'face' | 'motion' | 'saliency';
}

export interface VisualMeta {
  frame_sample_interval_ms: number;
  analysis_width: number;
  analysis_height: number;
  frame_count: number;
  fps: number;
  samples: VisualMetaSample[];
}

/** Largest-face lookup input: normalised boxes (0..1) at sample times, as the regions engine summarises them. */
export interface FaceSummary {
  samples: Array<{ t_ms: number; faces: Array<{ x: number; y: number; width: number; height: number }> }>;
}
