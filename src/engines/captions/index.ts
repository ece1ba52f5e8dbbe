export type {
  AlignInput,
  AsrBackend,
  SelectedAsrBackend,
  TranscribeInput,
  TranscribeResult,
} from './backend.js';
export { SAMPLE_RATE } from './backend.js';
export {
  alignmentDictionary,
  alignmentGrammar,
  letterPhones,
  mapAlignedWords,
  tokenizeScript,
} from './align-script.js';
export type { ScriptToken } from './align-script.js';
export { captionCuesOf, parseSrt, parseVtt, writeSrt, writeVtt } from './lines.js';
export type { ParsedCue } from './lines.js';
export { BROADCAST_RULES, buildCaptionCues, wrapCaptionLines } from './lines.js';
export { createPocketsphinxBackend, DEFAULT_POCKETSPHINX_MODEL_DIR } from './pocketsphinx-backend.js';
export { captionsRoutes } from './routes.js';
export {
  ASR_BACKENDS,
  CAPTIONS_STUB_BACKEND,
  CAPTIONS_WHISPER_UNAVAILABLE,
  findPocketsphinx,
  selectAsrBackend,
} from './select-backend.js';
export type { SelectAsrBackendOptions } from './select-backend.js';
export {
  CAPTIONS_ALIGNMENT_FAILED,
  CAPTIONS_LANGUAGE_UNSUPPORTED,
  generateCaptions,
  readTranscript,
} from './service.js';
export { segmentWords } from './segment-words.js';
export { chunkAudio } from './chunk-audio.js';
export type { AudioChunk } from './chunk-audio.js';
export type { GenerateCaptionsInput, GenerateCaptionsOptions, GenerateCaptionsResult } from './service.js';
export { createStubAsrBackend } from './stub-backend.js';
export { wordErrorRate, normaliseForWer } from './wer.js';
export {
  checkWhisperModel,
  createWhisperBackend,
  loadWhisperBinding,
  WHISPER_BINDING_PACKAGE,
  WHISPER_MODEL_VARIABLE,
  whisperModelFormat,
} from './whisper-backend.js';
