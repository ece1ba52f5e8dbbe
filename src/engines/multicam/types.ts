import type { DriftCorrection } from './drift-correction.js';
import type { SyncStatus } from './estimate-offset.js';

export type SyncMethod = 'audio' | 'timecode';

export interface AlignmentPair {
  asset_id: string;
  /**
   * Add to this camera's media time (at its time 0) to reach the reference clock, integer ms. With drift:
   * t_ref = t·(1 + drift_ppm·1e-6) + offset_ms.
   */
  offset_ms: number;
  /** The same offset in integer µs (sub-ms precision of the audio method). */
  offset_us: number;
  /** 0..1; 0.5 at the PSR threshold. 0 when no audio result exists. */
  confidence: number;
  /** Peak-to-sidelobe ratio of the whole-recording correlation (0 when not measured). */
  psr: number;
  status: SyncStatus;
  method: SyncMethod;
  /** Reference clock minus this camera's clock, ppm (0 when not measured). */
  drift_ppm: number;
  /** Why the pair is unreliable, why a method was chosen, or what was not measured. */
  reason?: string;
  /** Offset implied by container timecodes, when both carry one. */
  timecode_offset_ms?: number;
  /** Audio fine-pass windows with a clear peak / windows tried. */
  windows_used: number;
  windows_total: number;
  /** Present when correct_drift was asked and drift was measured. */
  drift_correction?: DriftCorrection;
}

export interface MulticamAlignment {
  reference_asset_id: string;
  pairs: AlignmentPair[];
}

export interface AlignParams {
  /** Length of each full-rate window of the fine pass (also the drift windows), ms. Default 4000. */
  search_window_ms?: number;
  /** Largest |offset| searched, ms. Default: any offset leaving 5 s (or half the shorter recording) of overlap. */
  max_offset_ms?: number;
  /** Add a drift_correction (stretch, atempo and setpts filters) to pairs whose drift was measured. */
  correct_drift?: boolean;
}
