/**
 * The edited text of a transcript aligned back to its words: which words the user deleted. Both sides are
 * compared as normalised tokens (case and surrounding punctuation ignored) with a longest common subsequence,
 * so retyped punctuation or capitals do not count as edits. Words in the edited text that are not in the
 * transcript cannot be produced by cutting; they are returned as `inserted` for the caller to refuse.
 *
 * Cost: the common prefix and suffix are matched first (typical edits touch a few places), the rest with an
 * O(n·m) table, bounded by MAX_ALIGN_CELLS.
 */
import { isRecogniserToken } from '../captions/transcript.js';
import { normaliseWord } from './filler-words.js';

/** 2 000 × 2 000 changed words; beyond that, edit by word index ranges. */
export const MAX_ALIGN_CELLS = 4_000_000;

export interface AlignEditedTextResult {
  /** Indexes of transcript words absent from the edited text, ascending. */
  removed: number[];
  /** Tokens of the edited text with no transcript word (0-based token position and the token). */
  inserted: Array<{ position: number; token: string }>;
  /** True when the changed middle was too large to align (nothing else is then filled in). */
  too_large: boolean;
}

/** Recogniser tokens typed into the text ([NOISE], ++UM++) are not words and are ignored. */
export function tokeniseEditedText(text: string): string[] {
  return text
    .split(/\s+/)
    .filter((t) => !isRecogniserToken(t))
    .map(normaliseWord)
    .filter((t) => t !== '');
}

export function alignEditedText(input: { words: readonly string[]; text: string }): AlignEditedTextResult {
  const a = input.words.map(normaliseWord);
  const b = tokeniseEditedText(input.text);
  let pre = 0;
  while (pre < a.length && pre < b.length && a[pre] === b[pre]) pre++;
  let suf = 0;
  while (suf < a.length - pre && suf < b.length - pre && a[a.length - 1 - suf] === b[b.length - 1 - suf]) suf++;
  const n = a.length - pre - suf;
  const m = b.length - pre - suf;
  if ((n + 1) * (m + 1) > MAX_ALIGN_CELLS) return { removed: [], inserted: [], too_large: true };
  // lcs[i][j]: LCS length of a[pre+i..] and b[pre+j..] (suffix table, so the walk below goes forwards).
  const w = m + 1;
  const lcs = new Uint32Array((n + 1) * w);
  for (let i = n - 1; i >= 0; i--)
    for (let j = m - 1; j >= 0; j--)
      lcs[i * w + j] =
        a[pre + i] === b[pre + j]
          ? lcs[(i + 1) * w + j + 1]! + 1
          : Math.max(lcs[(i + 1) * w + j]!, lcs[i * w + j + 1]!);
  const removed: number[] = [];
  const inserted: AlignEditedTextResult['inserted'] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[pre + i] === b[pre + j]) {
      i++;
      j++;
    } else if (j >= m || (i < n && lcs[(i + 1) * w + j]! >= lcs[i * w + j + 1]!)) {
      // Prefer dropping the transcript word: ties keep the later copy of a repeated word.
      removed.push(pre + i);
      i++;
    } else {
      inserted.push({ position: pre + j, token: b[pre + j]! });
      j++;
    }
  }
  return { removed, inserted, too_large: false };
}

/** Ascending indexes -> inclusive runs, e.g. [2,3,4,9] -> [{start:2,end:4},{start:9,end:9}]. */
export function indexRuns(indexes: readonly number[]): Array<{ start: number; end: number }> {
  const out: Array<{ start: number; end: number }> = [];
  for (const k of indexes) {
    const last = out[out.length - 1];
    if (last && k === last.end + 1) last.end = k;
    else out.push({ start: k, end: k });
  }
  return out;
}
