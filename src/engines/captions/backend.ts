/**
 * The speech recogniser contract. A backend turns 16 kHz mono PCM into timed words, and (optionally) places the
 * words of a known script on the audio (forced alignment). It does not decode media, cache, split long files or
 * know about tenants: service.ts does that. Implementations: pocketsphinx (real, the default), whisper (a
 * user-supplied ggml model + a native binding, checked but not bundled) and a deterministic stub used only when
 * nothing real is available.
 */
import type { Warning } from '../../errors.js';
import type { TranscriptSegment, TranscriptWord } from '../../plan/captions/transcript.js';

export interface TranscribeInput {
  /** Mono samples in [-1, 1] at 16 kHz. */
  pcm16k: Float32Array;
  /** BCP-47, e.g. en-US. */
  language: string;
  signal?: AbortSignal;
}

export interface TranscribeResult {
  segments: TranscriptSegment[];
  /** All words of all segments, in time order. */
  words: TranscriptWord[];
  /** The language the recogniser detected, when asked to detect it ('auto'). */
  language?: string;
}

export interface AlignInput {
  pcm16k: Float32Array;
  /** The script as spoken; its words (with their punctuation) come back with times. */
  text: string;
  language: string;
  signal?: AbortSignal;
}

export interface AsrBackend {
  /** 'pocketsphinx', 'whisper' or 'stub'. */
  readonly name: string;
  /** Changes whenever the same audio could give other words or times; part of the cache key. */
  readonly version: string;
  /** Model identity for artifact meta (`model_used`). */
  readonly model: string;
  /** True for the stub: its results must say `stub: true`. */
  readonly stub: boolean;
  /** Language prefixes the model knows (['en']); others still decode, with a warning. */
  readonly languages: readonly string[];
  transcribe(input: TranscribeInput): Promise<TranscribeResult>;
  /** Forced alignment; absent when the backend cannot do it (the service then transcribes and warns). */
  align?(input: AlignInput): Promise<TranscriptWord[]>;
}

export interface SelectedAsrBackend {
  backend: AsrBackend;
  /** Why a fallback was chosen (CAPTIONS_STUB_BACKEND, CAPTIONS_WHISPER_UNAVAILABLE). */
  warnings: Warning[];
}

export const SAMPLE_RATE = 16000;
