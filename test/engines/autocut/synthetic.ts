/** Synthetic analysis artifacts for the pure planners: loudness and speech windows laid out by hand. */
import type { AudioSemanticTimeline } from '../../../src/engines/audio-semantic/index.js';

export interface Span {
  start_ms: number;
  end_ms: number;
  /** Momentary loudness inside the span; outside every span the level is -60 LUFS. */
  lufs: number;
  speech?: boolean;
}

export function syntheticAudio(durationMs: number, spans: Span[], stepMs = 100): AudioSemanticTimeline {
  const loudness = [];
  for (let t = stepMs; t <= durationMs; t += stepMs) {
    // A point ends a 400 ms window: its level is the span holding the window centre.
    const c = t - 200;
    const s = spans.find((x) => c >= x.start_ms && c < x.end_ms);
    loudness.push({ t_ms: t, momentary_lufs: s ? s.lufs : -60, short_term_lufs: null });
  }
  const windows: AudioSemanticTimeline['windows'] = [];
  let t = 0;
  for (const s of [...spans].filter((x) => x.speech !== false).sort((a, b) => a.start_ms - b.start_ms)) {
    if (s.start_ms > t) windows.push({ start_ms: t, end_ms: s.start_ms, kind: 'silence', confidence: 1 });
    windows.push({ start_ms: s.start_ms, end_ms: s.end_ms, kind: 'speech', confidence: 0.9 });
    t = s.end_ms;
  }
  if (t < durationMs) windows.push({ start_ms: t, end_ms: durationMs, kind: 'silence', confidence: 1 });
  return {
    duration_ms: durationMs,
    windows,
    loudness,
    loudness_step_ms: stepMs,
    peaks: [],
    integrated_lufs: -25,
    sample_peak_dbfs: -3,
  };
}

/** Shift spans given on the common clock to a camera's media time (offset: media + offset = common). */
export function toLocal(spans: Span[], offsetMs: number): Span[] {
  return spans.map((s) => ({ ...s, start_ms: s.start_ms - offsetMs, end_ms: s.end_ms - offsetMs }));
}
