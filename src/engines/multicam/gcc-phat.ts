/**
 * Generalised cross-correlation with phase transform (GCC-PHAT, Knapp & Carter 1976): the cross-power spectrum
 * is whitened (divided by its magnitude) before the inverse FFT, so every frequency band votes equally and the
 * correlation peak is a sharp spike instead of the broad hump that speech's low-frequency energy gives plain
 * cross-correlation. Pure: arrays in, numbers out.
 */
import { createFft, nextPowerOfTwo, type RealFft } from './fft.js';

export type Samples = Float32Array | Float64Array;

const MIN_SIDELOBE_LAGS = 32;

export interface GccPhatInput {
  /** Reference signal. */
  a: Samples;
  /** Signal to align. The result `lag` satisfies a[n] ≈ b[n - lag]. */
  b: Samples;
  /** Integer lag range searched, in samples, inclusive. */
  minLag: number;
  maxLag: number;
  sampleRate: number;
  /** Frequencies outside this band get weight 0 (hum, rumble and the resampler's roll-off vote for nothing). */
  bandHz?: readonly [number, number];
  /**
   * Lag range the sidelobe statistics (PSR, second peak) are taken over; must contain [minLag, maxLag]. Default
   * the searched range. A narrow search (max_offset_ms of a few ms) has too few lags of its own to tell a peak
   * from noise, so the caller widens this.
   */
  sidelobeRange?: readonly [number, number];
  /** Lags within this many samples of the peak are the main lobe: left out of the sidelobe statistics. */
  exclusion?: number;
  /** PHAT exponent: 1 is pure PHAT; slightly less (0.8) trades sharpness for robustness to noise. */
  beta?: number;
  createFft?: (size: number) => RealFft;
}

export interface GccPhatResult {
  /** Peak lag with sub-sample (parabolic) refinement, in samples: a[n] ≈ b[n - lag]. */
  lag: number;
  /** Integer lag of the peak. */
  peakLag: number;
  peak: number;
  /** Peak-to-sidelobe ratio: (peak - mean) / std of the correlation outside the main lobe. */
  psr: number;
  /** Peak divided by the highest value outside the main lobe (∞ when there is none). */
  secondPeakRatio: number;
  fftSize: number;
}

/** Parabolic interpolation through the peak and its two neighbours: the vertex offset in (-0.5, 0.5). */
export function parabolicOffset(left: number, centre: number, right: number): number {
  const denom = left - 2 * centre + right;
  if (!(denom < 0)) return 0;
  const d = (0.5 * (left - right)) / denom;
  return Math.max(-0.5, Math.min(0.5, d));
}

export function gccPhat(input: GccPhatInput): GccPhatResult {
  const { a, b, sampleRate, beta = 1 } = input;
  const minLag = Math.ceil(input.minLag);
  const maxLag = Math.floor(input.maxLag);
  if (maxLag < minLag) throw new Error(`empty lag range [${input.minLag}, ${input.maxLag}]`);
  const statsMin = Math.min(minLag, Math.ceil(input.sidelobeRange?.[0] ?? minLag));
  const statsMax = Math.max(maxLag, Math.floor(input.sidelobeRange?.[1] ?? maxLag));
  // Circular correlation aliases lag τ with τ ± M; linear lags live in (-len(b), len(a)), so M must keep the
  // aliases of the searched range outside that interval.
  const fftSize = Math.max(8, nextPowerOfTwo(Math.max(statsMax + b.length, a.length - statsMin, 1)));
  const fft = (input.createFft ?? createFft)(fftSize);
  const padded = new Float64Array(fftSize);
  const specA = new Float64Array(fftSize + 2);
  const specB = new Float64Array(fftSize + 2);
  padded.set(a);
  fft.forward(padded, specA);
  padded.fill(0);
  padded.set(b);
  fft.forward(padded, specB);

  const half = fftSize / 2;
  const [lowHz, highHz] = input.bandHz ?? [0, sampleRate / 2];
  const kLow = Math.max(1, Math.ceil((lowHz * fftSize) / sampleRate));
  const kHigh = Math.min(half, Math.floor((highHz * fftSize) / sampleRate));
  // Bins quieter than this (relative to the loudest) are numerical noise, not signal: whitening them would
  // amplify rounding errors to full weight.
  let maxMag = 0;
  for (let k = kLow; k <= kHigh; k++) {
    const cr = specA[2 * k]! * specB[2 * k]! + specA[2 * k + 1]! * specB[2 * k + 1]!;
    const ci = specA[2 * k + 1]! * specB[2 * k]! - specA[2 * k]! * specB[2 * k + 1]!;
    const mag = Math.sqrt(cr * cr + ci * ci);
    specA[2 * k] = cr;
    specA[2 * k + 1] = ci;
    if (mag > maxMag) maxMag = mag;
  }
  const floor = maxMag * 1e-12;
  for (let k = 0; k <= half; k++) {
    if (k < kLow || k > kHigh) {
      specA[2 * k] = 0;
      specA[2 * k + 1] = 0;
      continue;
    }
    const cr = specA[2 * k]!;
    const ci = specA[2 * k + 1]!;
    const mag = Math.sqrt(cr * cr + ci * ci);
    const w = mag > floor ? 1 / (beta === 1 ? mag : Math.pow(mag, beta)) : 0;
    specA[2 * k] = cr * w;
    specA[2 * k + 1] = ci * w;
  }
  const corr = padded;
  fft.inverse(specA, corr);
  // Lag τ lives at index τ mod M. Visit the range as (at most) two contiguous index runs instead of a modulo per
  // lag: on a 30-minute coarse pass that is millions of lags, twice.
  const runsOf = (from: number, to: number): Array<[number, number, number]> => {
    const runs: Array<[number, number, number]> = []; // [firstLag, firstIndex, count]
    if (from < 0) runs.push([from, fftSize + from, Math.min(to, -1) - from + 1]);
    if (to >= 0) runs.push([Math.max(from, 0), Math.max(from, 0), to - Math.max(from, 0) + 1]);
    return runs;
  };
  let peakLag = minLag;
  let peak = -Infinity;
  for (const [firstLag, firstIndex, count] of runsOf(minLag, maxLag)) {
    for (let i = 0; i < count; i++) {
      const v = corr[firstIndex + i]!;
      if (v > peak) {
        peak = v;
        peakLag = firstLag + i;
      }
    }
  }
  const exclusion = Math.max(1, Math.round(input.exclusion ?? 0));
  let n = 0;
  let sum = 0;
  let sumSq = 0;
  let second = -Infinity;
  for (const [firstLag, firstIndex, count] of runsOf(statsMin, statsMax)) {
    for (let i = 0; i < count; i++) {
      if (Math.abs(firstLag + i - peakLag) <= exclusion) continue;
      const v = corr[firstIndex + i]!;
      n++;
      sum += v;
      sumSq += v * v;
      if (v > second) second = v;
    }
  }
  const at = (lag: number): number => corr[lag < 0 ? fftSize + lag : lag]!;
  const mean = n > 0 ? sum / n : 0;
  const std = n > 1 ? Math.sqrt(Math.max(0, sumSq / n - mean * mean)) : 0;
  // An exact copy whitens to a perfect delta: zero sidelobes. Floor the spread so that scores as a huge PSR, not 0.
  const spread = Math.max(std, Math.abs(peak) * 1e-6);
  // Too few sidelobe lags to say what noise looks like: the PSR is not measurable, which must not read as high.
  const psr = n >= MIN_SIDELOBE_LAGS && peak > mean && spread > 0 ? (peak - mean) / spread : 0;
  const secondPeakRatio = second > 0 ? peak / second : Infinity;
  const left = peakLag > minLag ? at(peakLag - 1) : peak;
  const right = peakLag < maxLag ? at(peakLag + 1) : peak;
  return {
    lag: peakLag + parabolicOffset(left, peak, right),
    peakLag,
    peak,
    psr,
    secondPeakRatio,
    fftSize,
  };
}
