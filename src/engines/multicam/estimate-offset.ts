/**
 * Offset (and clock drift) of one recording against a reference, from their audio: coarse GCC-PHAT over the whole
 * allowed lag range on decimated audio, then GCC-PHAT on full-rate windows spread along the overlap, each
 * searched only near the coarse lag, and a robust line through the window offsets (intercept = offset, slope =
 * drift). Pure; every rejection comes back as status SYNC_UNRELIABLE with a reason instead of a number.
 */
import { decimate } from './decimate.js';
import type { RealFft } from './fft.js';
import { nextPowerOfTwo } from './fft.js';
import { fitLine } from './fit-line.js';
import { gccPhat } from './gcc-phat.js';

export interface EstimateOffsetInput {
  /** Reference audio, mono, `sampleRate`. Time 0 is its first sample. */
  ref: Float32Array;
  /** Audio to align, mono, same rate. */
  cam: Float32Array;
  sampleRate: number;
  /** Largest |offset| searched. Default: every offset that leaves `minOverlapMs` of overlap. */
  maxOffsetMs?: number;
  /** Length of each fine-pass window. Default 4000 (short enough that 100 ppm drift smears the peak by < 0.5 ms). */
  windowMs?: number;
  /** Number of fine-pass windows along the overlap. Default 9. */
  windowCount?: number;
  /** Largest clock drift tolerated (widens the fine search far from the overlap centre). Default 300. */
  maxDriftPpm?: number;
  /** Offsets that overlap the recordings less than this are not searched. Default min(5000, shorter / 2). */
  minOverlapMs?: number;
  /** Coarse peak-to-sidelobe ratio below which the pair is SYNC_UNRELIABLE. Default DEFAULT_PSR_THRESHOLD. */
  psrThreshold?: number;
  /** A fine window counts only with at least this PSR (silent windows have none). Default 8. */
  windowPsrThreshold?: number;
  createFft?: (size: number) => RealFft;
}

export interface WindowEstimate {
  /** Centre of the window on the aligned recording's clock. */
  cam_ms: number;
  offset_ms: number;
  psr: number;
  /** Whether the drift fit used it. */
  used: boolean;
}

export type SyncStatus = 'ok' | 'SYNC_UNRELIABLE';

export interface OffsetEstimate {
  status: SyncStatus;
  /** Why the pair is unreliable, or a note on a reliable one (e.g. drift not measurable). */
  reason?: string;
  /** Add to the aligned recording's time (at its time 0) to reach the reference clock. */
  offsetMs: number;
  /** Reference clock runs this many ppm faster than the aligned recording's: t_ref = t·(1 + ppm·1e-6) + offset. */
  driftPpm: number;
  /** Coarse (whole-recording) peak-to-sidelobe ratio. */
  psr: number;
  secondPeakRatio: number;
  /** psr / (psr + threshold): 0.5 at the threshold. */
  confidence: number;
  coarse: { sample_rate: number; offset_ms: number; psr: number; fft_size: number };
  windows: WindowEstimate[];
  /** RMS of the used windows around the fitted line, ms. */
  residualMs: number;
  /** Wall time of each stage, ms (for benchmarks; never part of an artifact's content). */
  timings: { decimate_ms: number; coarse_ms: number; fine_ms: number };
}

/**
 * Calibrated on pocketsphinx-testdata speech (test/engines/multicam, 25–46 s recordings): related pairs through
 * AAC/MP3/Opus, 44.1/48 kHz, noise down to −5 dB SNR and sox reverb scored PSR 157–1366; unrelated speech
 * scored 6.8–7.9, and the adversarial case (the same recording played backwards) 14.7–15.2. A second,
 * independent gate catches what slips through: the full-rate windows must find a peak (PSR ≥ 8; related
 * windows scored ≥ 20, unrelated ≤ 4) and agree on one line.
 */
export const DEFAULT_PSR_THRESHOLD = 20;

/** Largest sample rate of the coarse pass and largest coarse FFT (2^22 points = 64 MB per spectrum). */
const COARSE_MAX_RATE = 4000;
const COARSE_MAX_FFT = 1 << 22;
const SPEECH_LOW_HZ = 100;
/** The coarse sidelobe statistics cover at least ±this much lag (when the recordings allow it). */
const SIDELOBE_SPAN_MS = 2000;

export function coarseFactor({
  sampleRate,
  totalSamples,
}: {
  sampleRate: number;
  totalSamples: number;
}): number {
  let factor = 1;
  while (
    factor < 1024 &&
    (sampleRate / factor > COARSE_MAX_RATE ||
      nextPowerOfTwo(Math.ceil(totalSamples / factor)) > COARSE_MAX_FFT)
  ) {
    factor *= 2;
  }
  return factor;
}

function unreliable(base: Omit<OffsetEstimate, 'status' | 'reason'>, reason: string): OffsetEstimate {
  return { ...base, status: 'SYNC_UNRELIABLE', reason };
}

export function estimateOffset(input: EstimateOffsetInput): OffsetEstimate {
  const { ref, cam, sampleRate } = input;
  const psrThreshold = input.psrThreshold ?? DEFAULT_PSR_THRESHOLD;
  const windowPsrThreshold = input.windowPsrThreshold ?? 8;
  const maxDriftPpm = input.maxDriftPpm ?? 300;
  const windowCount = Math.max(1, Math.round(input.windowCount ?? 9));
  const refMs = (ref.length / sampleRate) * 1000;
  const camMs = (cam.length / sampleRate) * 1000;
  const minOverlapMs = input.minOverlapMs ?? Math.min(5000, Math.min(refMs, camMs) / 2);
  const fftOpt = input.createFft ? { createFft: input.createFft } : {};

  // Offsets leaving at least minOverlap of common time: the camera spans [τ, τ + camMs] on the reference clock.
  const feasibleLowMs = minOverlapMs - camMs;
  const feasibleHighMs = refMs - minOverlapMs;
  let lowMs = feasibleLowMs;
  let highMs = feasibleHighMs;
  if (input.maxOffsetMs !== undefined) {
    lowMs = Math.max(lowMs, -input.maxOffsetMs);
    highMs = Math.min(highMs, input.maxOffsetMs);
  }
  const empty: Omit<OffsetEstimate, 'status' | 'reason'> = {
    offsetMs: 0,
    driftPpm: 0,
    psr: 0,
    secondPeakRatio: 0,
    confidence: 0,
    coarse: { sample_rate: 0, offset_ms: 0, psr: 0, fft_size: 0 },
    windows: [],
    residualMs: 0,
    timings: { decimate_ms: 0, coarse_ms: 0, fine_ms: 0 },
  };
  if (highMs < lowMs) return unreliable(empty, 'no offset within max_offset_ms leaves enough overlap');

  // --- coarse: whole recordings, decimated -------------------------------------------------------------------
  const factor = coarseFactor({ sampleRate, totalSamples: ref.length + cam.length });
  const coarseRate = sampleRate / factor;
  let clock = performance.now();
  const lap = (): number => {
    const now = performance.now();
    const ms = Math.round(now - clock);
    clock = now;
    return ms;
  };
  const coarseRef = decimate({ samples: ref, factor });
  const coarseCam = decimate({ samples: cam, factor });
  const decimateMs = lap();
  const coarse = gccPhat({
    a: coarseRef,
    b: coarseCam,
    minLag: Math.ceil((lowMs / 1000) * coarseRate),
    maxLag: Math.floor((highMs / 1000) * coarseRate),
    sampleRate: coarseRate,
    bandHz: [SPEECH_LOW_HZ, 0.85 * (coarseRate / 2)],
    // PSR needs a few seconds of lags to know what "no match" looks like, even when the search is narrower.
    sidelobeRange: [
      Math.ceil((Math.max(feasibleLowMs, Math.min(lowMs, -SIDELOBE_SPAN_MS)) / 1000) * coarseRate),
      Math.floor((Math.min(feasibleHighMs, Math.max(highMs, SIDELOBE_SPAN_MS)) / 1000) * coarseRate),
    ],
    exclusion: Math.round(0.05 * coarseRate),
    ...fftOpt,
  });
  const coarseStageMs = lap();
  const coarseMs = (coarse.lag / coarseRate) * 1000;
  const confidence = coarse.psr / (coarse.psr + psrThreshold);
  const base: Omit<OffsetEstimate, 'status' | 'reason'> = {
    ...empty,
    offsetMs: coarseMs,
    psr: coarse.psr,
    secondPeakRatio: coarse.secondPeakRatio,
    confidence,
    coarse: { sample_rate: coarseRate, offset_ms: coarseMs, psr: coarse.psr, fft_size: coarse.fftSize },
  };

  // --- fine: full-rate windows along the overlap, searched near the coarse lag --------------------------------
  const u0 = Math.max(0, -coarseMs);
  const u1 = Math.min(camMs, refMs - coarseMs);
  const overlapMs = u1 - u0;
  const winMs = Math.min(input.windowMs ?? 4000, overlapMs);
  const radiusMs = (3 / coarseRate) * 1000 + 2 + maxDriftPpm * 1e-6 * overlapMs;
  const radius = Math.ceil((radiusMs / 1000) * sampleRate);
  const winLen = Math.floor((winMs / 1000) * sampleRate);
  const coarseLag = Math.round((coarseMs / 1000) * sampleRate);
  const windows: WindowEstimate[] = [];
  for (let i = 0; i < windowCount && winLen >= 64; i++) {
    const centreMs =
      windowCount === 1 ? u0 + overlapMs / 2 : u0 + winMs / 2 + ((overlapMs - winMs) * i) / (windowCount - 1);
    const bStart = Math.max(
      0,
      Math.min(cam.length - winLen, Math.round(((centreMs - winMs / 2) / 1000) * sampleRate)),
    );
    const aFrom = Math.max(0, bStart + coarseLag - radius);
    const aTo = Math.min(ref.length, bStart + coarseLag + winLen + radius);
    if (aTo - aFrom < 64) continue;
    const base0 = aFrom - bStart;
    const fine = gccPhat({
      a: ref.subarray(aFrom, aTo),
      b: cam.subarray(bStart, bStart + winLen),
      minLag: coarseLag - radius - base0,
      maxLag: coarseLag + radius - base0,
      sampleRate,
      bandHz: [SPEECH_LOW_HZ, 0.45 * sampleRate],
      exclusion: Math.round(0.001 * sampleRate),
      ...fftOpt,
    });
    windows.push({
      cam_ms: ((bStart + winLen / 2) / sampleRate) * 1000,
      offset_ms: ((base0 + fine.lag) / sampleRate) * 1000,
      psr: fine.psr,
      used: false,
    });
  }
  const good = windows.map((w, i) => ({ w, i })).filter(({ w }) => w.psr >= windowPsrThreshold);
  const timings = { decimate_ms: decimateMs, coarse_ms: coarseStageMs, fine_ms: lap() };
  const withWindows = { ...base, windows, timings };
  if (coarse.psr < psrThreshold) {
    return unreliable(
      withWindows,
      `no clear correlation peak: peak-to-sidelobe ratio ${coarse.psr.toFixed(1)} < ${psrThreshold}`,
    );
  }
  if (good.length === 0) {
    return unreliable(withWindows, 'no full-rate window has a clear correlation peak (silence or noise)');
  }
  // Tolerance for a window to agree with the fitted line: a few full-rate samples, at least 1.5 ms.
  const tolerance = Math.max(1.5, (4 / sampleRate) * 1000);
  const fit = fitLine({ points: good.map(({ w }) => ({ x: w.cam_ms, y: w.offset_ms })), tolerance });
  for (const k of fit.inliers) windows[good[k]!.i]!.used = true;
  const needed = Math.max(1, Math.ceil(good.length / 2));
  if (fit.inliers.length < needed) {
    return unreliable(
      withWindows,
      `full-rate windows disagree: ${fit.inliers.length} of ${good.length} on one line`,
    );
  }
  let slope = fit.slope;
  let intercept = fit.intercept;
  let reason: string | undefined;
  if (fit.inliers.length < 3) {
    // Two points always lie on a line: too few to tell drift from error.
    const used = fit.inliers.map((k) => good[k]!.w.offset_ms);
    slope = 0;
    intercept = used.reduce((s, v) => s + v, 0) / used.length;
    reason = `drift not measured: only ${fit.inliers.length} usable window(s)`;
  }
  const driftPpm = slope * 1e6;
  if (Math.abs(driftPpm) > maxDriftPpm) {
    return unreliable(withWindows, `drift ${driftPpm.toFixed(1)} ppm exceeds max ${maxDriftPpm} ppm`);
  }
  return {
    ...withWindows,
    status: 'ok',
    ...(reason ? { reason } : {}),
    offsetMs: intercept,
    driftPpm,
    residualMs: fit.rms,
  };
}
