/**
 * Slow-motion presets as data (for GET /video/presets and docs): what each `slowmo_quality` does and the
 * largest picture it interpolates before falling back to frame blending.
 *
 * Cost, output frames per second of wall time at speed 0.5 (half the frames are made), ffmpeg 5.1 on 2 cores
 * shared with other jobs (load 10-17), so read the ratios more than the figures:
 *   diver.mov upscaled, 2 s:  720p high 0.99, medium 3.64 (same at full size 0.74), fast 10.1
 *                             1080p high 0.45, medium 0.79 (full size 0.41), fast 3.8
 *   cockatoo.mp4, 1 s (bench/stabilise.ts): 720p high 2.5, medium 13.5 (full 2.3), fast 14.9
 *                             1080p high 0.41, medium 2.5 (full 1.8), fast 22.8
 * medium at half size vs the same interpolation at full size: PSNR 43.1 dB (diver 720p), 41.9 dB (diver
 * 1080p), 50 dB (cockatoo); frame blending vs full-size interpolation: 36.6 dB.
 */
export const SLOWMO_QUALITIES = ['high', 'medium', 'fast'] as const;
export type SlowmoQuality = (typeof SLOWMO_QUALITIES)[number];

export interface SlowmoPreset {
  quality: SlowmoQuality;
  method: 'mci_aobmc' | 'mci_obmc_half' | 'blend';
  description: string;
  /** Largest width·height interpolated at this quality; beyond it the clip falls back to `fast`. */
  maxPixels: number;
}

export const SLOWMO_PRESETS: Record<SlowmoQuality, SlowmoPreset> = {
  high: {
    quality: 'high',
    method: 'mci_aobmc',
    description:
      'motion-compensated interpolation (minterpolate mci, adaptive OBMC, bidirectional search, variable-size blocks) at full size; scene cuts are repeated, not morphed',
    maxPixels: 1920 * 1080,
  },
  medium: {
    quality: 'medium',
    method: 'mci_obmc_half',
    description:
      'motion-compensated interpolation (minterpolate mci, OBMC, bilateral search) at half width and height, scaled back; scene cuts are repeated, not morphed',
    maxPixels: 3840 * 2160,
  },
  fast: {
    quality: 'fast',
    method: 'blend',
    description:
      'frame blending (framerate filter): neighbouring frames cross-faded; scene cuts are not blended',
    maxPixels: Number.POSITIVE_INFINITY,
  },
};
