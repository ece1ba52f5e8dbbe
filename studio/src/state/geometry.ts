/** Read-only helpers over a sequence for drawing: where items sit, the cuts, snap points. No edits here. */
import { clipTimelineDurationMs } from '../../../src/timeline/validate';
import type { MediaClip, Media, Timeline } from './ops';

export type Track = Timeline['tracks'][number];

export interface ItemBox {
  id: string;
  start_ms: number;
  end_ms: number;
  label: string;
  kind: 'clip' | 'text' | 'caption';
  clip?: MediaClip;
}

const CAPTION_FALLBACK_MS = 10_000;

export function clipEnd(clip: MediaClip, media: Media): number {
  const d = clipTimelineDurationMs(clip, media[clip.asset_id]?.duration_ms) ?? 1000;
  return clip.start_ms + d;
}

export function itemsOf(track: Track, media: Media, names: Record<string, string>): ItemBox[] {
  if (track.kind === 'text')
    return track.items.map((t) => ({
      id: t.id,
      start_ms: t.start_ms,
      end_ms: t.start_ms + t.duration_ms,
      label: t.text,
      kind: 'text',
    }));
  if (track.kind === 'caption')
    return track.items.map((c) => ({
      id: c.id,
      start_ms: c.start_ms,
      end_ms: c.start_ms + CAPTION_FALLBACK_MS,
      label: `Captions · ${c.style}`,
      kind: 'caption',
    }));
  return track.clips.map((c) => ({
    id: c.id,
    start_ms: c.start_ms,
    end_ms: clipEnd(c, media),
    label: names[c.asset_id] ?? c.asset_id,
    kind: 'clip',
    clip: c,
  }));
}

export function sequenceEnd(seq: Timeline, media: Media): number {
  let end = seq.duration_ms ?? 0;
  for (const track of seq.tracks) for (const it of itemsOf(track, media, {})) end = Math.max(end, it.end_ms);
  return end;
}

/** Butt joins on a media track: where a transition can go. */
export function cutsOf(track: Track, media: Media): Array<{ from: string; to: string; at_ms: number }> {
  if (track.kind === 'text' || track.kind === 'caption') return [];
  const sorted = [...track.clips].sort((a, b) => a.start_ms - b.start_ms);
  const out: Array<{ from: string; to: string; at_ms: number }> = [];
  for (let i = 1; i < sorted.length; i++) {
    const a = sorted[i - 1]!;
    const b = sorted[i]!;
    if (clipEnd(a, media) === b.start_ms) out.push({ from: a.id, to: b.id, at_ms: b.start_ms });
  }
  return out;
}

/** Every edge on the timeline plus the playhead and markers, sorted: what a drag snaps to. */
export function snapPoints(seq: Timeline, media: Media, exclude: ReadonlySet<string>, playheadMs: number): number[] {
  const pts = new Set<number>([0, playheadMs]);
  for (const track of seq.tracks)
    for (const it of itemsOf(track, media, {})) {
      if (exclude.has(it.id)) continue;
      pts.add(it.start_ms);
      pts.add(it.end_ms);
    }
  const markers = (seq as { markers?: Array<{ time_ms: number }> }).markers ?? [];
  for (const m of markers) pts.add(m.time_ms);
  return [...pts].sort((a, b) => a - b);
}

/** The nearest snap point within `radiusMs` of `t`, or null. Binary search: 500 clips snap in microseconds. */
export function nearestSnap(points: number[], t: number, radiusMs: number): number | null {
  let lo = 0;
  let hi = points.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (points[mid]! < t) lo = mid + 1;
    else hi = mid;
  }
  let best: number | null = null;
  for (const i of [lo - 1, lo]) {
    const p = points[i];
    if (p === undefined) continue;
    if (Math.abs(p - t) <= radiusMs && (best === null || Math.abs(p - t) < Math.abs(best - t))) best = p;
  }
  return best;
}

export function formatTime(ms: number): string {
  const total = Math.max(0, Math.round(ms));
  const m = Math.floor(total / 60000);
  const s = Math.floor((total % 60000) / 1000);
  const f = Math.floor((total % 1000) / (1000 / 30));
  return `${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}:${String(f).padStart(2, '0')}`;
}
