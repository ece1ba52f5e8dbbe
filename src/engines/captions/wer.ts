/** Word error rate by Levenshtein distance over words, after normalising case and punctuation. */
import { isRecogniserToken } from '../../plan/captions/transcript.js';

export function normaliseForWer(text: string): string[] {
  return text
    .split(/\s+/)
    .filter((w) => !isRecogniserToken(w)) // [NOISE], [SPEECH], ++UM++: sounds, not words of the hypothesis
    .join(' ')
    .toLowerCase()
    .replace(/<\/?s>|\([^)]*\)/g, ' ')
    .replace(/[^a-z0-9' ]+/g, ' ')
    .split(/\s+/)
    .map((w) => w.replace(/^'+|'+$/g, ''))
    .filter((w) => w !== '');
}

export interface WerResult {
  errors: number;
  referenceWords: number;
  /** errors / referenceWords (0 for an empty reference with an empty hypothesis). */
  wer: number;
}

export function wordErrorRate({
  reference,
  hypothesis,
}: {
  reference: string[];
  hypothesis: string[];
}): WerResult {
  const n = reference.length;
  const m = hypothesis.length;
  let prev = Array.from({ length: m + 1 }, (_, j) => j);
  for (let i = 1; i <= n; i += 1) {
    const cur = [i];
    for (let j = 1; j <= m; j += 1) {
      const sub = prev[j - 1]! + (reference[i - 1] === hypothesis[j - 1] ? 0 : 1);
      cur.push(Math.min(sub, prev[j]! + 1, cur[j - 1]! + 1));
    }
    prev = cur;
  }
  const errors = prev[m]!;
  return { errors, referenceWords: n, wer: n === 0 ? (m === 0 ? 0 : 1) : errors / n };
}
