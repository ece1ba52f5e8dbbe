/**
 * Text in/out animations as drawtext expressions of timeline time `t`. Each side yields a visibility
 * progress p (0 = gone, 1 = fully in): in: clip((t - start)/d, 0, 1); out: clip((end - t)/d, 0, 1). From p:
 * - fade:  alpha = p
 * - slide_*: an offset of 10% of the canvas that shrinks with ease-out, plus alpha = p (a slide that pops
 *   fully opaque into view at its first frame looks like a glitch)
 * - pop:   fontsize × (0.5 + 0.5·easeOut(p)) plus alpha = p; drawtext 5.1 re-evaluates `fontsize` every frame
 *   (measured), and the position expressions use text_w/text_h, so the text grows from its anchor.
 * Expressions are raw (they contain commas); the caller escapes them.
 */
import type { TextLayer } from '../../timeline/index.js';
import { formatNumber } from '../format.js';

export type TextAnimation = TextLayer['animation']['in'];

export const TEXT_ANIMATIONS: Readonly<Record<TextAnimation, string>> = {
  none: 'Appears and disappears on the frame.',
  fade: 'Opacity ramps over the animation duration.',
  slide_up: 'Moves up into place (in) / up and away (out), easing out, with a fade.',
  slide_down: 'Moves down into place (in) / down and away (out), easing out, with a fade.',
  slide_left: 'Moves left into place (in) / left and away (out), easing out, with a fade.',
  slide_right: 'Moves right into place (in) / right and away (out), easing out, with a fade.',
  pop: 'Grows from half size with ease-out (in) / shrinks (out), with a fade.',
};

/** Fraction of the canvas a slide travels. */
const SLIDE_DISTANCE = 0.1;

export interface TextMotion {
  /** Multiplies the layer alpha ('1' when static). */
  alpha: string;
  /** Added to x / y in pixels ('0' when static). */
  dx: string;
  dy: string;
  /** Multiplies the font size ('1' when static). */
  scale: string;
}

export interface TextMotionInput {
  animIn: TextAnimation;
  animOut: TextAnimation;
  /** Visible window in seconds (already on the frame grid). */
  startS: number;
  endS: number;
  /** Duration of each animation side in seconds. */
  inS: number;
  outS: number;
  width: number;
  height: number;
}

function product(terms: string[]): string {
  return terms.length === 0 ? '1' : terms.join('*');
}

function sum(terms: string[]): string {
  return terms.length === 0 ? '0' : terms.join('+').replace(/\+-/g, '-');
}

export function textMotion(input: TextMotionInput): TextMotion {
  const alpha: string[] = [];
  const dx: string[] = [];
  const dy: string[] = [];
  const scale: string[] = [];
  const sides = [
    {
      anim: input.animIn,
      p: `clip((t-${formatNumber(input.startS)})/${formatNumber(input.inS)},0,1)`,
      dir: 1,
      d: input.inS,
    },
    {
      anim: input.animOut,
      p: `clip((${formatNumber(input.endS)}-t)/${formatNumber(input.outS)},0,1)`,
      dir: -1,
      d: input.outS,
    },
  ];
  for (const side of sides) {
    if (side.anim === 'none' || side.d <= 0) continue;
    alpha.push(side.p);
    // (1-p)^2: the remaining distance of an ease-out approach (in) / the travelled distance of an ease-in exit (out).
    const remaining = `pow(1-${side.p},2)`;
    const dv = formatNumber(SLIDE_DISTANCE * input.height);
    const dh = formatNumber(SLIDE_DISTANCE * input.width);
    // In: starts displaced opposite to the motion; out: leaves in the motion's direction.
    const sign = side.dir === 1 ? '' : '-';
    const neg = side.dir === 1 ? '-' : '';
    switch (side.anim) {
      case 'slide_up':
        dy.push(`${sign}${dv}*${remaining}`);
        break;
      case 'slide_down':
        dy.push(`${neg}${dv}*${remaining}`);
        break;
      case 'slide_left':
        dx.push(`${sign}${dh}*${remaining}`);
        break;
      case 'slide_right':
        dx.push(`${neg}${dh}*${remaining}`);
        break;
      case 'pop':
        scale.push(`(1-0.5*${remaining})`);
        break;
      case 'fade':
        break;
    }
  }
  return { alpha: product(alpha), dx: sum(dx), dy: sum(dy), scale: product(scale) };
}
