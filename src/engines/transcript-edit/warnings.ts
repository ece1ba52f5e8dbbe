/**
 * Warning codes of edit by transcript and silence removal (`POST /video/assist/transcript-edit`,
 * `…/remove-silences`, `cutroom cut-words`, `cutroom trim-silence`), as data for docs/WARNINGS.md. The edit is
 * made, but not exactly as asked; each warning is `{code, message, path}` with the path in the request body.
 */
export const TRANSCRIPT_EDIT_WARNINGS = {
  EDIT_TIGHT_CUT:
    'A cut fell between two words with less than a frame between them: the kept word stays whole, and up to a frame of the removed one remains.',
  EDIT_NO_FILLERS:
    '`remove_fillers` was asked for, but the transcript has no filler words: nothing was cut for it.',
  EDIT_PADDING_TOO_LARGE:
    '`padding_ms` on both sides is at least the minimum silence: pauses shorter than twice the padding keep all of it; only longer ones shrink.',
  EDIT_SPEECH_STUB:
    'The speech windows come from the energy stub (no Silero VAD model): any sound counts as speech, so fewer pauses are found.',
  EDIT_WORDS_UNCHECKED:
    'No transcript for the asset (or clip): silence cuts follow the speech windows only and are not checked against word timings.',
  EDIT_TRACKS_DROPPED:
    'Sequence input: the edit keeps only the edited track; the other tracks would be out of sync after the cuts and are not in the result (the message names them).',
  EDIT_CLIP_FIELD_DROPPED:
    'Sequence input: a clip field timed on the whole clip (automation, motion, transition_in, transition_out, slowmo_quality) is not carried by the edited pieces of that clip.',
} as const;
