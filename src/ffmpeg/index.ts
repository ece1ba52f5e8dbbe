// Public API of the ffmpeg layer: the only code in cutroom that spawns ffmpeg/ffprobe.
export { binaryPath, ffmpegPath, ffprobePath, ffmpegVersion, hasEncoder, hasFilter } from './binaries.js';
export type { FfmpegBinary } from './binaries.js';
export { capture } from './capture.js';
export type { CaptureOptions, CaptureResult } from './capture.js';
export { detectX264Build } from './detect-x264-build.js';
export { detectEncoder, encoderName, resetEncoderCache } from './encoders.js';
export type { DetectEncoderOptions, EncoderChoice, EncoderCodec, EncoderKind } from './encoders.js';
export { readFrames, readPcm } from './frames.js';
export type { RawFrame, RawPixFmt, ReadFramesOptions, ReadPcmOptions } from './frames.js';
export { findFontFile } from './find-font.js';
export type { FontFace } from './find-font.js';
export { formatNumber } from '../format.js';
export { inputUrl } from './input-url.js';
export { parseEbur128Summary } from './parse-ebur128.js';
export type { Ebur128Summary } from './parse-ebur128.js';
export { parseProbeOutput, parseRational } from './parse-probe.js';
export type { FfprobeJson, FfprobeStream, ParseProbeInput } from './parse-probe.js';
export { probeMedia } from './probe.js';
export type { ProbeMediaOptions } from './probe.js';
export { runFfmpeg } from './run.js';
export type { FfmpegProgress, RenderStage, RunFfmpegOptions, RunFfmpegResult } from './run.js';
export { StderrTail } from './stderr-tail.js';
export {
  extractFilmstrip,
  filmstripFilter,
  filmstripLayout,
  FILMSTRIP_MAX_COLUMNS,
  FILMSTRIP_MAX_FRAMES,
} from './filmstrip.js';
export type { FilmstripLayout, FilmstripTile } from './filmstrip.js';
export {
  bucketPeaks,
  extractWaveform,
  mergePeaks,
  WAVEFORM_LEVELS,
  WAVEFORM_SAMPLE_RATE,
  WAVEFORM_SCALE,
} from './waveform.js';
export type { Waveform, WaveformLevel } from './waveform.js';
