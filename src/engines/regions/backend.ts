/**
 * The face detector contract. A backend finds faces in one RGB frame; it does not track, sample video, cache
 * or know about tenants (analyze.ts and service.ts do that). Two implementations: BlazeFace on onnxruntime
 * (real) and a deterministic stub used only when onnxruntime or the model file is missing.
 */
import type { Warning } from '../../errors.js';
import type { Detection, RgbFrame } from './types.js';

export interface DetectOptions {
  /** Drop faces scoring below this (0..1); defaults to the backend's own default. */
  minConfidence?: number;
}

export interface FaceDetectorBackend {
  /** 'blazeface' or 'stub'. */
  readonly name: string;
  /** Changes whenever the same input could give a different output (model bytes, decoding); in cache keys. */
  readonly version: string;
  /** Human-readable model identity for artifact meta (`model_used`). */
  readonly model: string;
  /** True for the stub: every result it produced must say `stub: true`. */
  readonly stub: boolean;
  /** Default for DetectOptions.minConfidence. */
  readonly minConfidence: number;
  detect(rgb: RgbFrame, opts?: DetectOptions): Promise<Detection[]>;
}

export interface SelectedBackend {
  backend: FaceDetectorBackend;
  /** REGIONS_STUB_BACKEND when the stub was chosen, saying why. */
  warnings: Warning[];
}

export const DEFAULT_MIN_CONFIDENCE = 0.5;
