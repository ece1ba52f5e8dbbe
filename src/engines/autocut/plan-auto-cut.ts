/**
 * Multicam auto-cut planning (pure, deterministic): score every camera on a common-clock grid, then choose the
 * shot sequence by dynamic programming over cut points.
 *
 * Scores per camera and grid slot: the active speaker (this camera's momentary loudness against the loudest
 * camera while anyone speaks: with one microphone near each subject, the loudest camera is the one whose
 * subject talks), face presence/size (region summary) and motion (visual meta). While nobody speaks the wide
 * camera gets a bonus (reaction/establishing shot). The DP maximises Σ score of the shown camera − a shot-length
 * cost around the pacing target, with every shot in [min, max] of the preset, consecutive shots on different
 * cameras, and a bonus for cuts that fall in a pause between speech windows (a cut mid-word looks wrong).
 *
 * Active speaker by sight: microphones lie (a lapel mic on the listener can be louder than the talker's), so
 * when cameras carry mouth activity (regions engine, measureMouthActivity) the speaker term blends the audio
 * share with the visual share — this camera's mouth movement against the most moving mouth of any camera —
 * weighted by `visual_speech`. Where no mouth moves visibly (below MOUTH_EVIDENCE), audio alone decides;
 * where one does but the audio hears no speech, sight alone decides.
 */
import type { AudioSemanticTimeline } from '../audio-semantic/index.js';
import type { MouthActivity, RegionSummary } from '../regions/index.js';
import type { VisualMeta } from '../visual-meta/index.js';
import type { PacingPreset } from './pacing.js';
import { clamp01, faceStatsAt, momentaryAt, motionAt, mouthActivityAt, speechAt } from './signals.js';

/** Bump when scores or selection change for the same inputs. */
export const AUTOCUT_SCORING_VERSION = 'autocut-dp-2';

/**
 * Mouth activity (grey levels per pixel, see measureMouthActivity) below which no camera counts as showing a
 * talking mouth. A still mouth measures ≈ 0.0–0.1 after the eyes-region subtraction; a talking one 3–12.
 */
export const MOUTH_EVIDENCE = 1;

export interface AutoCutWeights {
  speaker: number;
  /** Share (0..1) of the speaker term decided by sight (mouth activity) where a mouth visibly moves. */
  visual_speech: number;
  faces: number;
  motion: number;
  /** Added to the wide camera's score while nobody speaks. */
  wide_in_silence: number;
  /** Score units (≈ slots of a perfect camera) gained by a cut in a pause, lost by a cut inside speech. */
  pause_cut: number;
  /** A shot of twice the target length costs this many target-lengths of score, quadratically. */
  length: number;
}

export const DEFAULT_AUTOCUT_WEIGHTS: Readonly<AutoCutWeights> = {
  speaker: 1,
  visual_speech: 0.7,
  faces: 0.3,
  motion: 0.15,
  wide_in_silence: 0.5,
  pause_cut: 2,
  length: 0.5,
};

export interface AutoCutCamera {
  asset_id: string;
  /** Add to this camera's media time to reach the common clock (the alignment's offset_ms). */
  offset_ms: number;
  duration_ms: number;
  audio?: AudioSemanticTimeline;
  faces?: RegionSummary;
  visual?: VisualMeta;
  /** Mouth movement of this camera's tracked faces (media time). */
  mouth?: MouthActivity;
}

export interface PlanAutoCutInput {
  cameras: AutoCutCamera[];
  pacing: PacingPreset;
  weights?: Partial<AutoCutWeights>;
  /** The designated wide camera; default: the camera with the most faces on average, else the first. */
  wide_asset_id?: string;
  /** Scoring grid, ms (cut points are multiples of it on the timeline). Default 100. */
  step_ms?: number;
}

export interface AutoCutShot {
  asset_id: string;
  /** On the output timeline (0 = start of the span every camera covers). */
  start_ms: number;
  end_ms: number;
  /** Source in point of this camera. */
  in_ms: number;
  /** Mean per-slot score of the chosen camera over the shot. */
  score: number;
  cut_in_pause: boolean;
}

export interface AutoCutPlan {
  /** Common-clock time of timeline 0, and the timeline's length. */
  common_start_ms: number;
  duration_ms: number;
  shots: AutoCutShot[];
  wide_asset_id: string;
  weights: AutoCutWeights;
  step_ms: number;
}

function chooseWide(input: PlanAutoCutInput, slots: number, step: number, t0: number): string {
  if (input.wide_asset_id !== undefined) return input.wide_asset_id;
  let best = input.cameras[0]!.asset_id;
  let bestCount = 0;
  for (const cam of input.cameras) {
    if (!cam.faces) continue;
    let sum = 0;
    for (let k = 0; k < slots; k++)
      sum += faceStatsAt(cam.faces, t0 + k * step + step / 2 - cam.offset_ms).count;
    if (sum > bestCount) {
      bestCount = sum;
      best = cam.asset_id;
    }
  }
  return best;
}

export function planAutoCut(input: PlanAutoCutInput): AutoCutPlan {
  const { cameras, pacing } = input;
  const w: AutoCutWeights = { ...DEFAULT_AUTOCUT_WEIGHTS, ...input.weights };
  const step = input.step_ms ?? 100;
  const C = cameras.length;
  // The span every camera covers, on the common clock.
  const t0 = Math.max(...cameras.map((c) => c.offset_ms));
  const t1 = Math.min(...cameras.map((c) => c.offset_ms + c.duration_ms));
  const N = Math.max(0, Math.floor((t1 - t0) / step));
  const wide = chooseWide(input, N, step, t0);
  const wideIndex = Math.max(
    0,
    cameras.findIndex((c) => c.asset_id === wide),
  );

  // Per-slot scores (slot k covers [t0 + k·step, t0 + (k+1)·step), sampled at its centre).
  const prefix: Float64Array[] = cameras.map(() => new Float64Array(N + 1));
  const loud = new Float64Array(C);
  const mouth = new Float64Array(C);
  const vs = clamp01(w.visual_speech);
  for (let k = 0; k < N; k++) {
    const t = t0 + k * step + step / 2;
    let anySpeech = false;
    let maxLoud = -Infinity;
    let maxMouth = 0;
    for (let c = 0; c < C; c++) {
      const cam = cameras[c]!;
      loud[c] = momentaryAt(cam.audio, t - cam.offset_ms);
      maxLoud = Math.max(maxLoud, loud[c]!);
      mouth[c] = mouthActivityAt(cam.mouth, t - cam.offset_ms);
      maxMouth = Math.max(maxMouth, mouth[c]!);
      if (speechAt(cam.audio, t - cam.offset_ms)) anySpeech = true;
    }
    const bySight = maxMouth >= MOUTH_EVIDENCE;
    for (let c = 0; c < C; c++) {
      const cam = cameras[c]!;
      const local = t - cam.offset_ms;
      // exp(Δ/4 dB): the loudest camera scores 1, one 10 dB quieter about 0.08.
      const heard = Math.exp((loud[c]! - maxLoud) / 4);
      // A visibly moving mouth counts as speech even where the audio detector hears a pause or "music"
      // (between words, under a music bed): sight alone then decides.
      const audioShare = anySpeech ? (bySight ? (1 - vs) * heard : heard) : 0;
      const speaker = audioShare + (bySight ? (vs * mouth[c]!) / maxMouth : 0);
      const face = cam.faces ? clamp01(Math.sqrt(faceStatsAt(cam.faces, local).largest_area) * 2.5) : 0;
      const motion = motionAt(cam.visual, local);
      let s = w.speaker * speaker + w.faces * face + w.motion * motion;
      if (!anySpeech && c === wideIndex) s += w.wide_in_silence;
      prefix[c]![k + 1] = prefix[c]![k]! + s;
    }
  }

  // Cut-point quality: a boundary is a pause when no camera hears speech there and no mouth visibly moves.
  const pause = new Uint8Array(N + 1);
  for (let k = 0; k <= N; k++) {
    const t = t0 + k * step;
    pause[k] = cameras.every(
      (cam) =>
        !speechAt(cam.audio, t - cam.offset_ms) &&
        mouthActivityAt(cam.mouth, t - cam.offset_ms) < MOUTH_EVIDENCE,
    )
      ? 1
      : 0;
  }

  const minL = Math.max(1, Math.round(pacing.min_ms / step));
  const maxL = Math.max(minL, Math.round(pacing.max_ms / step));
  const targetL = Math.round(pacing.target_ms / step);
  const lengthCost = (L: number) => w.length * targetL * ((L - targetL) / targetL) ** 2;
  const sum = (c: number, a: number, b: number) => prefix[c]![b]! - prefix[c]![a]!;

  // best[k*C + c]: best value of a cut of [0, k) whose last shot shows camera c.
  const best = new Float64Array((N + 1) * C).fill(-Infinity);
  const from = new Int32Array((N + 1) * C).fill(-1);
  const solve = (lo: number, hi: number) => {
    for (let k = 1; k <= N; k++) {
      for (let c = 0; c < C; c++) {
        let v = -Infinity;
        let arg = -1;
        for (let L = lo; L <= Math.min(hi, k); L++) {
          const s = k - L;
          const gain = sum(c, s, k) - lengthCost(L);
          if (s === 0) {
            if (gain > v) {
              v = gain;
              arg = -2;
            }
            continue;
          }
          const cut = pause[s] ? w.pause_cut : -w.pause_cut;
          for (let p = 0; p < C; p++) {
            if (p === c) continue;
            const prev = best[s * C + p]!;
            if (prev === -Infinity) continue;
            const total = prev + gain + cut;
            if (total > v) {
              v = total;
              arg = s * C + p;
            }
          }
        }
        best[k * C + c] = v;
        from[k * C + c] = arg;
      }
    }
  };
  const shots: AutoCutShot[] = [];
  if (N > 0) {
    // Shorter than one minimum shot: a single shot. Otherwise [min, max]; relaxed only if nothing fits.
    if (N < minL) solve(N, N);
    else {
      solve(minL, maxL);
      if (cameras.every((_, c) => best[N * C + c] === -Infinity)) solve(1, maxL);
    }
    let c = 0;
    for (let i = 1; i < C; i++) if (best[N * C + i]! > best[N * C + c]!) c = i;
    let k = N;
    const reversed: Array<{ c: number; s: number; e: number }> = [];
    while (k > 0) {
      const f = from[k * C + c]!;
      const s = f === -2 ? 0 : Math.floor(f / C);
      reversed.push({ c, s, e: k });
      if (f === -2) break;
      c = f % C;
      k = s;
    }
    for (const r of reversed.reverse()) {
      const cam = cameras[r.c]!;
      shots.push({
        asset_id: cam.asset_id,
        start_ms: r.s * step,
        end_ms: r.e * step,
        in_ms: t0 + r.s * step - cam.offset_ms,
        score: Math.round((sum(r.c, r.s, r.e) / (r.e - r.s)) * 1e4) / 1e4,
        cut_in_pause: r.s > 0 && pause[r.s] === 1,
      });
    }
  }
  return {
    common_start_ms: t0,
    duration_ms: N * step,
    shots,
    wide_asset_id: wide,
    weights: w,
    step_ms: step,
  };
}
