/**
 * SRT and WebVTT -> the content of an `asr_transcript` artifact (one segment per cue, words spread over the
 * cue by their length) plus a caption track that shows it in one of the existing caption styles. Pure: the
 * route stores the transcript as an artifact and puts its id in the track. Cue timing problems are reported
 * with the line they are on; nothing is returned from a file with any of them.
 *
 * The planner lays captions out by its broadcast rules (≤ 42 characters a line, 1–7 s a caption), so a long cue
 * may be shown as two captions; the words keep their times.
 */
import { cutroomError, type Warning } from '../errors.js';
import { TimelineSchema, type Timeline } from '../timeline/schema.js';
import { summariseIssues, type ImportIssue } from './import-context.js';
import { checkTextSize, MAX_INTERCHANGE_ITEMS } from './limits.js';

export type SubtitleFormat = 'srt' | 'vtt';
export type CaptionStyle = 'clean' | 'bold_pop' | 'karaoke';

/** Same shape as src/plan/captions/transcript.ts (the planner validates it when it reads the artifact). */
export interface SubtitleTranscript {
  language: string;
  segments: Array<{
    start_ms: number;
    end_ms: number;
    text: string;
    words: Array<{ start_ms: number; end_ms: number; word: string; confidence: number }>;
  }>;
}

export interface ParsedSubtitles {
  transcript: SubtitleTranscript;
  warnings: Warning[];
  cue_count: number;
  /** End of the last cue. */
  duration_ms: number;
}

const SRT_TIME = /^(\d{1,3}):([0-5]\d):([0-5]\d)[,.](\d{3})$/;
const VTT_TIME = /^(?:(\d{1,3}):)?([0-5]\d):([0-5]\d)\.(\d{3})$/;
const MAX_MS = 24 * 3600 * 1000;

function toMs(m: RegExpExecArray): number {
  return ((Number(m[1] ?? 0) * 60 + Number(m[2])) * 60 + Number(m[3])) * 1000 + Number(m[4]);
}

export function parseSubtitles({ text, format, language = 'und' }: { text: string; format: SubtitleFormat; language?: string }): ParsedSubtitles {
  checkTextSize(text, format);
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  const issues: ImportIssue[] = [];
  const warnings: Warning[] = [];
  const segments: SubtitleTranscript['segments'] = [];
  const timeRe = format === 'srt' ? SRT_TIME : VTT_TIME;
  let i = 0;
  if (format === 'vtt') {
    if (!/^WEBVTT(\s|$)/.test(lines[0] ?? ''))
      throw cutroomError('INTERCHANGE_PARSE_FAILED', 'a WebVTT file starts with the line "WEBVTT"', { format, line: 1 });
    i = 1;
    while (i < lines.length && lines[i]!.trim() !== '') i++; // header lines
  }
  let tagsWarned = false;
  let prevEnd = -1;
  while (i < lines.length) {
    while (i < lines.length && lines[i]!.trim() === '') i++;
    if (i >= lines.length) break;
    const blockStart = i;
    const block: Array<{ line: number; text: string }> = [];
    while (i < lines.length && lines[i]!.trim() !== '') {
      block.push({ line: i + 1, text: lines[i]! });
      i++;
    }
    const first = block[0]!.text.trim();
    if (format === 'vtt' && /^(NOTE|STYLE|REGION)(\s|$)/.test(first)) {
      if (!first.startsWith('NOTE')) warnings.push({ code: 'INTERCHANGE_UNMAPPED', message: `${first.split(/\s/)[0]} blocks are not applied; the caption style decides the look`, path: `line ${blockStart + 1}` });
      continue;
    }
    const timingIndex = block.findIndex((b) => b.text.includes('-->'));
    if (timingIndex < 0 || timingIndex > 1) {
      issues.push({ path: `line ${block[0]!.line}`, line: block[0]!.line, message: 'a cue has no "start --> end" timing line' });
      continue;
    }
    if (format === 'srt' && timingIndex === 1 && !/^\d+$/.test(first))
      warnings.push({ code: 'INTERCHANGE_UNMAPPED', message: `cue number "${first.slice(0, 20)}" is not a number`, path: `line ${block[0]!.line}` });
    const timing = block[timingIndex]!;
    const [left, rightAll] = timing.text.split('-->').map((s) => s.trim()) as [string, string];
    const [right, ...settings] = rightAll.split(/\s+/);
    const a = timeRe.exec(left);
    const b = timeRe.exec(right ?? '');
    if (!a || !b) {
      issues.push({ path: `line ${timing.line}`, line: timing.line, message: `"${timing.text.trim().slice(0, 60)}" is not a ${format === 'srt' ? 'HH:MM:SS,mmm --> HH:MM:SS,mmm' : '[HH:]MM:SS.mmm --> [HH:]MM:SS.mmm'} timing` });
      continue;
    }
    const start = toMs(a);
    const end = toMs(b);
    if (end <= start) {
      issues.push({ path: `line ${timing.line}`, line: timing.line, message: `the cue ends (${right}) at or before it starts (${left})` });
      continue;
    }
    if (end > MAX_MS) {
      issues.push({ path: `line ${timing.line}`, line: timing.line, message: 'the cue ends after 24 hours' });
      continue;
    }
    if (settings.length > 0 && format === 'vtt') warnings.push({ code: 'INTERCHANGE_UNMAPPED', message: `cue settings "${settings.join(' ')}" are not applied`, path: `line ${timing.line}` });
    if (start < prevEnd) warnings.push({ code: 'INTERCHANGE_CUE_OVERLAP', message: 'this cue starts before the previous one ends; both are shown where they overlap', path: `line ${timing.line}` });
    prevEnd = Math.max(prevEnd, end);
    const raw = block.slice(timingIndex + 1).map((l) => l.text).join('\n');
    const clean = raw.replace(/<[^>]*>/g, '').replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&nbsp;/g, ' ').replace(/\{\\[^}]*\}/g, '');
    if (clean !== raw && !tagsWarned) {
      tagsWarned = true;
      warnings.push({ code: 'INTERCHANGE_UNMAPPED', message: 'formatting tags (<i>, <b>, <c>, <v>, {\\an8}) are removed; the caption style decides the look', path: `line ${timing.line + 1}` });
    }
    const text = clean.replace(/\s+/g, ' ').trim();
    if (text === '') {
      warnings.push({ code: 'INTERCHANGE_UNMAPPED', message: 'an empty cue is left out', path: `line ${timing.line}` });
      continue;
    }
    if (segments.length >= MAX_INTERCHANGE_ITEMS)
      throw cutroomError('INTERCHANGE_TOO_LARGE', `${format} file has more than ${MAX_INTERCHANGE_ITEMS} cues`, { format, limit: MAX_INTERCHANGE_ITEMS, line: timing.line });
    segments.push({ start_ms: start, end_ms: end, text, words: spreadWords(text, start, end) });
  }
  if (issues.length > 0)
    throw cutroomError('INTERCHANGE_INVALID', `${format} file has bad cues: ${summariseIssues(issues)}`, { format, issues });
  if (segments.length === 0) throw cutroomError('INTERCHANGE_INVALID', `${format} file has no cues`, { format, issues: [{ path: 'line 1', line: 1, message: 'no cues' }] });
  return {
    transcript: { language, segments },
    warnings,
    cue_count: segments.length,
    duration_ms: Math.max(...segments.map((s) => s.end_ms)),
  };
}

/** Word times inside a cue, proportional to word length (subtitles carry no word timing). */
function spreadWords(text: string, start: number, end: number): SubtitleTranscript['segments'][number]['words'] {
  const words = text.split(' ');
  const total = words.reduce((n, w) => n + w.length + 1, 0);
  let at = 0;
  return words.map((word) => {
    const s = start + Math.round(((end - start) * at) / total);
    at += word.length + 1;
    const e = start + Math.round(((end - start) * at) / total);
    return { start_ms: s, end_ms: Math.max(e, s + 1), word, confidence: 1 };
  });
}

/** A timeline with one caption track showing the transcript artifact from timeline time 0. */
export function captionTimeline({ transcriptArtifactId, style = 'clean', name }: { transcriptArtifactId: string; style?: CaptionStyle; name?: string }): Timeline {
  return TimelineSchema.parse({
    ...(name ? { name: name.slice(0, 200) } : {}),
    tracks: [{ id: 'captions', kind: 'caption', items: [{ id: 'subtitles', transcript_artifact_id: transcriptArtifactId, start_ms: 0, style }] }],
  });
}
