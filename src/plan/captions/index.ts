export { buildAssSubtitles, DEFAULT_CAPTION_FONT, formatAssTime } from './build-ass-subtitles.js';
export type { BuildAssSubtitlesInput, CaptionStyle } from './build-ass-subtitles.js';
export { BROADCAST_RULES, buildCaptionCues, groupPhrases, wrapCaptionLines } from './build-caption-cues.js';
export type { BuildCaptionCuesInput, CaptionCue, CaptionRules } from './build-caption-cues.js';
export { escapeAssText } from './escape-ass-text.js';
export { isRecogniserToken, parseTranscript, TranscriptSchema, transcriptWords } from './transcript.js';
export type { Transcript, TranscriptSegment, TranscriptWord } from './transcript.js';
