import { isRecogniserToken, type TranscriptSegment, type TranscriptWord } from '../../plan/captions/transcript.js';

/**
 * Words in segments (sentence-like units for the transcript; caption lines are cut separately): a new segment
 * after a silence of `pauseMs`, after a sentence end followed by ≥ 300 ms, after any ≥ 200 ms silence once the
 * segment is `softMaxMs` long, and in any case before it exceeds `hardMaxMs` (recognised speech has no
 * punctuation, and read speech few long pauses).
 */
export function segmentWords({
  words,
  pauseMs = 700,
  softMaxMs = 8000,
  hardMaxMs = 15000,
}: {
  words: TranscriptWord[];
  pauseMs?: number;
  softMaxMs?: number;
  hardMaxMs?: number;
}): TranscriptSegment[] {
  const out: TranscriptSegment[] = [];
  let cur: TranscriptWord[] = [];
  const flush = () => {
    if (cur.length > 0)
      out.push({
        start_ms: cur[0]!.start_ms,
        end_ms: cur[cur.length - 1]!.end_ms,
        text: cur
          .filter((w) => !isRecogniserToken(w.word))
          .map((w) => w.word)
          .join(' '),
        words: cur,
      });
    cur = [];
  };
  for (const w of words) {
    const first = cur[0];
    const prev = cur[cur.length - 1];
    if (first && prev) {
      const gap = w.start_ms - prev.end_ms;
      const long = prev.end_ms - first.start_ms;
      if (
        gap >= pauseMs ||
        (gap >= 300 && /[.!?…]["'”’)]*$/.test(prev.word)) ||
        (gap >= 200 && long >= softMaxMs) ||
        w.end_ms - first.start_ms > hardMaxMs
      )
        flush();
    }
    cur.push(w);
  }
  flush();
  return out;
}
