/**
 * EBU R 128 / ITU-R BS.1770-4 loudness computed from PCM in JS, streaming. We measure here rather than running
 * ffmpeg's `ebur128` filter so one ffmpeg decode feeds both the loudness meter and the VAD (the filter would
 * need a second pass or a second output whose per-100-ms log lines then have to be parsed).
 *
 * K-weighting = high-shelf (+4 dB above ~1.7 kHz) then high-pass (~38 Hz), coefficients derived for any sample
 * rate by the bilinear transform (the same analogue prototypes libebur128 uses, so 48 kHz gives the
 * coefficients printed in BS.1770). Energies are summed per 100 ms block; momentary = 4 blocks (400 ms),
 * short-term = 30 blocks (3 s), integrated = 400 ms blocks with 75 % overlap, gated at -70 LUFS absolute and
 * -10 LU relative. Channel weights are 1.0 (mono/stereo; surround is downmixed to stereo before).
 */

export interface Biquad {
  b0: number;
  b1: number;
  b2: number;
  a1: number;
  a2: number;
}

export function kWeightingFilters(sampleRate: number): [Biquad, Biquad] {
  // Stage 1: high shelf.
  let f0 = 1681.974450955533;
  const G = 3.999843853973347;
  let Q = 0.7071752369554196;
  let K = Math.tan((Math.PI * f0) / sampleRate);
  const Vh = Math.pow(10, G / 20);
  const Vb = Math.pow(Vh, 0.4996667741545416);
  let a0 = 1 + K / Q + K * K;
  const shelf: Biquad = {
    b0: (Vh + (Vb * K) / Q + K * K) / a0,
    b1: (2 * (K * K - Vh)) / a0,
    b2: (Vh - (Vb * K) / Q + K * K) / a0,
    a1: (2 * (K * K - 1)) / a0,
    a2: (1 - K / Q + K * K) / a0,
  };
  // Stage 2: high pass (RLB).
  f0 = 38.13547087602444;
  Q = 0.5003270373238773;
  K = Math.tan((Math.PI * f0) / sampleRate);
  a0 = 1 + K / Q + K * K;
  const highpass: Biquad = {
    b0: 1,
    b1: -2,
    b2: 1,
    a1: (2 * (K * K - 1)) / a0,
    a2: (1 - K / Q + K * K) / a0,
  };
  return [shelf, highpass];
}

export interface LoudnessPoint {
  /** End of the measurement window (like ffmpeg's ebur128 `t:`), ms. */
  t_ms: number;
  /** null while the window is not yet full or the level is below -70 LUFS (digital silence). */
  momentary_lufs: number | null;
  short_term_lufs: number | null;
}

export interface LoudnessResult {
  points: LoudnessPoint[];
  integrated_lufs: number | null;
  /** Largest absolute sample value, dBFS (sample peak, not true peak). */
  sample_peak_dbfs: number | null;
  /** Sample peak per 100 ms block (dBFS), for peak reporting. */
  block_peaks_dbfs: number[];
  /** Mean-square K-weighted energy per 100 ms block (channel-summed). */
  block_energy: number[];
}

export interface LoudnessMeter {
  /** Interleaved samples; any length (blocks may straddle calls). */
  push(samples: Float32Array): void;
  finish(): LoudnessResult;
}

const toLufs = (energy: number): number | null => {
  if (!(energy > 0)) return null;
  const l = -0.691 + 10 * Math.log10(energy);
  return l < -70 ? null : Math.round(l * 100) / 100;
};

const toDb = (amp: number): number | null => (amp > 0 ? Math.round(20 * Math.log10(amp) * 100) / 100 : null);

export function createLoudnessMeter({
  sampleRate,
  channels,
  stepMs = 100,
}: {
  sampleRate: number;
  channels: number;
  /** Emit a loudness point every stepMs (a multiple of 100). */
  stepMs?: number;
}): LoudnessMeter {
  const [s1, s2] = kWeightingFilters(sampleRate);
  // Per-channel filter state: x1 x2 y1 y2 for both stages.
  const st = Array.from({ length: channels }, () => new Float64Array(8));
  const blockLen = Math.round(sampleRate / 10);
  const blockEnergy: number[] = [];
  const blockPeak: number[] = [];
  let acc = 0;
  let accPeak = 0;
  let inBlock = 0;
  let peak = 0;
  const every = Math.max(1, Math.round(stepMs / 100));

  return {
    push(samples) {
      const frames = Math.floor(samples.length / channels);
      for (let i = 0; i < frames; i++) {
        let sum = 0;
        for (let c = 0; c < channels; c++) {
          const x = samples[i * channels + c]!;
          const ax = x < 0 ? -x : x;
          if (ax > accPeak) accPeak = ax;
          const s = st[c]!;
          const y1 = s1.b0 * x + s1.b1 * s[0]! + s1.b2 * s[1]! - s1.a1 * s[2]! - s1.a2 * s[3]!;
          s[1] = s[0]!;
          s[0] = x;
          s[3] = s[2]!;
          s[2] = y1;
          const y2 = s2.b0 * y1 + s2.b1 * s[4]! + s2.b2 * s[5]! - s2.a1 * s[6]! - s2.a2 * s[7]!;
          s[5] = s[4]!;
          s[4] = y1;
          s[7] = s[6]!;
          s[6] = y2;
          sum += y2 * y2;
        }
        acc += sum;
        inBlock++;
        if (inBlock === blockLen) {
          blockEnergy.push(acc / blockLen);
          blockPeak.push(accPeak);
          if (accPeak > peak) peak = accPeak;
          acc = 0;
          accPeak = 0;
          inBlock = 0;
        }
      }
    },
    finish() {
      // A trailing partial block is dropped, as ebur128 does: it reports only complete 100 ms steps.
      if (accPeak > peak) peak = accPeak;
      const points: LoudnessPoint[] = [];
      const windowMean = (end: number, len: number): number => {
        let s = 0;
        for (let k = end - len + 1; k <= end; k++) s += blockEnergy[k]!;
        return s / len;
      };
      for (let k = every - 1; k < blockEnergy.length; k += every) {
        points.push({
          t_ms: (k + 1) * 100,
          momentary_lufs: k >= 3 ? toLufs(windowMean(k, 4)) : null,
          short_term_lufs: k >= 29 ? toLufs(windowMean(k, 30)) : null,
        });
      }
      // Integrated: gating blocks of 400 ms every 100 ms.
      const gating: number[] = [];
      for (let k = 3; k < blockEnergy.length; k++) gating.push(windowMean(k, 4));
      const abs = gating.filter((e) => e > 0 && -0.691 + 10 * Math.log10(e) > -70);
      let integrated: number | null = null;
      if (abs.length > 0) {
        const meanAbs = abs.reduce((a, b) => a + b, 0) / abs.length;
        const relGate = -0.691 + 10 * Math.log10(meanAbs) - 10;
        const rel = abs.filter((e) => -0.691 + 10 * Math.log10(e) > relGate);
        if (rel.length > 0) integrated = toLufs(rel.reduce((a, b) => a + b, 0) / rel.length);
      }
      return {
        points,
        integrated_lufs: integrated,
        sample_peak_dbfs: toDb(peak),
        block_peaks_dbfs: blockPeak.map((p) => toDb(p) ?? -120),
        block_energy: blockEnergy,
      };
    },
  };
}
