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

/** Rows as drawn: picture tracks top-first (they are stored bottom-first), then the audio tracks. */
export function displayOrder(seq: Timeline): Array<{ track: Track; index: number }> {
  const all = seq.tracks.map((track, index) => ({ track, index }));
  return [...all.filter((r) => r.track.kind !== 'audio').reverse(), ...all.filter((r) => r.track.kind === 'audio')];
}

const pad = (n: number) => String(n).padStart(2, '0');

/** SMPTE-style HH:MM:SS:FF at 30 fps (the preview and draft profiles' rate). */
export function formatTime(ms: number): string {
  const total = Math.max(0, Math.round(ms));
  const h = Math.floor(total / 3_600_000);
  const m = Math.floor((total % 3_600_000) / 60000);
  const s = Math.floor((total % 60000) / 1000);
  const f = Math.floor((total % 1000) / (1000 / 30));
  return `${pad(h)}:${pad(m)}:${pad(s)}:${pad(f)}`;
}

/** Short M:SS (or M:SS.s below one-second ticks) for ruler labels and durations. */
export function formatShort(ms: number, tenths = false): string {
  const total = Math.max(0, Math.round(ms));
  const m = Math.floor(total / 60000);
  const s = (total % 60000) / 1000;
  return `${m}:${tenths ? s.toFixed(1).padStart(4, '0') : pad(Math.floor(s))}`;
}
