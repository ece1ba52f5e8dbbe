/**
 * Slow motion for a clip with speed < 1. It goes right after `setpts=(PTS-STARTPTS)/speed`: the slowed stream
 * has its frames spread out (a 30 fps source at 0.5 arrives at 15 fps) and this filter fills the gaps up to
 * the output rate; the `fps=` that follows in the clip chain then only pins the grid. Without it `fps=`
 * repeats frames (judder).
 *
 * - high: minterpolate mci + aobmc + bidir + vsbmc. minterpolate's scene-change detection (scd=fdiff) makes
 *   it repeat a frame across a hard cut instead of morphing the two shots into each other. It looks at luma
 *   only, and at ffmpeg's default threshold (10) a red -> blue cut (luma 79 -> 49) is missed and morphed
 *   (test/plan/slowmo/slowmo-render.test.ts); 5 catches it. fdiff compares the change of the frame
 *   difference, so steady fast motion does not trigger it; a false positive costs one repeated frame, a
 *   missed cut a visible morph.
 * - medium: mci + obmc + bilateral search at half width and height, scaled back: ~3-4x faster than full size
 *   with a measured PSNR within a few dB of the full-size interpolation (bench/stabilise.ts).
 * - fast: the framerate filter blends the two nearest frames; its own scene detection stops blending at cuts.
 *
 * minterpolate is single-threaded and slow (~1.7 fps at 1080p for `high`), so pictures over a preset's pixel
 * budget, or an ffmpeg without minterpolate, fall back to `fast` with a SLOWMO_FALLBACK warning.
 */
import type { Warning } from '../../errors.js';
import type { Rational } from '../../timeline/index.js';
import { formatNumber } from '../format.js';
import { SLOWMO_PRESETS, type SlowmoQuality } from './slowmo-presets.js';

export const SLOWMO_FALLBACK = 'SLOWMO_FALLBACK';

export type SlowmoMethod = 'mci_aobmc' | 'mci_obmc_half' | 'blend' | 'frame_repeat' | 'none';

export interface SlowmoFilterOptions {
  /** The clip's slowmo_quality; undefined keeps plain frame repetition (no interpolation). */
  quality: SlowmoQuality | undefined;
  speed: number;
  /** Output frame rate (the plan's grid). */
  fps: Rational;
  /** Source frame rate, when known: if the slowed source still has enough frames, nothing is interpolated. */
  sourceFps?: Rational;
  /** Size of the picture entering the filter (the decoded source). */
  width: number;
  height: number;
  clipPath: string;
  clipId: string;
  /** ffmpeg has the minterpolate filter (hasFilter('minterpolate')), resolved by the caller. */
  hasMinterpolate: boolean;
  /** Overrides the preset's pixel budget (width·height). */
  maxInterpolatePixels?: number;
}

export interface SlowmoDetails {
  clip_id: string;
  path: string;
  speed: number;
  /** The quality asked for (undefined: none asked). */
  quality: SlowmoQuality | null;
  method: SlowmoMethod;
  fps: Rational;
  preset_description: string;
}

export interface SlowmoFilterResult {
  /** Comma-separated filters between setpts and fps; '' when nothing is needed. */
  filter: string;
  details: SlowmoDetails;
  warnings: Warning[];
}

function n(x: number): string {
  return formatNumber(x);
}

function even(x: number): number {
  return Math.max(2, 2 * Math.floor(x / 2));
}

export function slowmoFilter(o: SlowmoFilterOptions): SlowmoFilterResult {
  const rate = `${n(o.fps.num)}/${n(o.fps.den)}`;
  const base = {
    clip_id: o.clipId,
    path: o.clipPath,
    speed: o.speed,
    quality: o.quality ?? null,
    fps: o.fps,
  };
  const warnings: Warning[] = [];
  const result = (method: SlowmoMethod, filter: string, description: string): SlowmoFilterResult => ({
    filter,
    details: { ...base, method, preset_description: description },
    warnings,
  });

  if (o.speed >= 1) return result('none', '', 'not slowed');
  // Slowed source frames arrive at sourceFps·speed; at or above the output rate, fps= only drops frames.
  if (o.sourceFps && o.sourceFps.num * o.speed * o.fps.den >= o.fps.num * o.sourceFps.den) {
    return result('none', '', 'the slowed source still has a frame for every output frame');
  }
  if (o.quality === undefined) return result('frame_repeat', '', 'frames repeated (no slowmo_quality)');

  let quality = o.quality;
  if (quality !== 'fast') {
    const budget = o.maxInterpolatePixels ?? SLOWMO_PRESETS[quality].maxPixels;
    if (!o.hasMinterpolate) {
      warnings.push({
        code: SLOWMO_FALLBACK,
        message: `slowmo_quality "${quality}" needs ffmpeg's minterpolate filter, which this ffmpeg lacks; frames are blended (fast)`,
        path: `${o.clipPath}.slowmo_quality`,
      });
      quality = 'fast';
    } else if (o.width * o.height > budget) {
      warnings.push({
        code: SLOWMO_FALLBACK,
        message: `slowmo_quality "${quality}" interpolates at most ${budget} pixels per frame (${o.width}x${o.height} is larger; motion interpolation would take minutes per second); frames are blended (fast)`,
        path: `${o.clipPath}.slowmo_quality`,
      });
      quality = 'fast';
    }
  }

  const preset = SLOWMO_PRESETS[quality];
  if (quality === 'high') {
    return result(
      preset.method,
      `minterpolate=fps=${rate}:mi_mode=mci:mc_mode=aobmc:me_mode=bidir:vsbmc=1:scd=fdiff:scd_threshold=5`,
      preset.description,
    );
  }
  if (quality === 'medium') {
    const w = even(o.width / 2);
    const h = even(o.height / 2);
    return result(
      preset.method,
      [
        `scale=${n(w)}:${n(h)}`,
        `minterpolate=fps=${rate}:mi_mode=mci:mc_mode=obmc:me_mode=bilat:scd=fdiff:scd_threshold=5`,
        `scale=${n(o.width)}:${n(o.height)}`,
      ].join(','),
      preset.description,
    );
  }
  return result(preset.method, `framerate=fps=${rate}`, preset.description);
}
