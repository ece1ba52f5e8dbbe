/**
 * The fallback when onnxruntime or the BlazeFace model is missing. It does not look at the pixels: it reports
 * one placeholder face in the centre of every frame, so downstream steps (masks, anonymise, render) still run
 * end to end. Everything it produces is marked `stub: true` and carries REGIONS_STUB_BACKEND, so nobody
 * mistakes it for a detection.
 */
import type { FaceDetectorBackend } from './backend.js';
import type { Detection } from './types.js';

const PLACEHOLDER: Detection = {
  box: { x: 0.4, y: 0.3, w: 0.2, h: 0.3 },
  score: 0.5,
  keypoints: {
    right_eye: { x: 0.46, y: 0.4 },
    left_eye: { x: 0.54, y: 0.4 },
    nose: { x: 0.5, y: 0.46 },
    mouth: { x: 0.5, y: 0.52 },
    right_ear: { x: 0.41, y: 0.43 },
    left_ear: { x: 0.59, y: 0.43 },
  },
};

export function createStubFaceBackend({ minConfidence }: { minConfidence: number }): FaceDetectorBackend {
  return {
    name: 'stub',
    version: 'stub-1',
    model: 'none (stub: BlazeFace model or onnxruntime-node missing)',
    stub: true,
    minConfidence,
    detect(_rgb, opts) {
      const min = opts?.minConfidence ?? minConfidence;
      return Promise.resolve(PLACEHOLDER.score >= min ? [structuredClone(PLACEHOLDER)] : []);
    },
  };
}
