/**
 * Forced alignment helpers (pure): the script is cut into display words (kept with their punctuation, for the
 * captions) and recogniser units (lower-case dictionary words); a JSGF grammar that accepts exactly the unit
 * sequence makes pocketsphinx find only *where* each word is, not *what* it is. Words missing from the
 * dictionary get a crude letter-to-phone pronunciation so alignment still runs (their times are rougher).
 */
import type { TranscriptWord } from '../../plan/captions/transcript.js';

export interface ScriptToken {
  /** As written, e.g. `Dashwood,`. */
  display: string;
  /** Dictionary words, e.g. ['dashwood']; `cold-hearted` → ['cold', 'hearted'], `42` → ['four', 'two']. */
  units: string[];
}

const DIGITS = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'];

function unitsOf(word: string): string[] {
  const plain = word
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[’‘`]/g, "'");
  const out: string[] = [];
  for (const piece of plain.split(/[^a-z0-9']+/)) {
    const p = piece.replace(/^'+|'+$/g, '');
    if (p === '') continue;
    // Digits are read one by one: crude, but the grammar needs words and the times stay usable.
    for (const part of p.split(/(\d)/)) {
      if (part === '') continue;
      if (/^\d$/.test(part)) out.push(DIGITS[Number(part)]!);
      else out.push(part);
    }
  }
  return out;
}

export function tokenizeScript(text: string): ScriptToken[] {
  const tokens: ScriptToken[] = [];
  for (const display of text.split(/\s+/).filter((t) => t !== '')) {
    const units = unitsOf(display);
    const prev = tokens[tokens.length - 1];
    // Pure punctuation ("—", "...") is shown with the word before it; it takes no time of its own.
    if (units.length === 0 && prev) prev.display = `${prev.display} ${display}`;
    else tokens.push({ display, units });
  }
  // A leading punctuation-only token joins the first real word.
  const first = tokens[0];
  const second = tokens[1];
  if (first && first.units.length === 0 && second) {
    second.display = `${first.display} ${second.display}`;
    tokens.shift();
  }
  return tokens.filter((t) => t.units.length > 0);
}

const LETTER_PHONES: Record<string, string> = {
  a: 'AE',
  b: 'B',
  c: 'K',
  d: 'D',
  e: 'EH',
  f: 'F',
  g: 'G',
  h: 'HH',
  i: 'IH',
  j: 'JH',
  k: 'K',
  l: 'L',
  m: 'M',
  n: 'N',
  o: 'AA',
  p: 'P',
  q: 'K',
  r: 'R',
  s: 'S',
  t: 'T',
  u: 'AH',
  v: 'V',
  w: 'W',
  x: 'K S',
  y: 'Y',
  z: 'Z',
};

/** A letter-by-letter pronunciation for out-of-dictionary words (doubled letters collapsed). */
export function letterPhones(word: string): string {
  const letters = word.replace(/[^a-z]/g, '').replace(/(.)\1+/g, '$1');
  const phones = [...letters].map((c) => LETTER_PHONES[c]!).join(' ');
  return phones === '' ? 'AH' : phones;
}

/** JSGF accepting exactly the units in order (fillers/silence between words are added by the decoder). */
export function alignmentGrammar(units: string[]): string {
  return `#JSGF V1.0;\ngrammar script;\npublic <script> = ${units.join(' ')};\n`;
}

/** A dictionary for just these units: every pronunciation from `lookup`, else letterPhones. */
export function alignmentDictionary({
  units,
  lookup,
}: {
  units: string[];
  lookup: (word: string) => string[] | undefined;
}): { text: string; outOfVocabulary: string[] } {
  const lines: string[] = [];
  const oov: string[] = [];
  for (const unit of [...new Set(units)].sort()) {
    const prons = lookup(unit);
    if (!prons || prons.length === 0) {
      oov.push(unit);
      lines.push(`${unit} ${letterPhones(unit)}`);
      continue;
    }
    prons.forEach((p, i) => lines.push(`${i === 0 ? unit : `${unit}(${i + 1})`} ${p}`));
  }
  return { text: `${lines.join('\n')}\n`, outOfVocabulary: oov };
}

/**
 * Times of the script's display words from the aligned units (the decoder's words without fillers, in order).
 * Null when they do not match the script (the decoder gave up part-way).
 */
export function mapAlignedWords({
  tokens,
  aligned,
}: {
  tokens: ScriptToken[];
  aligned: Array<{ word: string; start_ms: number; end_ms: number }>;
}): TranscriptWord[] | null {
  const total = tokens.reduce((n, t) => n + t.units.length, 0);
  if (aligned.length !== total) return null;
  const out: TranscriptWord[] = [];
  let k = 0;
  for (const t of tokens) {
    const parts = aligned.slice(k, k + t.units.length);
    if (parts.some((p, i) => p.word !== t.units[i])) return null;
    k += t.units.length;
    out.push({
      start_ms: parts[0]!.start_ms,
      end_ms: parts[parts.length - 1]!.end_ms,
      word: t.display,
      confidence: 1,
    });
  }
  return out;
}
