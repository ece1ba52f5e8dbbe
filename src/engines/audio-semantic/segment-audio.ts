/**
 * Speech / music / silence windows from per-window VAD probabilities and levels. Pure.
 *
 * Speech: Silero's hysteresis (speech starts at p ≥ threshold, ends after p < threshold − 0.15 for
 * minSilenceMs; segments shorter than minSpeechMs are dropped; padded by speechPadMs).
 * Silero's probability lags the end of a word by ~100-150 ms and room tone keeps it up, so span ends are then
 * trimmed to the windows louder than the quiet level (below).
 * Silence vs music for the rest — a documented HEURISTIC, not a classifier: the quiet level is the larger of
 * silenceDb and (median speech level − quietBelowSpeechDb); a window below it is silence (room tone, breath,
 * far-away background); any other non-speech sound is called music, with a confidence from its tonality
 * (1 − spectral flatness) and its distance from the speech threshold. Non-speech runs shorter than minRunMs
 * are merged into a non-speech neighbour (else the run before).
 */
import type { SpectralFrame } from './spectral-features.js';

export type AudioKind = 'speech' | 'music' | 'silence';

export interface AudioWindow {
  start_ms: number;
  end_ms: number;
  kind: AudioKind;
  confidence: number;
}

export interface SegmentAudioOptions {
  threshold?: number;
  minSpeechMs?: number;
  minSilenceMs?: number;
  speechPadMs?: number;
  silenceDb?: number;
  quietBelowSpeechDb?: number;
  minRunMs?: number;
}

export const SEGMENT_DEFAULTS = {
  threshold: 0.5,
  minSpeechMs: 250,
  minSilenceMs: 300,
  speechPadMs: 30,
  silenceDb: -50,
  quietBelowSpeechDb: 20,
  minRunMs: 200,
} as const satisfies Required<SegmentAudioOptions>;

export interface SegmentAudioInput {
  /** Speech probability per analysis window. */
  probs: readonly number[];
  spectral: readonly SpectralFrame[];
  /** Length of one analysis window in ms (32 for 512 samples at 16 kHz). */
  frameMs: number;
  /** Total duration (the last window ends here). */
  durationMs: number;
  options?: SegmentAudioOptions;
}

const r3 = (x: number) => Math.round(x * 1000) / 1000;

function median(values: number[]): number {
  const v = [...values].sort((a, b) => a - b);
  const m = v.length >> 1;
  return v.length % 2 === 1 ? v[m]! : (v[m - 1]! + v[m]!) / 2;
}

/** Silero-style speech spans in ms. */
export function speechSpans(
  probs: readonly number[],
  frameMs: number,
  durationMs: number,
  o: Required<SegmentAudioOptions>,
): Array<[number, number]> {
  const neg = Math.max(0.01, o.threshold - 0.15);
  const spans: Array<[number, number]> = [];
  let start = -1;
  let quietSince = -1;
  for (let i = 0; i < probs.length; i++) {
    const p = probs[i]!;
    if (start < 0) {
      if (p >= o.threshold) {
        start = i;
        quietSince = -1;
      }
      continue;
    }
    if (p >= o.threshold) quietSince = -1;
    else if (p < neg) {
      if (quietSince < 0) quietSince = i;
      if ((i + 1 - quietSince) * frameMs >= o.minSilenceMs) {
        spans.push([start * frameMs, quietSince * frameMs]);
        start = -1;
        quietSince = -1;
      }
    }
  }
  if (start >= 0) spans.push([start * frameMs, (quietSince >= 0 ? quietSince : probs.length) * frameMs]);
  const kept = spans
    .filter(([s, e]) => e - s >= o.minSpeechMs)
    .map(([s, e]): [number, number] => [
      Math.max(0, s - o.speechPadMs),
      Math.min(durationMs, e + o.speechPadMs),
    ]);
  // Padding may make neighbours touch: merge them.
  const merged: Array<[number, number]> = [];
  for (const s of kept) {
    const last = merged[merged.length - 1];
    if (last && s[0] <= last[1]) last[1] = Math.max(last[1], s[1]);
    else merged.push([...s]);
  }
  return merged;
}

export function segmentAudio({
  probs,
  spectral,
  frameMs,
  durationMs,
  options = {},
}: SegmentAudioInput): AudioWindow[] {
  const o = { ...SEGMENT_DEFAULTS, ...options };
  const n = probs.length;
  if (n === 0 || durationMs <= 0) return [];
  const spans = speechSpans(probs, frameMs, durationMs, { ...o, speechPadMs: 0 });
  const inSpeech: number[] = [];
  for (const [s, e] of spans)
    for (let i = Math.floor(s / frameMs); i < Math.min(n, Math.ceil(e / frameMs)); i++)
      inSpeech.push(spectral[i]!.rms_db);
  const quietDb =
    inSpeech.length > 0 ? Math.max(o.silenceDb, median(inSpeech) - o.quietBelowSpeechDb) : o.silenceDb;
  const labels: AudioKind[] = new Array<AudioKind>(n);
  for (let i = 0; i < n; i++) labels[i] = spectral[i]!.rms_db < quietDb ? 'silence' : 'music';
  for (const [s, e] of spans) {
    let a = Math.floor(s / frameMs);
    let b = Math.min(n, Math.ceil(e / frameMs)) - 1;
    while (a < b && spectral[a]!.rms_db < quietDb) a++;
    while (b > a && spectral[b]!.rms_db < quietDb) b--;
    const from = Math.max(0, Math.floor((a * frameMs - o.speechPadMs) / frameMs));
    const to = Math.min(n - 1, Math.ceil(((b + 1) * frameMs + o.speechPadMs) / frameMs) - 1);
    for (let i = from; i <= to; i++) labels[i] = 'speech';
  }
  // Runs of frames.
  type Run = { kind: AudioKind; from: number; to: number };
  let runs: Run[] = [];
  for (let i = 0; i < n; i++) {
    const last = runs[runs.length - 1];
    if (last && last.kind === labels[i]) last.to = i + 1;
    else runs.push({ kind: labels[i]!, from: i, to: i + 1 });
  }
  // Merge short non-speech runs into a neighbour (speech spans already obey their own minimums).
  const minFrames = Math.ceil(o.minRunMs / frameMs);
  let changed = true;
  while (changed && runs.length > 1) {
    changed = false;
    const next: Run[] = [];
    for (let k = 0; k < runs.length; k++) {
      const r = runs[k]!;
      if (r.kind !== 'speech' && r.to - r.from < minFrames) {
        const prev = next[next.length - 1];
        const after = runs[k + 1];
        if (prev && (prev.kind !== 'speech' || after === undefined || after.kind === 'speech')) {
          prev.to = r.to;
          changed = true;
          continue;
        }
        if (after) {
          after.from = r.from;
          changed = true;
          continue;
        }
      }
      const prev = next[next.length - 1];
      if (prev && prev.kind === r.kind) prev.to = r.to;
      else next.push({ ...r });
    }
    runs = next;
  }
  return runs.map((r, k) => {
    let conf = 0;
    const m = r.to - r.from;
    for (let i = r.from; i < r.to; i++) {
      const p = probs[i]!;
      const sp = spectral[i]!;
      if (r.kind === 'speech') conf += p;
      else if (r.kind === 'silence') conf += Math.min(1, Math.max(0.5, 0.5 + (o.silenceDb - sp.rms_db) / 20));
      // Heuristic music confidence: tonal and clearly not speech; never above 0.8.
      else conf += 0.8 * Math.min(1, Math.max(0, 1 - sp.flatness)) * (1 - Math.min(1, p / o.threshold));
    }
    return {
      start_ms: Math.round(r.from * frameMs),
      end_ms: k === runs.length - 1 ? durationMs : Math.round(r.to * frameMs),
      kind: r.kind,
      confidence: r3(conf / m),
    };
  });
}
