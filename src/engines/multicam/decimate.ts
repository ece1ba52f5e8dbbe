/**
 * Integer-factor decimation with a windowed-sinc (Blackman) low-pass, computing only the kept outputs. Used to
 * derive the coarse-pass signal from the one full-rate decode, so both passes share one time base (a second
 * ffmpeg decode could start at a different sample after a seek or priming trim).
 */
export interface DecimateInput {
  samples: Float32Array;
  factor: number;
  /** Filter half-length in output samples (zero crossings per side). Default 4. */
  halfLength?: number;
}

export function decimate({ samples, factor, halfLength = 4 }: DecimateInput): Float32Array {
  if (!Number.isInteger(factor) || factor < 1)
    throw new Error(`decimation factor must be ≥ 1, got ${factor}`);
  if (factor === 1) return samples.slice();
  const half = halfLength * factor;
  const taps = new Float64Array(2 * half + 1);
  // Cut-off a little under the new Nyquist so the transition band stays below it.
  const cutoff = 0.9 / (2 * factor);
  let sum = 0;
  for (let i = -half; i <= half; i++) {
    const x = 2 * Math.PI * cutoff * i;
    const sinc = i === 0 ? 1 : Math.sin(x) / x;
    const w = 0.42 + 0.5 * Math.cos((Math.PI * i) / half) + 0.08 * Math.cos((2 * Math.PI * i) / half);
    taps[i + half] = sinc * w;
    sum += sinc * w;
  }
  for (let i = 0; i < taps.length; i++) taps[i]! /= sum;
  const outLength = Math.floor(samples.length / factor);
  const out = new Float32Array(outLength);
  const n = samples.length;
  // The taps are symmetric: add the mirrored samples first, one multiply per pair (half the work).
  const centreTap = taps[half]!;
  for (let m = 0; m < outLength; m++) {
    const centre = m * factor;
    let acc = centreTap * samples[centre]!;
    if (centre >= half && centre + half < n) {
      for (let i = 1; i <= half; i++) acc += taps[half + i]! * (samples[centre - i]! + samples[centre + i]!);
    } else {
      for (let i = 1; i <= half; i++) {
        const l = centre - i >= 0 ? samples[centre - i]! : 0;
        const r = centre + i < n ? samples[centre + i]! : 0;
        acc += taps[half + i]! * (l + r);
      }
    }
    out[m] = acc;
  }
  return out;
}
