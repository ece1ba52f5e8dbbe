/**
 * What a renderer applies to put a drifting camera on the reference clock. With t_ref = t·(1 + ppm·1e-6) + offset,
 * the camera's media must last (1 + ppm·1e-6) times longer: video timestamps are multiplied by that stretch and
 * audio is resampled by it.
 *
 * Audio: `aresample=R1,asetrate=R2,aresample=<rate>` re-labels the samples at R2/R1 = 1/stretch, i.e. plays
 * them that much slower (pitch moves by the same ppm: 50 ppm is 0.09 cent, inaudible). Not atempo: ffmpeg's
 * WSOLA atempo does not honour ppm-sized changes (measured: atempo=0.99995 on 46 s made the audio 16 samples
 * *shorter*; 0.999 was off by 111 ppm). asetrate only takes integers, so R1 is raised in steps of the source
 * rate until the rounding of R2 leaves at most 1 ppm (at 48 kHz directly the rounding alone can be 10 ppm,
 * 28 ms over 45 minutes).
 */
import { formatNumber } from '../../format.js';

export interface DriftCorrection {
  drift_ppm: number;
  /** Duration multiplier for the camera's media on the reference clock: 1 + ppm·1e-6. */
  stretch: number;
  /** ffmpeg audio filter chain that applies the stretch at `sample_rate` in and out. */
  audio_filter: string;
  /** Stretch the audio filter really applies (integer rates), as ppm; within 1 ppm of drift_ppm when possible. */
  audio_filter_ppm: number;
  /** ffmpeg video filter, e.g. "setpts=1.00005*PTS". */
  video_filter: string;
  sample_rate: number;
}

/** Nine decimals: 1e-9 resolution, far below 1 ppm. */
const DECIMALS = 9;
const MAX_UPSAMPLE = 8;
const TOLERANCE_PPM = 1;

export interface DriftInput {
  driftPpm: number;
  /** Audio sample rate the filter takes and gives. Default 48000. */
  sampleRate?: number;
}

function check({ driftPpm, sampleRate = 48000 }: DriftInput): void {
  if (!Number.isFinite(driftPpm) || Math.abs(driftPpm) >= 1e5)
    throw new Error(`drift must be a finite ppm value under 100000, got ${driftPpm}`);
  if (!Number.isInteger(sampleRate) || sampleRate <= 0)
    throw new Error(`sample rate must be a positive integer, got ${sampleRate}`);
}

/** The audio chain and the stretch it really applies. */
export function buildDriftAudioFilter(input: DriftInput): { filter: string; ppm: number } {
  check(input);
  const { driftPpm, sampleRate = 48000 } = input;
  const stretch = 1 + driftPpm * 1e-6;
  if (driftPpm === 0) return { filter: 'anull', ppm: 0 };
  let best = { k: 1, r2: Math.round(sampleRate / stretch), err: Infinity };
  for (let k = 1; k <= MAX_UPSAMPLE; k++) {
    const r1 = sampleRate * k;
    const r2 = Math.round(r1 / stretch);
    const err = Math.abs((r1 / r2 - 1) * 1e6 - driftPpm);
    if (err < best.err - 1e-9) best = { k, r2, err };
    if (err <= TOLERANCE_PPM) break;
  }
  const r1 = sampleRate * best.k;
  const ppm = Number(formatNumber((r1 / best.r2 - 1) * 1e6, 3));
  const filter =
    best.k === 1
      ? `asetrate=${best.r2},aresample=${sampleRate}`
      : `aresample=${r1},asetrate=${best.r2},aresample=${sampleRate}`;
  return { filter, ppm };
}

export function driftCorrection(input: DriftInput): DriftCorrection {
  check(input);
  const { driftPpm, sampleRate = 48000 } = input;
  const stretch = 1 + driftPpm * 1e-6;
  const audio = buildDriftAudioFilter(input);
  return {
    drift_ppm: driftPpm,
    stretch: Number(formatNumber(stretch, DECIMALS)),
    audio_filter: audio.filter,
    audio_filter_ppm: audio.ppm,
    video_filter: `setpts=${formatNumber(stretch, DECIMALS)}*PTS`,
    sample_rate: sampleRate,
  };
}
