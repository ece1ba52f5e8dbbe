/**
 * Real FFT behind one tiny interface, so a faster backend (e.g. a WASM pffft) can replace fft.js without touching
 * the correlation code. Deliberately not in it: complex-input transforms, windowing, non-power-of-two sizes.
 */
import FFT from 'fft.js';

export interface RealFft {
  readonly size: number;
  /** Name and version of the backend, recorded in artifact meta (results may differ in the last bits). */
  readonly backend: string;
  /** Real `input` (length `size`) → bins 0..size/2 interleaved re,im in `spectrum` (length size + 2). Unscaled. */
  forward(input: Float64Array, spectrum: Float64Array): void;
  /** Half spectrum (length size + 2) → real `output` (length size), scaled by 1/size: inverse(forward(x)) = x. */
  inverse(spectrum: Float64Array, output: Float64Array): void;
}

export const FFT_BACKEND = 'fft.js@4.0.4';

export function isPowerOfTwo(n: number): boolean {
  return Number.isInteger(n) && n >= 1 && (n & (n - 1)) === 0;
}

export function nextPowerOfTwo(n: number): number {
  let p = 1;
  while (p < n) p *= 2;
  return p;
}

/** fft.js backend. `size` must be a power of two ≥ 8. */
export function createFft(size: number): RealFft {
  if (!isPowerOfTwo(size) || size < 8) throw new Error(`FFT size must be a power of two ≥ 8, got ${size}`);
  const full = new FFT(size);
  const half = new FFT(size / 2);
  const fullOut = new Float64Array(2 * size);
  const zIn = new Float64Array(size);
  const zOut = new Float64Array(size);
  const h = size / 2;
  // Twiddles e^{+2πik/size} for the half-size inverse.
  const cos = new Float64Array(h);
  const sin = new Float64Array(h);
  for (let k = 0; k < h; k++) {
    cos[k] = Math.cos((2 * Math.PI * k) / size);
    sin[k] = Math.sin((2 * Math.PI * k) / size);
  }
  return {
    size,
    backend: FFT_BACKEND,
    forward(input, spectrum) {
      full.realTransform(fullOut, input);
      spectrum.set(fullOut.subarray(0, size + 2));
    },
    inverse(spectrum, output) {
      // A real inverse of size n as a complex inverse of size n/2 on z[m] = x[2m] + i·x[2m+1]:
      // E[k] = (X[k] + conj X[n/2-k]) / 2, O[k] = (X[k] - conj X[n/2-k]) · e^{+2πik/n} / 2, Z = E + i·O.
      for (let k = 0; k < h; k++) {
        const xr = spectrum[2 * k]!;
        const xi = spectrum[2 * k + 1]!;
        const yr = spectrum[2 * (h - k)]!;
        const yi = -spectrum[2 * (h - k) + 1]!;
        const er = (xr + yr) / 2;
        const ei = (xi + yi) / 2;
        const dr = (xr - yr) / 2;
        const di = (xi - yi) / 2;
        const or = dr * cos[k]! - di * sin[k]!;
        const oi = dr * sin[k]! + di * cos[k]!;
        zIn[2 * k] = er - oi;
        zIn[2 * k + 1] = ei + or;
      }
      half.inverseTransform(zOut, zIn);
      output.set(zOut.subarray(0, size));
    },
  };
}
