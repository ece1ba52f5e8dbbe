/**
 * The zoom-pan of a clip's `motion` as filters: an optional pre-scale, then zoompan with one output frame per
 * input frame (d=1), so the clip's exact frame count is kept and video clips move too, not only stills.
 *
 * Why zoompan and not an animated scale + crop: crop evaluates its size once (only x/y per frame in ffmpeg 5.1),
 * and a scale whose size changes per frame must be the last filter of a chain. zoompan crops a window of
 * (iw/zoom x ih/zoom) at (x, y) and scales it to a fixed size per frame.
 *
 * The picture is first scaled to `prescale` x the fitted size (at most the source's own resolution): a 2x zoom
 * then shows source pixels instead of an upscaled fitted picture, and the window's integer corner moves in
 * steps of 1/prescale output pixels, which keeps slow pans from stepping visibly.
 */
import type { Keyframe, Rational } from '../../timeline/index.js';
import { keyframeExpr } from '../automation/keyframe-expr.js';
import { escapeFilterValue, formatNumber } from '../format.js';
import type { ResolvedMotion } from './resolve-motion.js';

/** Largest pre-scale factor (memory and time grow with its square). */
export const MAX_MOTION_PRESCALE = 3;
/** Largest pre-scaled side: beyond it swscale gets slow for no visible gain. */
const MAX_PRESCALED_SIDE = 8192;

function even(x: number): number {
  return Math.max(2, 2 * Math.round(x / 2));
}

/** Pre-scale factor for a picture fitted to width x height from a source of sourceWidth x sourceHeight. */
export function motionPrescale(options: {
  motion: ResolvedMotion;
  width: number;
  height: number;
  sourceWidth: number;
  sourceHeight: number;
}): number {
  const { motion, width, height } = options;
  const bySource = Math.min(options.sourceWidth / width, options.sourceHeight / height);
  const bySide = MAX_PRESCALED_SIDE / Math.max(width, height);
  const k = Math.min(motion.maxZoom, bySource, bySide, MAX_MOTION_PRESCALE);
  return k > 1 ? Math.round(k * 100) / 100 : 1;
}

export function prescaledSize(width: number, height: number, k: number): { w: number; h: number } {
  return k === 1 ? { w: width, h: height } : { w: even(width * k), h: even(height * k) };
}

/**
 * zoompan producing width x height at the output rate. Its `on` counts this segment's frames from 0; clip time is
 * (on + p0) / fps, since keyframes are on clip time.
 */
export function zoompanFilter(options: {
  motion: ResolvedMotion;
  width: number;
  height: number;
  fps: Rational;
  /** Clip-relative first output frame of the segment. */
  p0: number;
}): string {
  const { motion, fps, p0 } = options;
  const n = formatNumber;
  const time = `(on*${n(fps.den)}/${n(fps.num)})`;
  const offsetSeconds = -(p0 * fps.den) / fps.num;
  const expr = (keyframes: Keyframe[]): string => keyframeExpr({ keyframes, timeVar: time, offsetSeconds });
  let z: string;
  let x: string;
  let y: string;
  if (motion.kind === 'window') {
    z = `1/(${expr(motion.width)})`;
    x = `iw*(${expr(motion.x)})`;
    y = `ih*(${expr(motion.y)})`;
  } else {
    // Centre p on the canvas at zoom s shows the window whose left edge is at (0.5 - p/s) of the picture.
    z = expr(motion.zoom);
    x = `iw*(0.5-(${expr(motion.centreX)})/zoom)`;
    y = `ih*(0.5-(${expr(motion.centreY)})/zoom)`;
  }
  const v = escapeFilterValue;
  return `zoompan=z=${v(z)}:x=${v(x)}:y=${v(y)}:d=1:s=${n(options.width)}x${n(options.height)}:fps=${n(fps.num)}/${n(fps.den)}`;
}
