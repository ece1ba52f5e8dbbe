import type { TranscriptSegment, TranscriptWord } from '../captions/transcript.js';

/** A transcript segment made of `words` (at least one, in time order): spans them, text is the words joined. */
export function segmentOf(words: TranscriptWord[]): TranscriptSegment {
  return {
    start_ms: words[0]!.start_ms,
    end_ms: Math.max(...words.map((w) => w.end_ms)),
    text: words.map((w) => w.word).join(' '),
    words,
  };
}
