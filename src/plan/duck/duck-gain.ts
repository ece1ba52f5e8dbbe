/**
 * Ducking as gain automation: the ducked track's gain falls to `depth_db` over `attack_ms` BEFORE each speech
 * span (the windows are known in advance, so the music is already down when the first syllable lands) and
 * recovers over `release_ms` after it. Spans closer than attack + release are one span: the music does not
 * bob up in a breath. Returned as keyframes (timeline ms) for keyframeExpr, so expression limits are handled
 * there.
 */
import type { Keyframe } from '../../timeline/index.js';
import type { TimeSpan } from './speech-on-timeline.js';

export function duckKeyframes(input: {
  spans: readonly TimeSpan[];
  depthDb: number;
  attackMs: number;
  releaseMs: number;
}): Keyframe[] {
  const { attackMs: a, releaseMs: r } = input;
  const low = 10 ** (input.depthDb / 20);
  const merged: TimeSpan[] = [];
  for (const s of input.spans) {
    const last = merged[merged.length - 1];
    if (last && s.start_ms - last.end_ms < a + r) last.end_ms = Math.max(last.end_ms, s.end_ms);
    else merged.push({ ...s });
  }
  const keys: Keyframe[] = [];
  const push = (t: number, value: number) => {
    const t_ms = Math.max(0, Math.round(t));
    const prev = keys[keys.length - 1];
    if (prev && t_ms <= prev.t_ms) {
      // A span starting within the attack of time 0: start already ducked.
      prev.value = value;
      return;
    }
    keys.push({ t_ms, value, easing: 'linear' });
  };
  for (const s of merged) {
    push(s.start_ms - a, 1);
    push(s.start_ms, low);
    push(s.end_ms, low);
    push(s.end_ms + r, 1);
  }
  return keys;
}
