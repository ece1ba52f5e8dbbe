/**
 * A clip's own transitions (transition_in from nothing, transition_out to nothing) as pieces of the clip's
 * transform onto the canvas (clip-video.ts step 5), so they combine with position/scale/opacity automation:
 * - fade: a per-frame opacity factor (applied through the same sendcmd'd lut as opacity keyframes);
 * - slide: an offset added to the overlay position, in canvas fractions;
 * - zoom: a factor on the picture's scale;
 * - wipe: covers (canvas-sized rectangles at a moving offset) hiding the part not yet / no longer shown.
 * Expressions are in clip time: the caller's segment time variable plus the segment's clip offset.
 */
import type { Warning } from '../../errors.js';
import type { ClipTransition, MediaClip } from '../../timeline/index.js';
import { formatNumber } from '../format.js';

export interface ClipInOut {
  /** Opacity factor at clip time (ms), 0..1; undefined without fades. */
  opacityAt?: (clipMs: number) => number;
  /** Offsets added to position_x / position_y (expressions of timeVar). */
  xOffset?: string;
  yOffset?: string;
  /** Factor on the scale (expression of timeVar). */
  scaleFactor?: string;
  /** Wipe covers: the top-left corner of a canvas-sized cover, in pixels (expressions of timeVar, W, H). */
  covers: Array<{ x: string; y: string }>;
  /** [start, end) of the in and out windows in clip seconds (where anything changes). */
  windows: Array<[number, number]>;
}

const n = (x: number) => formatNumber(x, 6);

function ease(p: string): string {
  return `(0.5-0.5*cos(PI*${p}))`;
}

export function clipInOut(options: {
  clip: MediaClip;
  /** Length of the clip on the timeline (frames x frame length), ms. */
  clipLengthMs: number;
  path: string;
  warnings: Warning[];
  /** The expression giving clip time in seconds (e.g. `(t+0.5)`). */
  clipTime: string;
  /** Whether to push warnings (only for a clip's first segment, so they appear once). */
  report: boolean;
}): ClipInOut | undefined {
  const { clip, clipLengthMs: L } = options;
  let din = clip.transition_in?.duration_ms ?? 0;
  let dout = clip.transition_out?.duration_ms ?? 0;
  if (din === 0 && dout === 0) return undefined;
  if (din + dout > L) {
    const k = L / (din + dout);
    if (options.report)
      options.warnings.push({
        code: 'CLIP_TRANSITION_CLAMPED',
        message: `transition_in and transition_out (${din + dout} ms together) are longer than the clip (${Math.round(L)} ms); both shortened in proportion`,
        path: `${options.path}.transition_in`,
      });
    din *= k;
    dout *= k;
  }
  const ct = options.clipTime;
  const inP = `clip(${ct}/${n(din / 1000)},0,1)`;
  const outStart = (L - dout) / 1000;
  const outP = `clip((${ct}-${n(outStart)})/${n(dout / 1000)},0,1)`;
  const result: ClipInOut = { covers: [], windows: [] };
  const xs: string[] = [];
  const ys: string[] = [];
  const scales: string[] = [];
  const fades: Array<(ms: number) => number> = [];
  const add = (tr: ClipTransition | undefined, side: 'in' | 'out') => {
    if (!tr) return;
    const d = side === 'in' ? din : dout;
    if (d <= 0) return;
    result.windows.push(side === 'in' ? [0, din / 1000] : [outStart, L / 1000]);
    const p = side === 'in' ? inP : outP;
    // Remaining distance to travel (in) or travelled so far (out), eased.
    const move = side === 'in' ? `(1-${ease(p)})` : ease(p);
    switch (tr.type) {
      case 'fade':
        fades.push((ms) => {
          const q = side === 'in' ? ms / d : (ms - (L - d)) / d;
          const c = Math.min(1, Math.max(0, q));
          return side === 'in' ? c : 1 - c;
        });
        break;
      case 'slide_left':
        // In: from the right, still to move left; out: moving left, off the canvas.
        xs.push(side === 'in' ? move : `-${move}`);
        break;
      case 'slide_right':
        xs.push(side === 'in' ? `-${move}` : move);
        break;
      case 'slide_up':
        ys.push(side === 'in' ? move : `-${move}`);
        break;
      case 'slide_down':
        ys.push(side === 'in' ? `-${move}` : move);
        break;
      case 'zoom':
        scales.push(side === 'in' ? `max(0.01,${ease(p)})` : `max(0.01,1-${ease(p)})`);
        break;
      case 'wipe_left':
        result.covers.push(side === 'in' ? { x: `-W*${p}`, y: '0' } : { x: `W*(1-${p})`, y: '0' });
        break;
      case 'wipe_right':
        result.covers.push(side === 'in' ? { x: `W*${p}`, y: '0' } : { x: `-W*(1-${p})`, y: '0' });
        break;
      case 'wipe_up':
        result.covers.push(side === 'in' ? { x: '0', y: `-H*${p}` } : { x: '0', y: `H*(1-${p})` });
        break;
      case 'wipe_down':
        result.covers.push(side === 'in' ? { x: '0', y: `H*${p}` } : { x: '0', y: `-H*(1-${p})` });
        break;
    }
  };
  add(clip.transition_in, 'in');
  add(clip.transition_out, 'out');
  if (xs.length > 0) result.xOffset = xs.join('+').replace(/\+-/g, '-');
  if (ys.length > 0) result.yOffset = ys.join('+').replace(/\+-/g, '-');
  if (scales.length > 0) result.scaleFactor = scales.join('*');
  if (fades.length > 0) result.opacityAt = (ms) => fades.reduce((acc, f) => acc * f(ms), 1);
  return result;
}
