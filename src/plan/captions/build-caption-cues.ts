/**
 * Broadcast caption lines from word timings: at most 42 characters per line and 2 lines per caption, each
 * caption 1–7 s on screen, breaks preferred at sentence/clause punctuation and at pauses, never inside a word
 * (BBC/Netflix subtitle guidelines use these numbers). Pure: the same words give the same cues.
 */
import { isRecogniserToken, type TranscriptWord } from './transcript.js';

export interface CaptionRules {
  maxCharsPerLine: number;
  maxLines: number;
  minDurationMs: number;
  maxDurationMs: number;
  /** A silence longer than this between two words ends a caption. */
  pauseMs: number;
  /** Two captions are merged (to reach minDurationMs) only across a silence shorter than this. */
  maxMergeGapMs: number;
}

export const BROADCAST_RULES: CaptionRules = {
  maxCharsPerLine: 42,
  maxLines: 2,
  minDurationMs: 1000,
  maxDurationMs: 7000,
  pauseMs: 300,
  maxMergeGapMs: 1000,
};

export interface CaptionCue {
  start_ms: number;
  end_ms: number;
  /** 1..maxLines lines; a line is longer than maxCharsPerLine only when one word alone is. */
  lines: string[];
  words: TranscriptWord[];
}

export interface BuildCaptionCuesInput {
  /** Ordered by start time (transcriptWords() gives that). */
  words: TranscriptWord[];
  rules?: Partial<CaptionRules>;
}

const SENTENCE_END = /[.!?…]["'”’)\]]*$/;
const CLAUSE_END = /[,;:—–]["'”’)\]]*$/;

/**
 * Lays words out on at most `maxLines` lines of `maxChars`; null when they do not fit. Two lines are balanced
 * (a bottom-heavy pyramid reads best) with a bonus for breaking after punctuation.
 */
export function wrapCaptionLines({
  words,
  maxChars,
  maxLines,
}: {
  words: string[];
  maxChars: number;
  maxLines: number;
}): string[] | null {
  if (words.length === 0) return [];
  const one = words.join(' ');
  if (one.length <= maxChars || words.length === 1) return [one];
  if (maxLines < 2) return null;
  if (maxLines === 2) {
    let best: { lines: string[]; score: number } | null = null;
    for (let k = 1; k < words.length; k += 1) {
      const a = words.slice(0, k).join(' ');
      const b = words.slice(k).join(' ');
      if (a.length > maxChars || b.length > maxChars) continue;
      const prev = words[k - 1] ?? '';
      const punct = SENTENCE_END.test(prev) ? 30 : CLAUSE_END.test(prev) ? 15 : 0;
      // Prefer the longer line at the bottom on ties: less of the picture is covered up high.
      const score = Math.abs(a.length - b.length) - punct + (a.length > b.length ? 1 : 0);
      if (best === null || score < best.score) best = { lines: [a, b], score };
    }
    return best?.lines ?? null;
  }
  // More than two lines: greedy fill.
  const lines: string[] = [];
  let cur = '';
  for (const w of words) {
    if (cur === '') cur = w;
    else if (cur.length + 1 + w.length <= maxChars) cur = `${cur} ${w}`;
    else {
      lines.push(cur);
      cur = w;
    }
  }
  lines.push(cur);
  return lines.length <= maxLines ? lines : null;
}

function fits(words: TranscriptWord[], rules: CaptionRules): boolean {
  return (
    wrapCaptionLines({
      words: words.map((w) => w.word),
      maxChars: rules.maxCharsPerLine,
      maxLines: rules.maxLines,
    }) !== null
  );
}

function cueOf(words: TranscriptWord[], rules: CaptionRules): CaptionCue {
  const first = words[0]!;
  const last = words[words.length - 1]!;
  return {
    start_ms: first.start_ms,
    end_ms: Math.max(last.end_ms, first.start_ms + 1),
    lines: wrapCaptionLines({
      words: words.map((w) => w.word),
      maxChars: rules.maxCharsPerLine,
      maxLines: rules.maxLines,
    })!,
    words,
  };
}

export function buildCaptionCues({ words: input, rules: partial }: BuildCaptionCuesInput): CaptionCue[] {
  const rules: CaptionRules = { ...BROADCAST_RULES, ...partial };
  const words = input
    .map((w) => ({ ...w, word: w.word.replace(/\s+/g, ' ').trim() }))
    .filter((w) => w.word !== '' && !isRecogniserToken(w.word));
  // A word with spaces inside (rare: an aligned token like "e. g.") is still one word: keep it whole.
  const groups: TranscriptWord[][] = [];
  let cur: TranscriptWord[] = [];
  for (const w of words) {
    const first = cur[0];
    const prev = cur[cur.length - 1];
    if (first && prev) {
      const chars = cur.map((x) => x.word).join(' ').length;
      const breakHere =
        w.start_ms - prev.end_ms > rules.pauseMs ||
        SENTENCE_END.test(prev.word) ||
        (CLAUSE_END.test(prev.word) && chars >= rules.maxCharsPerLine * 0.6) ||
        w.end_ms - first.start_ms > rules.maxDurationMs ||
        !fits([...cur, w], rules);
      if (breakHere) {
        groups.push(cur);
        cur = [];
      }
    }
    cur.push(w);
  }
  if (cur.length > 0) groups.push(cur);

  const cues = groups.map((g) => cueOf(g, rules));
  const canMerge = (a: CaptionCue, b: CaptionCue): boolean =>
    b.start_ms - a.end_ms <= rules.maxMergeGapMs &&
    b.end_ms - a.start_ms <= rules.maxDurationMs &&
    fits([...a.words, ...b.words], rules);

  // Too-short captions: merge with a neighbour when the result still obeys the rules, else stay on screen
  // longer (pushing the next caption's start when needed, so captions never overlap).
  let i = 0;
  while (i < cues.length) {
    const c = cues[i]!;
    if (c.end_ms - c.start_ms < rules.minDurationMs) {
      const next = cues[i + 1];
      const prev = cues[i - 1];
      if (next && canMerge(c, next)) {
        cues.splice(i, 2, { ...cueOf([...c.words, ...next.words], rules), start_ms: c.start_ms });
        continue;
      }
      if (prev && canMerge(prev, c)) {
        cues.splice(i - 1, 2, { ...cueOf([...prev.words, ...c.words], rules), start_ms: prev.start_ms });
        i -= 1;
        continue;
      }
      c.end_ms = c.start_ms + rules.minDurationMs;
    }
    if (c.end_ms - c.start_ms > rules.maxDurationMs) c.end_ms = c.start_ms + rules.maxDurationMs;
    const next = cues[i + 1];
    if (next && next.start_ms < c.end_ms) next.start_ms = c.end_ms;
    i += 1;
  }
  return cues;
}

/**
 * Short phrases for pop-style captions: 2–4 words each, cut at pauses and punctuation once a phrase has two
 * words. A silence longer than `holdMaxMs` always cuts (a lone word then stands alone rather than staying on
 * screen through the silence), and a transcript of one word gives one one-word phrase.
 */
export function groupPhrases({
  words,
  minWords = 2,
  maxWords = 4,
  pauseMs = BROADCAST_RULES.pauseMs,
  holdMaxMs = 1000,
  maxChars = 24,
}: {
  words: TranscriptWord[];
  minWords?: number;
  maxWords?: number;
  pauseMs?: number;
  holdMaxMs?: number;
  maxChars?: number;
}): TranscriptWord[][] {
  const out: TranscriptWord[][] = [];
  let cur: TranscriptWord[] = [];
  const close = () => {
    const last = out[out.length - 1];
    const lastEnd = last?.[last.length - 1]?.end_ms;
    const joinable = last && lastEnd !== undefined && (cur[0]?.start_ms ?? 0) - lastEnd <= holdMaxMs;
    if (cur.length < minWords && last && joinable) {
      // Too short: join the previous phrase, or take its last word so both keep ≥ minWords.
      if (last.length + cur.length <= maxWords) last.push(...cur);
      else if (last.length > minWords) {
        cur.unshift(last.pop()!);
        out.push(cur);
      } else out.push(cur);
    } else if (cur.length > 0) out.push(cur);
    cur = [];
  };
  for (const w of words) {
    const prev = cur[cur.length - 1];
    if (prev) {
      const gap = w.start_ms - prev.end_ms;
      const chars = [...cur, w].map((x) => x.word).join(' ').length;
      const natural = gap > pauseMs || SENTENCE_END.test(prev.word) || CLAUSE_END.test(prev.word);
      if (
        gap > holdMaxMs ||
        cur.length >= maxWords ||
        (cur.length >= minWords && (natural || chars > maxChars))
      )
        close();
    }
    cur.push(w);
  }
  if (cur.length > 0) close();
  return out;
}
