/**
 * Filler words: hesitations a speaker did not mean to say. `um`, `uh`, `erm` (and close spellings), the filler
 * tokens pocketsphinx writes for non-speech sounds (`<sil>`, `[NOISE]`, `++UH++`), and a caller's own list.
 * Matching ignores case and surrounding punctuation ("Um," is a filler), never a word's inside ("umbrella" is not).
 */
import { isRecogniserToken, type TranscriptWord } from '../captions/transcript.js';

export const DEFAULT_FILLER_WORDS: readonly string[] = ['um', 'umm', 'uh', 'uhh', 'uhm', 'erm', 'er', 'hmm', 'mm'];


export function normaliseWord(word: string): string {
  return word
    .toLowerCase()
    .replace(/\(\d+\)$/, '')
    .replace(/^[^\p{L}\p{N}<[+]+|[^\p{L}\p{N}>\]+]+$/gu, '');
}

export interface FillerMark {
  /** Index of the word in time order (transcriptWords order). */
  index: number;
  word: string;
  start_ms: number;
  end_ms: number;
  /** `list`: in the default or the caller's list; `token`: a recogniser filler token. */
  kind: 'list' | 'token';
}

export function findFillers(input: { words: readonly TranscriptWord[]; extra?: readonly string[] }): FillerMark[] {
  const list = new Set([...DEFAULT_FILLER_WORDS, ...(input.extra ?? []).map(normaliseWord)]);
  const out: FillerMark[] = [];
  input.words.forEach((w, index) => {
    const raw = w.word.trim();
    const token = isRecogniserToken(raw);
    if (!token && !list.has(normaliseWord(raw))) return;
    out.push({ index, word: w.word, start_ms: w.start_ms, end_ms: w.end_ms, kind: token ? 'token' : 'list' });
  });
  return out;
}
