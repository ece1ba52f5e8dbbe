export {
  alignRecordings,
  MULTICAM_OFFSET_CLAMPED,
  MULTICAM_SYNC_UNRELIABLE,
  MULTICAM_TIMECODE_IGNORED,
  SYNC_SAMPLE_RATE,
  validateAlignParams,
} from './align-recordings.js';
export type { AlignRecordingsInput, AlignRecordingsResult, Recording } from './align-recordings.js';
export { decimate } from './decimate.js';
export { buildDriftAudioFilter, driftCorrection } from './drift-correction.js';
export type { DriftCorrection } from './drift-correction.js';
export { coarseFactor, DEFAULT_PSR_THRESHOLD, estimateOffset } from './estimate-offset.js';
export type { EstimateOffsetInput, OffsetEstimate, SyncStatus, WindowEstimate } from './estimate-offset.js';
export { createFft, FFT_BACKEND, nextPowerOfTwo } from './fft.js';
export type { RealFft } from './fft.js';
export { fitLine } from './fit-line.js';
export type { LineFit, LinePoint } from './fit-line.js';
export { gccPhat, parabolicOffset } from './gcc-phat.js';
export type { GccPhatInput, GccPhatResult, Samples } from './gcc-phat.js';
export { multicamRoutes, AlignMulticamBodySchema, AlignMulticamResponseSchema } from './routes.js';
export { alignMulticam, ALIGNMENT_VERSION, MULTICAM_BACKEND_VERSION } from './service.js';
export type { AlignMulticamInput, AlignMulticamOptions, AlignMulticamResult } from './service.js';
export { timecodeToMs } from './timecode.js';
export type * from './types.js';
