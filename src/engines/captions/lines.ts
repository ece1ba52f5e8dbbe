/**
 * Caption files from a transcript: broadcast lines (≤ 42 chars/line, ≤ 2 lines, 1–7 s; the rules live in
 * src/plan/captions so the burn-in planner uses the same ones) written as SubRip (.srt) or WebVTT (.vtt), and
 * parsers for both (tests read the files back; clients may upload them later).
 */
import {
  buildCaptionCues,
  type CaptionCue,
  type CaptionRules,
} from '../../plan/captions/build-caption-cues.js';
import { transcriptWords, type Transcript } from '../../plan/captions/transcript.js';

export {
  BROADCAST_RULES,
  buildCaptionCues,
  wrapCaptionLines,
} from '../../plan/captions/build-caption-cues.js';
export type { CaptionCue, CaptionRules } from '../../plan/captions/build-caption-cues.js';

export interface ParsedCue {
  start_ms: number;
  end_ms: number;
  lines: string[];
}

export function captionCuesOf({
  transcript,
  rules,
}: {
  transcript: Transcript;
  rules?: Partial<CaptionRules>;
}): CaptionCue[] {
  return buildCaptionCues({ words: transcriptWords(transcript), ...(rules ? { rules } : {}) });
}

function clock(ms: number, sep: ',' | '.'): string {
  const t = Math.max(0, Math.round(ms));
  const h = Math.floor(t / 3_600_000);
  const m = Math.floor((t % 3_600_000) / 60_000);
  const s = Math.floor((t % 60_000) / 1000);
  const f = t % 1000;
  return `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}${sep}${String(f).padStart(3, '0')}`;
}

/** "-->" inside text would read as a timing line; a blank line would end the cue. */
function safeLine(line: string): string {
  return line.replace(/-->/g, '->').replace(/\s+/g, ' ').trim();
}

export function writeSrt(cues: Array<{ start_ms: number; end_ms: number; lines: string[] }>): string {
  return cues
    .map(
      (c, i) =>
        `${i + 1}\n${clock(c.start_ms, ',')} --> ${clock(c.end_ms, ',')}\n${c.lines.map(safeLine).join('\n')}\n`,
    )
    .join('\n');
}

function vttEscape(line: string): string {
  return safeLine(line).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function writeVtt(cues: Array<{ start_ms: number; end_ms: number; lines: string[] }>): string {
  const body = cues
    .map(
      (c) => `${clock(c.start_ms, '.')} --> ${clock(c.end_ms, '.')}\n${c.lines.map(vttEscape).join('\n')}\n`,
    )
    .join('\n');
  return `WEBVTT\n\n${body}`;
}

const TIMING = /^(\d{2,}):(\d{2}):(\d{2})([,.])(\d{3})\s+-->\s+(\d{2,}):(\d{2}):(\d{2})([,.])(\d{3})(\s.*)?$/;

function toMs(h: string, m: string, s: string, f: string): number {
  return ((Number(h) * 60 + Number(m)) * 60 + Number(s)) * 1000 + Number(f);
}

function parseBlocks(text: string, sep: ',' | '.'): ParsedCue[] {
  const cues: ParsedCue[] = [];
  const blocks = text.replace(/\r\n?/g, '\n').split(/\n{2,}/);
  for (const block of blocks) {
    const lines = block.split('\n').filter((l) => l !== '');
    const t = lines.findIndex((l) => TIMING.test(l));
    if (t < 0) continue;
    const m = TIMING.exec(lines[t]!)!;
    if (m[4] !== sep || m[9] !== sep)
      throw new Error(
        `timing line uses "${m[4]}" where ${sep === ',' ? 'SRT' : 'WebVTT'} needs "${sep}": ${lines[t]}`,
      );
    cues.push({
      start_ms: toMs(m[1]!, m[2]!, m[3]!, m[5]!),
      end_ms: toMs(m[6]!, m[7]!, m[8]!, m[10]!),
      lines: lines.slice(t + 1),
    });
  }
  return cues;
}

/** Strict enough to catch our own mistakes: numbered blocks, `,` before the milliseconds. */
export function parseSrt(text: string): ParsedCue[] {
  return parseBlocks(text, ',');
}

/** Needs the WEBVTT header and `.` before the milliseconds; entities in text are decoded. */
export function parseVtt(text: string): ParsedCue[] {
  if (!/^(\uFEFF)?WEBVTT(\s|$)/.test(text)) throw new Error('not a WebVTT file: it must start with "WEBVTT"');
  return parseBlocks(text.replace(/^(\uFEFF)?WEBVTT[^\n]*\n/, ''), '.').map((c) => ({
    ...c,
    lines: c.lines.map((l) => l.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&')),
  }));
}
