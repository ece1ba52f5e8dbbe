/**
 * Pure parts of the whisper.cpp adapter for `@fugood/whisper.node` (API read from its 1.1.3 sources:
 * lib/binding.ts and src/WhisperContext.cpp): the option mapping, the PCM conversion and the conversion of a
 * binding result into cutroom's transcript words and segments. No I/O here, so all of it is unit-tested
 * without model weights.
 *
 * The binding's contract as used: `initWhisper({filePath, useGpu})` → a context whose
 * `transcribeData(ArrayBuffer of s16le mono 16 kHz, options)` returns `{stop, promise}`; the promise gives
 * `{language, result, segments:[{text, t0, t1}], isAborted}` with t0/t1 in milliseconds (whisper.cpp's
 * centiseconds × 10). `tokenTimestamps: true` with `maxLen: 1` makes whisper.cpp end a segment after every
 * token, which is how word timings come out of it; a token that does not start with a space continues the
 * previous word ("gener" + "ation").
 */
import type { TranscriptWord } from '../../plan/captions/transcript.js';

/** The subset of the binding's TranscribeOptions cutroom sets. */
export interface WhisperTranscribeOptions {
  language: string;
  translate: false;
  tokenTimestamps: true;
  maxLen: 1;
  temperature: number;
  beamSize: number;
  maxThreads: number;
}

export interface WhisperBindingSegment {
  text: string;
  t0: number;
  t1: number;
}

export interface WhisperBindingResult {
  language?: string;
  result: string;
  segments: WhisperBindingSegment[];
  isAborted: boolean;
}

/** cutroom language → whisper.cpp language: the primary subtag ('en-US' → 'en'); 'auto' detects. */
export function whisperLanguage(language: string): string {
  if (language === 'auto') return 'auto';
  return language.split('-')[0]!.toLowerCase();
}

export function whisperTranscribeOptions({
  language,
  threads,
}: {
  language: string;
  threads: number;
}): WhisperTranscribeOptions {
  return {
    language: whisperLanguage(language),
    translate: false,
    tokenTimestamps: true,
    maxLen: 1,
    // Greedy at temperature 0 with whisper.cpp's own fallback: deterministic for one model and input.
    temperature: 0,
    beamSize: 5,
    maxThreads: Math.max(1, Math.min(8, Math.floor(threads))),
  };
}

/** Float samples in [-1, 1] → signed 16-bit little-endian PCM, as transcribeData expects. */
export function pcmToS16le(pcm: Float32Array): ArrayBuffer {
  const out = new ArrayBuffer(pcm.length * 2);
  const view = new DataView(out);
  for (let i = 0; i < pcm.length; i++) {
    const v = Math.max(-1, Math.min(1, pcm[i]!));
    view.setInt16(i * 2, Math.round(v < 0 ? v * 32768 : v * 32767), true);
  }
  return out;
}

/** whisper.cpp's non-speech tokens ([BLANK_AUDIO], [MUSIC], (laughs), [_TT_…]) are not words. */
const NON_SPEECH = /^\s*(\[[^\]]*\]|\([^)]*\)|<\|[^|]*\|>)\s*$/;

/**
 * Per-token segments → words with times. Tokens without a leading space continue the previous word; empty and
 * non-speech tokens are dropped. The binding gives no token probabilities, so confidence is 1 and says nothing.
 */
export function whisperWords({ result }: { result: WhisperBindingResult }): TranscriptWord[] {
  const words: TranscriptWord[] = [];
  let current: TranscriptWord | undefined;
  for (const seg of result.segments) {
    if (seg.text.trim() === '' || NON_SPEECH.test(seg.text)) {
      current = undefined;
      continue;
    }
    const t0 = Math.max(0, Math.round(seg.t0));
    const t1 = Math.max(t0, Math.round(seg.t1));
    if (current && !/^\s/.test(seg.text)) {
      current.word += seg.text.trim();
      current.end_ms = Math.max(current.end_ms, t1);
      continue;
    }
    current = { start_ms: t0, end_ms: t1, word: seg.text.trim(), confidence: 1 };
    words.push(current);
  }
  // A zero-length word (whisper.cpp gives some) gets the time up to the next word's start, at most 200 ms.
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (w.end_ms <= w.start_ms) {
      const next = words[i + 1]?.start_ms ?? w.start_ms + 200;
      w.end_ms = Math.max(w.start_ms + 1, Math.min(next, w.start_ms + 200));
    }
  }
  return words;
}
