/**
 * Cheap per-window descriptors for the music/silence heuristic: level (RMS dBFS) and spectral flatness
 * (geometric / arithmetic mean of the power spectrum, 100 Hz – 7 kHz, Hann window). Flatness is near 1 for
 * noise and near 0 for tonal sound (music, sustained notes); speech sits in between and varies fast.
 */
import FFT from 'fft.js';

export interface SpectralFrame {
  rms_db: number;
  flatness: number;
}

export function createSpectralAnalyzer({ size, sampleRate }: { size: number; sampleRate: number }) {
  const fft = new FFT(size);
  const out = fft.createComplexArray() as number[];
  const input = new Float64Array(size);
  const hann = Float64Array.from({ length: size }, (_, i) => 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / size));
  const lo = Math.max(1, Math.floor((100 * size) / sampleRate));
  const hi = Math.min(size / 2 - 1, Math.ceil((7000 * size) / sampleRate));
  return (window: Float32Array): SpectralFrame => {
    let s = 0;
    for (let i = 0; i < size; i++) {
      const x = window[i] ?? 0;
      s += x * x;
      input[i] = x * hann[i]!;
    }
    const rmsDb = 10 * Math.log10(s / size + 1e-12);
    fft.realTransform(out, input);
    let logSum = 0;
    let sum = 0;
    for (let k = lo; k <= hi; k++) {
      const p = out[2 * k]! * out[2 * k]! + out[2 * k + 1]! * out[2 * k + 1]! + 1e-12;
      logSum += Math.log(p);
      sum += p;
    }
    const bins = hi - lo + 1;
    const flatness = Math.exp(logSum / bins) / (sum / bins);
    return { rms_db: rmsDb, flatness };
  };
}
