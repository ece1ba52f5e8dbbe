// Shared fixtures for the edit-op tests: small parsed documents, a deep freeze (so any mutation of an op's input
// throws), and a check that an op's output is a valid, already-normalised timeline.
import assert from 'node:assert/strict';
import { isCutroomError, type ErrorCode } from '../../../src/errors.js';
import { parseTimeline, type Timeline, type TimelineInput } from '../../../src/timeline/index.js';

export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/** Parse and freeze: the ops get a document they cannot mutate without throwing. */
export function doc(input: TimelineInput): Timeline {
  return deepFreeze(parseTimeline(input));
}

/** The output passes validation and re-parsing it changes nothing (no missing defaults, no stray fields). */
export function assertValid(out: Timeline): void {
  const reparsed = parseTimeline(JSON.parse(JSON.stringify(out)));
  assert.deepEqual(reparsed, JSON.parse(JSON.stringify(out)));
}

export function assertCode(fn: () => unknown, code: ErrorCode, reason?: string): Record<string, unknown> {
  try {
    fn();
  } catch (err) {
    assert.ok(isCutroomError(err), `expected a coded error, got ${String(err)}`);
    assert.equal(err.code, code, err.message);
    if (reason !== undefined) assert.equal(err.details.reason, reason, err.message);
    return err.details;
  }
  assert.fail(`expected ${code}`);
}

export function clip(
  id: string,
  start: number,
  inMs: number,
  out: number,
  extra: Record<string, unknown> = {},
) {
  return { id, asset_id: 'src', start_ms: start, in_ms: inMs, out_ms: out, ...extra };
}

/** Two butt-joined 4 s clips (a: 0–4000, b: 4000–8000) with a 1 s crossfade, an audio track and a text track. */
export function twoClips(): Timeline {
  return doc({
    tracks: [
      {
        id: 'v1',
        kind: 'video',
        clips: [clip('a', 0, 1000, 5000), clip('b', 4000, 2000, 6000)],
        transitions: [{ id: 'x', type: 'crossfade', from_clip_id: 'a', to_clip_id: 'b', duration_ms: 1000 }],
      },
      { id: 'a1', kind: 'audio', clips: [{ id: 'music', asset_id: 'song', start_ms: 0, out_ms: 8000 }] },
      { id: 't1', kind: 'text', items: [{ id: 'title', start_ms: 500, duration_ms: 2000, text: 'Hello' }] },
    ],
  });
}

export const MEDIA = {
  src: { duration_ms: 10_000, kind: 'video' as const },
  song: { duration_ms: 20_000, kind: 'audio' as const },
};

export function clipsOf(t: Timeline, trackId: string) {
  const track = t.tracks.find((x) => x.id === trackId)!;
  assert.ok(track.kind === 'video' || track.kind === 'overlay' || track.kind === 'audio');
  return track.clips;
}

export function transitionsOf(t: Timeline, trackId: string) {
  const track = t.tracks.find((x) => x.id === trackId)!;
  assert.ok(track.kind === 'video' || track.kind === 'overlay' || track.kind === 'audio');
  return track.transitions;
}

export function itemsOf(t: Timeline, trackId: string) {
  const track = t.tracks.find((x) => x.id === trackId)!;
  assert.ok(track.kind === 'text' || track.kind === 'caption');
  return track.items;
}
