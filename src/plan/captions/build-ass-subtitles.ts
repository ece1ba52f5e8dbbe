/**
 * A complete .ass subtitle file for burning captions in with ffmpeg's `subtitles=` filter (libass). Pure: the
 * planner calls it with a transcript and writes the string to a file, since user text is safer in a file than
 * in a filtergraph. Three looks:
 * - `clean`: broadcast lines (≤ 42 chars, ≤ 2 lines, 1–7 s) at the bottom on a translucent box (BorderStyle 3);
 * - `bold_pop`: large bold outlined text, one 2–4 word phrase at a time, popping in;
 * - `karaoke`: broadcast lines, the word being spoken highlighted (one event per word, so only the current
 *   word is coloured, unlike `\k` which keeps already-sung words coloured).
 */
import { buildCaptionCues, groupPhrases, type CaptionCue } from './build-caption-cues.js';
import { escapeAssText } from './escape-ass-text.js';
import { isRecogniserToken, transcriptWords, type Transcript, type TranscriptWord } from './transcript.js';

export type CaptionStyle = 'clean' | 'bold_pop' | 'karaoke';

export interface BuildAssSubtitlesInput {
  transcript: Transcript;
  style: CaptionStyle;
  canvas: { width: number; height: number };
  /** Where transcript time 0 falls in the output (ms); events before 0 are cut. */
  offsetMs?: number;
  fontFamily?: string;
  /** In canvas pixels (PlayRes = canvas); default derived from the canvas so 42 characters fit. */
  fontSize?: number;
}

export const DEFAULT_CAPTION_FONT = 'DejaVu Sans';
/** ASS colours are &HAABBGGRR, alpha 00 = opaque. */
const WHITE = '&H00FFFFFF';
const BLACK = '&H00000000';
const BOX = '&H60000000';
/** Override-tag colours are &HBBGGRR& (no alpha): yellow. */
const HIGHLIGHT_TAG = '&H00FFFF&';

/** ASS time H:MM:SS.CC from ms (centiseconds are the format's resolution). */
export function formatAssTime(ms: number): string {
  const cs = Math.max(0, Math.round(ms / 10));
  const h = Math.floor(cs / 360000);
  const m = Math.floor((cs % 360000) / 6000);
  const s = Math.floor((cs % 6000) / 100);
  const c = cs % 100;
  return `${h}:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}.${String(c).padStart(2, '0')}`;
}

interface StyleSpec {
  fontSize: number;
  primary: string;
  secondary: string;
  outlineColour: string;
  back: string;
  bold: boolean;
  borderStyle: 1 | 3;
  outline: number;
  shadow: number;
  marginV: number;
}

function styleSpec(
  style: CaptionStyle,
  canvas: { width: number; height: number },
  fontSize?: number,
): StyleSpec {
  const { width: w, height: h } = canvas;
  // ~0.6 em per character (DejaVu Sans averages ~0.55): a 42-character line then fits 90 % of the width.
  const lineSize = Math.max(8, Math.floor(Math.min(h * 0.055, (w * 0.9) / (42 * 0.6))));
  if (style === 'bold_pop') {
    const size = fontSize ?? Math.max(10, Math.floor(Math.min(h * 0.08, (w * 0.9) / (14 * 0.65))));
    return {
      fontSize: size,
      primary: WHITE,
      secondary: WHITE,
      outlineColour: BLACK,
      back: '&H80000000',
      bold: true,
      borderStyle: 1,
      outline: Math.max(2, Math.round(size * 0.08)),
      shadow: Math.max(1, Math.round(size * 0.03)),
      marginV: Math.round(h * 0.18),
    };
  }
  const size = fontSize ?? lineSize;
  if (style === 'karaoke')
    return {
      fontSize: size,
      primary: WHITE,
      secondary: WHITE,
      outlineColour: BLACK,
      back: '&H80000000',
      bold: true,
      borderStyle: 1,
      outline: Math.max(1, Math.round(size * 0.06)),
      shadow: 0,
      marginV: Math.round(h * 0.06),
    };
  return {
    fontSize: size,
    primary: WHITE,
    secondary: WHITE,
    // libass draws the BorderStyle 3 box in the outline colour (VSFilter uses it too); Outline is its padding.
    outlineColour: BOX,
    back: BOX,
    bold: false,
    borderStyle: 3,
    outline: Math.max(1, Math.round(size * 0.2)),
    shadow: 0,
    marginV: Math.round(h * 0.06),
  };
}

function safeFontName(name: string | undefined): string {
  // A comma would end the field in the Style line; control characters end the line.
  const cleaned = (name ?? '').replace(/[,\p{Cc}]/gu, ' ').trim();
  return cleaned === '' ? DEFAULT_CAPTION_FONT : cleaned;
}

interface AssEvent {
  start: number;
  end: number;
  text: string;
}

function lineBreakIndexes(cue: CaptionCue): Set<number> {
  // Word indexes that start a new line, from the cue's own line layout.
  const breaks = new Set<number>();
  let idx = 0;
  for (let l = 0; l < cue.lines.length; l += 1) {
    if (l > 0) breaks.add(idx);
    idx += (cue.lines[l] ?? '').split(' ').length;
  }
  return breaks;
}

function cueText(cue: CaptionCue, highlight?: number): string {
  const breaks = lineBreakIndexes(cue);
  let out = '';
  cue.words.forEach((w, i) => {
    if (i > 0) out += breaks.has(i) ? '\\N' : ' ';
    const text = w.word
      .split(' ')
      .map((part) => escapeAssText(part))
      .join(' ');
    out += i === highlight ? `{\\1c${HIGHLIGHT_TAG}}${text}{\\r}` : text;
  });
  return out;
}

function events(style: CaptionStyle, words: TranscriptWord[]): AssEvent[] {
  if (style === 'bold_pop') {
    const phrases = groupPhrases({ words });
    return phrases.map((p, i) => {
      const start = p[0]!.start_ms;
      const lastEnd = p[p.length - 1]!.end_ms;
      const nextStart = phrases[i + 1]?.[0]?.start_ms;
      // Hold the phrase through a short gap so the screen does not flash empty between phrases.
      const end = nextStart !== undefined && nextStart - lastEnd <= 300 ? nextStart : lastEnd;
      const text = p.map((w) => escapeAssText(w.word)).join(' ');
      return {
        start,
        end: Math.max(end, start + 10),
        text: `{\\fscx118\\fscy118\\t(0,120,\\fscx100\\fscy100)}${text}`,
      };
    });
  }
  const cues = buildCaptionCues({ words });
  if (style === 'clean') return cues.map((c) => ({ start: c.start_ms, end: c.end_ms, text: cueText(c) }));
  const out: AssEvent[] = [];
  for (const cue of cues) {
    cue.words.forEach((w, i) => {
      const start = i === 0 ? cue.start_ms : Math.max(cue.start_ms, w.start_ms);
      const next = cue.words[i + 1];
      const end = next ? Math.min(cue.end_ms, Math.max(start, next.start_ms)) : cue.end_ms;
      if (end > start) out.push({ start, end, text: cueText(cue, i) });
    });
  }
  return out;
}

export function buildAssSubtitles(input: BuildAssSubtitlesInput): string {
  const { transcript, style, canvas, offsetMs = 0 } = input;
  const width = Math.max(1, Math.round(canvas.width));
  const height = Math.max(1, Math.round(canvas.height));
  const s = styleSpec(style, { width, height }, input.fontSize);
  const marginH = Math.round(width * 0.05);
  const styleLine = [
    'Default',
    safeFontName(input.fontFamily),
    Math.round(s.fontSize),
    s.primary,
    s.secondary,
    s.outlineColour,
    s.back,
    s.bold ? -1 : 0,
    0,
    0,
    0,
    100,
    100,
    0,
    0,
    s.borderStyle,
    s.outline,
    s.shadow,
    2,
    marginH,
    marginH,
    s.marginV,
    1,
  ].join(',');
  const lines = [
    '[Script Info]',
    '; cutroom captions',
    'ScriptType: v4.00+',
    `PlayResX: ${width}`,
    `PlayResY: ${height}`,
    // 0 = smart wrapping: lines are already broken with \N; libass wraps further only if a font is wider.
    'WrapStyle: 0',
    'ScaledBorderAndShadow: yes',
    'YCbCr Matrix: None',
    '',
    '[V4+ Styles]',
    'Format: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, OutlineColour, BackColour, Bold, Italic, Underline, StrikeOut, ScaleX, ScaleY, Spacing, Angle, BorderStyle, Outline, Shadow, Alignment, MarginL, MarginR, MarginV, Encoding',
    `Style: ${styleLine}`,
    '',
    '[Events]',
    'Format: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text',
  ];
  for (const e of events(style, transcriptWords(transcript).filter((w) => !isRecogniserToken(w.word)))) {
    const start = Math.max(0, e.start + offsetMs);
    const end = e.end + offsetMs;
    if (end <= 0 || end <= start) continue;
    const startCs = Math.round(start / 10);
    const endCs = Math.max(startCs + 1, Math.round(end / 10));
    lines.push(
      `Dialogue: 0,${formatAssTime(startCs * 10)},${formatAssTime(endCs * 10)},Default,,0,0,0,,${e.text}`,
    );
  }
  return `${lines.join('\n')}\n`;
}
