/**
 * The content of an `asr_transcript` artifact: what the captions engine writes and what the planner reads to
 * burn captions in. Times are integer ms from the start of the asset's audio.
 */
import { z } from 'zod';
import { cutroomError } from '../../errors.js';

const ms = z.int().min(0);

export const TranscriptWordSchema = z.object({
  start_ms: ms,
  end_ms: ms,
  word: z.string().min(1),
  /** 0..1; 1 for words of a known script placed by forced alignment. */
  confidence: z.number().min(0).max(1),
});
export type TranscriptWord = z.infer<typeof TranscriptWordSchema>;

export const TranscriptSegmentSchema = z.object({
  start_ms: ms,
  end_ms: ms,
  text: z.string(),
  words: z.array(TranscriptWordSchema),
});
export type TranscriptSegment = z.infer<typeof TranscriptSegmentSchema>;

export const TranscriptSchema = z.object({
  language: z.string().min(1),
  segments: z.array(TranscriptSegmentSchema),
});
export type Transcript = z.infer<typeof TranscriptSchema>;

/** Validates transcript JSON (an artifact's parsed content); VALIDATION_FAILED with every issue's path. */
export function parseTranscript(data: unknown): Transcript {
  const r = TranscriptSchema.safeParse(data);
  if (r.success) return r.data;
  const issues = r.error.issues.map((i) => ({
    path: ['transcript', ...i.path.map(String)].join('.'),
    message: i.message,
  }));
  throw cutroomError(
    'VALIDATION_FAILED',
    `transcript is invalid: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`,
    { issues },
  );
}

/**
 * Recogniser tokens for sounds that are not words: pocketsphinx's noise dictionary entries (`[NOISE]`,
 * `[SPEECH]`, `++UM++`, `++BREATH++`: upper case in brackets or pluses) and silence markers (`<sil>`, `<s>`,
 * `</s>`). Transcripts keep the noise and hesitation tokens with their times (so an edit can remove them as
 * fillers); captions never show them. Narrow on purpose: a script word like `<he>` or `[sic]` is text.
 */
const RECOGNISER_TOKEN = /^(<\/?s>|<sil>|\[[A-Z_]+\]|\+\+[A-Z_]+\+\+)$/;

export function isRecogniserToken(word: string): boolean {
  return RECOGNISER_TOKEN.test(word.trim());
}

/** Every word of every segment, ordered by start time (segments may come from different decoder passes). */
export function transcriptWords(transcript: Transcript): TranscriptWord[] {
  return transcript.segments
    .flatMap((s) => s.words)
    .filter((w) => w.word.trim() !== '')
    .sort((a, b) => a.start_ms - b.start_ms || a.end_ms - b.end_ms);
}
