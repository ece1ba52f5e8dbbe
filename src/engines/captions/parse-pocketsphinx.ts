/**
 * Reader for what `pocketsphinx_batch -hypseg` (pocketsphinx 5prealpha) writes: one line per utterance,
 * `uttid S score T score A ascr L lscr (start_frame ascr lscr word)* end_frame`, frames at -frate (100/s),
 * relative to the utterance start. Pure, so it is unit-tested on captured output.
 */
import type { TranscriptWord } from '../../plan/captions/transcript.js';

const FILLER = /^(<.*>|\[.*\]|\+\+.*\+\+)$/;

/** Dictionary variants come back as `word(2)`; the pronunciation index is not part of the word. */
export function baseWord(token: string): string {
  return token.replace(/\(\d+\)$/, '');
}

export function isFiller(token: string): boolean {
  return FILLER.test(token);
}

/** Silence markers (`<s>`, `</s>`, `<sil>`): time between words, not a sound; never a transcript word. */
export function isSilenceToken(token: string): boolean {
  return /^<.*>$/.test(token);
}

function clamp01(v: number): number {
  return Math.round(Math.min(1, Math.max(0, v)) * 1000) / 1000;
}

export interface HypsegWord {
  word: string;
  start_ms: number;
  end_ms: number;
  filler: boolean;
  /** Acoustic score (log domain, negative); with the frame count it gives a relative confidence. */
  ascr: number;
}

/** One -hypseg line (null for an empty hypothesis). */
export function parseHypsegLine({ line, frameRate = 100 }: { line: string; frameRate?: number }): {
  uttId: string;
  words: HypsegWord[];
} | null {
  const t = line.trim().split(/\s+/);
  const uttId = t[0];
  const l = t.indexOf('L');
  if (!uttId || l < 0) return null;
  const rest = t.slice(l + 2);
  const words: HypsegWord[] = [];
  const ms = (frame: string) => Math.round((Number(frame) * 1000) / frameRate);
  for (let i = 0; i + 4 < rest.length; i += 4) {
    const sf = rest[i]!;
    const ascr = Number(rest[i + 1]);
    const word = rest[i + 3]!;
    const next = rest[i + 4]!;
    words.push({ word: baseWord(word), start_ms: ms(sf), end_ms: ms(next), filler: isFiller(word), ascr });
  }
  return { uttId, words };
}

/**
 * Words of a whole -hypseg file whose utterances are `u{index}` of `chunks` (times shifted by each chunk's
 * start). Noise and hesitation fillers of the dictionary (`[NOISE]`, `[SPEECH]`, `++UM++`) stay in, as written,
 * so the transcript's filler marks can find them (captions skip them); silence markers are dropped. Confidence
 * is relative, not a posterior (the batch tool prints none): a word's acoustic score per frame against the
 * utterance's median over real words, squashed to 0..1 (0.5 = typical for this utterance).
 */
export function wordsFromHypseg({
  text,
  chunkStartsMs,
}: {
  text: string;
  chunkStartsMs: number[];
}): TranscriptWord[] {
  const out: TranscriptWord[] = [];
  for (const line of text.split('\n')) {
    const parsed = parseHypsegLine({ line });
    if (!parsed) continue;
    const m = /^u(\d+)$/.exec(parsed.uttId);
    const offset = m ? (chunkStartsMs[Number(m[1])] ?? 0) : 0;
    const words = parsed.words.filter((w) => !isSilenceToken(w.word) && w.end_ms > w.start_ms);
    const perFrame = words.map((w) => w.ascr / Math.max(1, (w.end_ms - w.start_ms) / 10));
    const sorted = perFrame.filter((_, i) => !words[i]!.filler).sort((a, b) => a - b);
    const median = sorted[Math.floor(sorted.length / 2)] ?? 0;
    const scale = Math.abs(median) * 0.25 + 1;
    words.forEach((w, i) => {
      out.push({
        start_ms: w.start_ms + offset,
        end_ms: w.end_ms + offset,
        word: w.word,
        confidence: clamp01(1 / (1 + Math.exp(-((perFrame[i] ?? median) - median) / scale))),
      });
    });
  }
  return out.sort((a, b) => a.start_ms - b.start_ms);
}
