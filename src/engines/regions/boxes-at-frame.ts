/**
 * Face boxes at any video frame, from a summary sampled every few hundred ms: linear interpolation between
 * the two samples around the frame, per track. A track is present from its first to its last sample (held
 * samples included, so a short detector miss is no gap), extended by half a sample interval at both ends so
 * the frames nearest a sample are covered too; outside that it is absent.
 */
import { lerpBox, roundBox } from './box-math.js';
import type { Box, FaceRegions, RegionSummary, SummaryFace } from './types.js';

export type FrameTime = { frameIndex: number } | { tMs: number };

export interface FaceAtFrame {
  track_id: string;
  box: Box;
  regions: FaceRegions;
}

interface TrackEntry {
  t: number;
  face: SummaryFace;
}

const index = new WeakMap<RegionSummary, Map<string, TrackEntry[]>>();

function tracksOf(summary: RegionSummary): Map<string, TrackEntry[]> {
  let byTrack = index.get(summary);
  if (!byTrack) {
    byTrack = new Map();
    for (const s of [...summary.samples].sort((a, b) => a.t_ms - b.t_ms)) {
      for (const face of s.faces) {
        const list = byTrack.get(face.track_id) ?? [];
        list.push({ t: s.t_ms, face });
        byTrack.set(face.track_id, list);
      }
    }
    index.set(summary, byTrack);
  }
  return byTrack;
}

function lerpRegions(a: FaceRegions, b: FaceRegions, f: number): FaceRegions {
  const out: FaceRegions = { face: roundBox(lerpBox(a.face, b.face, f)) };
  if (a.eyes && b.eyes) out.eyes = roundBox(lerpBox(a.eyes, b.eyes, f));
  if (a.mouth && b.mouth) out.mouth = roundBox(lerpBox(a.mouth, b.mouth, f));
  return out;
}

export function boxesAtFrame(summary: RegionSummary, at: FrameTime): FaceAtFrame[] {
  const t = 'tMs' in at ? at.tMs : (at.frameIndex * 1000) / summary.fps;
  const half = summary.frame_sample_interval_ms / 2;
  const out: FaceAtFrame[] = [];
  for (const [trackId, entries] of tracksOf(summary)) {
    const first = entries[0]!;
    const last = entries[entries.length - 1]!;
    if (t < first.t - half || t > last.t + half) continue;
    let face: FaceAtFrame;
    if (t <= first.t) face = { track_id: trackId, box: first.face.box, regions: first.face.regions };
    else if (t >= last.t) face = { track_id: trackId, box: last.face.box, regions: last.face.regions };
    else {
      // Binary search for the last entry at or before t.
      let lo = 0;
      let hi = entries.length - 1;
      while (hi - lo > 1) {
        const mid = (lo + hi) >> 1;
        if (entries[mid]!.t <= t) lo = mid;
        else hi = mid;
      }
      const a = entries[lo]!;
      const b = entries[hi]!;
      const f = b.t === a.t ? 0 : (t - a.t) / (b.t - a.t);
      face = {
        track_id: trackId,
        box: roundBox(lerpBox(a.face.box, b.face.box, f)),
        regions: lerpRegions(a.face.regions, b.face.regions, f),
      };
    }
    out.push(face);
  }
  return out.sort((a, b) => Number(a.track_id.slice(1)) - Number(b.track_id.slice(1)));
}
