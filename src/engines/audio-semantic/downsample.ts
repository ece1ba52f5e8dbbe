/**
 * Interleaved PCM at 48 kHz → mono 16 kHz for the VAD, streaming, so a single ffmpeg decode at 48 kHz (the
 * loudness meter's rate) also feeds the VAD. Downmix is the channel mean; decimation by 3 after a 63-tap
 * Blackman-windowed sinc low-pass at 7.2 kHz (below the new Nyquist of 8 kHz).
 */
const TAPS = 63;
const FACTOR = 3;

function lowpass(): Float64Array {
  const h = new Float64Array(TAPS);
  const fc = 7200 / 48000;
  const mid = (TAPS - 1) / 2;
  let sum = 0;
  for (let i = 0; i < TAPS; i++) {
    const x = i - mid;
    const sinc = x === 0 ? 2 * fc : Math.sin(2 * Math.PI * fc * x) / (Math.PI * x);
    const w =
      0.42 - 0.5 * Math.cos((2 * Math.PI * i) / (TAPS - 1)) + 0.08 * Math.cos((4 * Math.PI * i) / (TAPS - 1));
    h[i] = sinc * w;
    sum += h[i]!;
  }
  for (let i = 0; i < TAPS; i++) h[i] = h[i]! / sum;
  return h;
}

export interface Downsampler {
  /** Returns the 16 kHz mono samples this chunk completes. */
  push(interleaved48k: Float32Array): Float32Array;
}

export function createDownsampler48kTo16k({ channels }: { channels: number }): Downsampler {
  const h = lowpass();
  // Ring of the last TAPS mono input samples.
  const ring = new Float64Array(TAPS);
  let pos = 0;
  let phase = 0;
  return {
    push(interleaved) {
      const frames = Math.floor(interleaved.length / channels);
      const out = new Float32Array(Math.floor((frames + phase) / FACTOR) + 1);
      let n = 0;
      for (let i = 0; i < frames; i++) {
        let m = 0;
        for (let c = 0; c < channels; c++) m += interleaved[i * channels + c]!;
        ring[pos] = m / channels;
        pos = (pos + 1) % TAPS;
        phase++;
        if (phase === FACTOR) {
          phase = 0;
          let acc = 0;
          // ring[pos] is the oldest sample.
          for (let k = 0; k < TAPS; k++) acc += h[k]! * ring[(pos + k) % TAPS]!;
          out[n++] = acc;
        }
      }
      return out.subarray(0, n);
    },
  };
}
