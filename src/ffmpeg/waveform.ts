/**
 * Audio waveform peaks for timeline clips: min/max per bucket at several zoom levels, like audiowaveform's .dat
 * files, from the first audio stream downmixed to mono at 16 kHz (ffmpeg resamples; 16 kHz keeps everything
 * below 8 kHz, which is where the visible energy of speech and music is). Values are 8-bit: a sample of full
 * scale is ±127, so a sine of amplitude A peaks at round(127·A).
 * Long files are read in windows of a whole number of the coarsest buckets, so no bucket straddles two reads.
 */
import { readPcm } from './frames.js';

export const WAVEFORM_SAMPLE_RATE = 16_000;
/** Samples per bucket of each level, finest first: 4 ms, 16 ms, 64 ms, 256 ms, 1.024 s at 16 kHz. */
export const WAVEFORM_LEVELS = [64, 256, 1024, 4096, 16_384] as const;
export const WAVEFORM_SCALE = 127;
/** 600 coarsest buckets = 614.4 s per read: 39 MB of float samples at most in memory. */
const WINDOW_SAMPLES = 600 * WAVEFORM_LEVELS[WAVEFORM_LEVELS.length - 1]!;

export interface WaveformLevel {
  level: number;
  samples_per_bucket: number;
  bucket_ms: number;
  /** Number of buckets. */
  length: number;
  /** Interleaved [min0, max0, min1, max1, …], each in -127..127. */
  data: number[];
}

export interface Waveform {
  sample_rate: number;
  channels: 1;
  bits: 8;
  scale: number;
  /** Samples decoded (the audio's duration at sample_rate). */
  samples: number;
  duration_ms: number;
  levels: WaveformLevel[];
}

function quantise(x: number): number {
  return Math.max(-WAVEFORM_SCALE, Math.min(WAVEFORM_SCALE, Math.round(x * WAVEFORM_SCALE)));
}

/** Min/max of each bucket of `samplesPerBucket` samples (the last one may be partial). Pure. */
export function bucketPeaks(samples: Float32Array, samplesPerBucket: number): Float32Array {
  const n = Math.ceil(samples.length / samplesPerBucket);
  const out = new Float32Array(2 * n);
  for (let b = 0; b < n; b++) {
    let lo = Infinity;
    let hi = -Infinity;
    const end = Math.min(samples.length, (b + 1) * samplesPerBucket);
    for (let i = b * samplesPerBucket; i < end; i++) {
      const v = samples[i]!;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    out[2 * b] = lo;
    out[2 * b + 1] = hi;
  }
  return out;
}

/** Merge groups of `factor` buckets into one (min of mins, max of maxes). Pure. */
export function mergePeaks(peaks: Float32Array, factor: number): Float32Array {
  const n = Math.ceil(peaks.length / 2 / factor);
  const out = new Float32Array(2 * n);
  for (let b = 0; b < n; b++) {
    let lo = Infinity;
    let hi = -Infinity;
    for (let k = b * factor; k < Math.min(peaks.length / 2, (b + 1) * factor); k++) {
      lo = Math.min(lo, peaks[2 * k]!);
      hi = Math.max(hi, peaks[2 * k + 1]!);
    }
    out[2 * b] = lo;
    out[2 * b + 1] = hi;
  }
  return out;
}

export async function extractWaveform(opts: {
  path: string;
  durationMs: number;
  signal?: AbortSignal;
}): Promise<Waveform> {
  const finest = WAVEFORM_LEVELS[0];
  const windowMs = (WINDOW_SAMPLES * 1000) / WAVEFORM_SAMPLE_RATE;
  const chunks: Float32Array[] = [];
  let samples = 0;
  for (let start = 0; start === 0 || start < opts.durationMs; start += windowMs) {
    const pcm = await readPcm({
      path: opts.path,
      sampleRate: WAVEFORM_SAMPLE_RATE,
      ...(start > 0 ? { startMs: start } : {}),
      durationMs: windowMs,
      ...(opts.signal ? { signal: opts.signal } : {}),
    });
    samples += pcm.length;
    chunks.push(bucketPeaks(pcm, finest));
    if (pcm.length < WINDOW_SAMPLES) break;
  }
  const level0 = new Float32Array(chunks.reduce((n, c) => n + c.length, 0));
  let offset = 0;
  for (const c of chunks) {
    level0.set(c, offset);
    offset += c.length;
  }
  const levels: WaveformLevel[] = WAVEFORM_LEVELS.map((spb, level) => {
    const peaks = level === 0 ? level0 : mergePeaks(level0, spb / finest);
    return {
      level,
      samples_per_bucket: spb,
      bucket_ms: (spb * 1000) / WAVEFORM_SAMPLE_RATE,
      length: peaks.length / 2,
      data: Array.from(peaks, quantise),
    };
  });
  return {
    sample_rate: WAVEFORM_SAMPLE_RATE,
    channels: 1,
    bits: 8,
    scale: WAVEFORM_SCALE,
    samples,
    duration_ms: Math.round((samples * 1000) / WAVEFORM_SAMPLE_RATE),
    levels,
  };
}
