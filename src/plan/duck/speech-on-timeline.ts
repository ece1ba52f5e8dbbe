/**
 * When a set of tracks carries speech, on timeline time: each audible clip's speech windows (from its asset's
 * audio_semantic_timeline artifact) cut to the clip's source range and moved to where the clip sits. A clip
 * whose asset has no such artifact is reported in `unknown`, so the caller can fall back or warn.
 */
import type { MediaClip, Track } from '../../timeline/index.js';
import { clipTimelineDurationMs, isClipMuted } from '../../timeline/index.js';
import type { PlanArtifact, PlanSource } from '../types.js';

export interface TimeSpan {
  start_ms: number;
  end_ms: number;
}

interface AudioWindowLike {
  start_ms: number;
  end_ms: number;
  kind: string;
}

/** The speech windows of an asset's audio_semantic_timeline in the plan (lowest artifact id, for determinism). */
export function speechWindowsOf(
  artifacts: Record<string, PlanArtifact> | undefined,
  assetId: string,
): { artifact: PlanArtifact; windows: TimeSpan[] } | undefined {
  const found = Object.values(artifacts ?? {})
    .filter((a) => a.kind === 'audio_semantic_timeline' && a.asset_id === assetId && a.data !== undefined)
    .sort((a, b) => (a.id < b.id ? -1 : 1))[0];
  if (!found) return undefined;
  const data = found.data as { windows?: AudioWindowLike[] };
  if (!Array.isArray(data.windows)) return undefined;
  const windows = data.windows
    .filter((w) => w.kind === 'speech' && Number.isFinite(w.start_ms) && Number.isFinite(w.end_ms))
    .map((w) => ({ start_ms: w.start_ms, end_ms: w.end_ms }));
  return { artifact: found, windows };
}

function clipSpans(clip: MediaClip, source: PlanSource, windows: TimeSpan[]): TimeSpan[] {
  const srcDur = source.info.audio?.duration_ms ?? source.info.duration_ms;
  const dur = clipTimelineDurationMs(clip, srcDur);
  if (dur === undefined || dur <= 0) return [];
  const inMs = clip.in_ms;
  const outMs = inMs + dur * clip.speed;
  const out: TimeSpan[] = [];
  for (const w of windows) {
    const a = Math.max(w.start_ms, inMs);
    const b = Math.min(w.end_ms, outMs);
    if (b <= a) continue;
    const map = (t: number) => (clip.reverse ? outMs - t : t - inMs) / clip.speed + clip.start_ms;
    const s = clip.reverse ? map(b) : map(a);
    const e = clip.reverse ? map(a) : map(b);
    out.push({ start_ms: s, end_ms: e });
  }
  return out;
}

export function speechOnTimeline(input: {
  tracks: readonly Track[];
  trackIndexes: readonly number[];
  sources: Record<string, PlanSource>;
  artifacts?: Record<string, PlanArtifact>;
}): { spans: TimeSpan[]; unknownAssets: string[]; usedArtifacts: string[] } {
  const spans: TimeSpan[] = [];
  const unknown = new Set<string>();
  const used = new Set<string>();
  for (const ti of input.trackIndexes) {
    const track = input.tracks[ti]!;
    if (track.kind === 'text' || track.kind === 'caption' || track.muted) continue;
    for (const clip of track.clips) {
      const source = input.sources[clip.asset_id];
      if (!source?.info.audio || isClipMuted(clip) || clip.volume === 0 || clip.freeze_at_ms !== undefined) continue;
      const speech = speechWindowsOf(input.artifacts, clip.asset_id);
      if (!speech) {
        unknown.add(clip.asset_id);
        continue;
      }
      used.add(speech.artifact.id);
      spans.push(...clipSpans(clip, source, speech.windows));
    }
  }
  spans.sort((a, b) => a.start_ms - b.start_ms || a.end_ms - b.end_ms);
  return { spans, unknownAssets: [...unknown].sort(), usedArtifacts: [...used].sort() };
}
