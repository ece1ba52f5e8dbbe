/**
 * The transcript of an edit, derived from the source transcript instead of recognising the render again: each
 * word inside a kept span moves by that span's shift (timeline start − source in point); a word cut by an edge
 * keeps its part inside the span; removed words are dropped. Segments keep their surviving words.
 */
import type { Transcript, TranscriptSegment, TranscriptWord } from '../captions/transcript.js';
import type { KeptSpan } from './edit-plan.js';
import { segmentOf } from './segment-of.js';

function spanIndexAt(kept: readonly KeptSpan[], ms: number): number {
  let lo = 0;
  let hi = kept.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const s = kept[mid]!;
    if (ms < s.in_ms) hi = mid - 1;
    else if (ms >= s.out_ms) lo = mid + 1;
    else return mid;
  }
  return -1;
}

function shiftWord(kept: readonly KeptSpan[], w: TranscriptWord): TranscriptWord | undefined {
  // The span holding most of the word: look up its middle, then clip to that span.
  const i = spanIndexAt(kept, (w.start_ms + w.end_ms) / 2);
  if (i < 0) return undefined;
  const s = kept[i]!;
  const start = Math.max(w.start_ms, s.in_ms);
  const end = Math.min(w.end_ms, s.out_ms);
  if (end <= start) return undefined;
  const shift = s.start_ms - s.in_ms;
  return { ...w, start_ms: start + shift, end_ms: end + shift };
}

export function shiftTranscript(input: { transcript: Transcript; kept: readonly KeptSpan[] }): Transcript {
  const segments: TranscriptSegment[] = [];
  for (const seg of input.transcript.segments) {
    const words = seg.words
      .map((w) => shiftWord(input.kept, w))
      .filter((w): w is TranscriptWord => w !== undefined)
      .sort((a, b) => a.start_ms - b.start_ms);
    if (words.length === 0) continue;
    segments.push(segmentOf(words));
  }
  segments.sort((a, b) => a.start_ms - b.start_ms);
  return { language: input.transcript.language, segments };
}
