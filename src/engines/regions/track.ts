/**
 * Associates per-sample detections into face tracks. Pure: same detections → same tracks, byte for byte.
 *
 * Each active track predicts where its face is now (constant velocity from its last two observations), and
 * detections are matched to predictions greedily by a cost mixing IoU and centroid distance (cheapest pair
 * first, ties broken by track and detection order). Prediction is what keeps ids right when two faces cross:
 * at the crossing both boxes overlap both detections, but each prediction is still closer to its own face.
 * A track the detector misses is held (box extrapolated, `held: true`) for up to `maxMissSamples` samples
 * and `maxMissMs`; past that it ends, and held entries after its last real detection are removed (the face
 * left, it did not linger). Boxes are then smoothed with a [1 2 1]/4 kernel along each track so masks do not
 * jitter; the kernel is symmetric, so steady motion is unchanged.
 */
import { iou, lerp, round6, roundBox } from './box-math.js';
import type { Box, Detection, FaceKeypoints, Point, TrackSpan } from './types.js';
import { KEYPOINT_NAMES } from './types.js';

export interface TrackInputSample {
  t_ms: number;
  detections: readonly Detection[];
}

export interface TrackedFace extends Detection {
  track_id: string;
  held?: boolean;
}

export interface TrackedSample {
  t_ms: number;
  faces: TrackedFace[];
}

export interface TrackFacesOptions {
  samples: readonly TrackInputSample[];
  /** Consecutive samples a track may be missed and still continue (default 3). */
  maxMissSamples?: number;
  /** And at most this long since its last detection (default 600 ms). */
  maxMissMs?: number;
  /** Centroid distance, in units of the predicted box's mean side, beyond which no match is allowed (1.0). */
  maxCentroidDistance?: number;
  /** Apply the [1 2 1]/4 smoothing (default true). */
  smooth?: boolean;
}

export interface TrackFacesResult {
  samples: TrackedSample[];
  tracks: TrackSpan[];
}

interface Velocity {
  x: number;
  y: number;
  w: number;
  h: number;
}

interface ActiveTrack {
  id: string;
  last: Detection;
  lastMs: number;
  velocity: Velocity;
  misses: number;
}

const MAX_SIZE_CHANGE = 1.6;

const ZERO_V: Velocity = { x: 0, y: 0, w: 0, h: 0 };

function centre(b: Box): Point {
  return { x: b.x + b.w / 2, y: b.y + b.h / 2 };
}

function predict(track: ActiveTrack, tMs: number): Box {
  const dt = tMs - track.lastMs;
  const b = track.last.box;
  const v = track.velocity;
  return {
    x: b.x + v.x * dt,
    y: b.y + v.y * dt,
    w: Math.max(1e-6, b.w + v.w * dt),
    h: Math.max(1e-6, b.h + v.h * dt),
  };
}

function shiftKeypoints(kp: FaceKeypoints, from: Box, to: Box): FaceKeypoints {
  const out = {} as FaceKeypoints;
  for (const name of KEYPOINT_NAMES) {
    const p = kp[name];
    // Keep the keypoint at the same relative place inside the box.
    out[name] = { x: to.x + ((p.x - from.x) / from.w) * to.w, y: to.y + ((p.y - from.y) / from.h) * to.h };
  }
  return out;
}

export function trackFaces(opts: TrackFacesOptions): TrackFacesResult {
  const maxMissSamples = opts.maxMissSamples ?? 3;
  const maxMissMs = opts.maxMissMs ?? 600;
  const maxDist = opts.maxCentroidDistance ?? 1.0;
  const samples = [...opts.samples].sort((a, b) => a.t_ms - b.t_ms);

  const active: ActiveTrack[] = [];
  const out: TrackedSample[] = [];
  const spans = new Map<string, TrackSpan>();
  let nextId = 1;

  for (const sample of samples) {
    const t = sample.t_ms;
    const faces: TrackedFace[] = [];
    const predictions = active.map((tr) => predict(tr, t));
    const pairs: { ti: number; di: number; cost: number }[] = [];
    active.forEach((_tr, ti) => {
      const p = predictions[ti]!;
      const pc = centre(p);
      const side = (p.w + p.h) / 2;
      sample.detections.forEach((d, di) => {
        const dc = centre(d.box);
        const dist = Math.hypot(dc.x - pc.x, dc.y - pc.y) / side;
        const overlap = iou(p, d.box);
        if (overlap <= 0 && dist > maxDist) return;
        // A face does not grow or shrink 1.6× between two samples; a box that does is another face, e.g. a
        // close-up after a cut whose box happens to contain the background face of the previous shot.
        const growth = Math.max(d.box.w / p.w, p.w / d.box.w, d.box.h / p.h, p.h / d.box.h);
        if (growth > MAX_SIZE_CHANGE) return;
        pairs.push({ ti, di, cost: 1 - overlap + 0.5 * dist + 0.5 * (growth - 1) });
      });
    });
    pairs.sort((a, b) => a.cost - b.cost || a.ti - b.ti || a.di - b.di);
    const trackTaken = new Set<number>();
    const detTaken = new Set<number>();
    const matchOf = new Map<number, number>();
    for (const p of pairs) {
      if (trackTaken.has(p.ti) || detTaken.has(p.di)) continue;
      trackTaken.add(p.ti);
      detTaken.add(p.di);
      matchOf.set(p.ti, p.di);
    }

    const survivors: ActiveTrack[] = [];
    active.forEach((tr, ti) => {
      const di = matchOf.get(ti);
      if (di !== undefined) {
        const d = sample.detections[di]!;
        const dt = t - tr.lastMs;
        if (dt > 0) {
          const a = centre(tr.last.box);
          const b = centre(d.box);
          const measured: Velocity = {
            x: (b.x - a.x) / dt,
            y: (b.y - a.y) / dt,
            w: (d.box.w - tr.last.box.w) / dt,
            h: (d.box.h - tr.last.box.h) / dt,
          };
          // Blend with the previous estimate: one noisy detection should not fling the prediction.
          const seen = tr.velocity !== ZERO_V;
          tr.velocity = seen
            ? {
                x: (tr.velocity.x + measured.x) / 2,
                y: (tr.velocity.y + measured.y) / 2,
                w: (tr.velocity.w + measured.w) / 2,
                h: (tr.velocity.h + measured.h) / 2,
              }
            : measured;
        }
        tr.last = d;
        tr.lastMs = t;
        tr.misses = 0;
        spans.get(tr.id)!.last_ms = t;
        faces.push({ ...d, track_id: tr.id });
        survivors.push(tr);
        return;
      }
      tr.misses += 1;
      if (tr.misses > maxMissSamples || t - tr.lastMs > maxMissMs) return;
      const box = predictions[ti]!;
      faces.push({
        box,
        score: tr.last.score,
        keypoints: shiftKeypoints(tr.last.keypoints, tr.last.box, box),
        track_id: tr.id,
        held: true,
      });
      survivors.push(tr);
    });
    sample.detections.forEach((d, di) => {
      if (detTaken.has(di)) return;
      const id = `t${nextId++}`;
      spans.set(id, { id, first_ms: t, last_ms: t });
      survivors.push({ id, last: d, lastMs: t, velocity: ZERO_V, misses: 0 });
      faces.push({ ...d, track_id: id });
    });
    active.length = 0;
    active.push(...survivors);
    out.push({ t_ms: t, faces });
  }

  // A held entry after the track's last detection means the face left: drop it.
  for (const s of out) {
    s.faces = s.faces.filter((f) => !(f.held && s.t_ms > spans.get(f.track_id)!.last_ms));
  }
  if (opts.smooth ?? true) smoothTracks(out);
  for (const s of out) {
    s.faces = s.faces
      .map((f) => ({ ...f, box: roundBox(f.box), keypoints: roundKeypoints(f.keypoints) }))
      .sort((a, b) => trackNumber(a.track_id) - trackNumber(b.track_id));
  }
  const tracks = [...spans.values()].sort((a, b) => trackNumber(a.id) - trackNumber(b.id));
  return { samples: out, tracks };
}

function trackNumber(id: string): number {
  return Number(id.slice(1));
}

function roundKeypoints(kp: FaceKeypoints): FaceKeypoints {
  const out = {} as FaceKeypoints;
  for (const name of KEYPOINT_NAMES) out[name] = { x: round6(kp[name].x), y: round6(kp[name].y) };
  return out;
}

/** [1 2 1]/4 along each track's consecutive entries; the first and last entry keep their values. */
function smoothTracks(samples: TrackedSample[]): void {
  const byTrack = new Map<string, TrackedFace[]>();
  for (const s of samples) {
    for (const f of s.faces) {
      const list = byTrack.get(f.track_id) ?? [];
      list.push(f);
      byTrack.set(f.track_id, list);
    }
  }
  for (const list of byTrack.values()) {
    const boxes = list.map((f) => f.box);
    const kps = list.map((f) => f.keypoints);
    for (let i = 1; i < list.length - 1; i++) {
      const [a, b, c] = [boxes[i - 1]!, boxes[i]!, boxes[i + 1]!];
      const mix = (p: number, q: number, r: number): number => lerp(q, (p + r) / 2, 0.5);
      list[i]!.box = {
        x: mix(a.x, b.x, c.x),
        y: mix(a.y, b.y, c.y),
        w: mix(a.w, b.w, c.w),
        h: mix(a.h, b.h, c.h),
      };
      const kp = {} as FaceKeypoints;
      for (const name of KEYPOINT_NAMES) {
        kp[name] = {
          x: mix(kps[i - 1]![name].x, kps[i]![name].x, kps[i + 1]![name].x),
          y: mix(kps[i - 1]![name].y, kps[i]![name].y, kps[i + 1]![name].y),
        };
      }
      list[i]!.keypoints = kp;
    }
  }
}
