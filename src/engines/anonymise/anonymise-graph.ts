/**
 * The one-pass anonymise filtergraph: split the source, hide everything in the copy, cut the copy to the faces
 * with the mask as alpha, overlay it back. Input 0 is the source, input 1 the raw low-resolution mask.
 */
import { maskScaleFilter } from '../regions/mask-filter.js';

export interface AnonymiseGraphInput {
  /** Effect chain from effectFilter. */
  effect: string;
  width: number;
  height: number;
  /** 'yuv420p' for video, 'rgb24' for a PNG still. */
  outPixFmt: 'yuv420p' | 'rgb24';
}

/** Output label of the graph. */
export const ANONYMISE_OUT = 'vout';

export function anonymiseGraph(p: AnonymiseGraphInput): string {
  return [
    // Converting first: the effect (lutyuv) and overlay then see one known format whatever the source is.
    `[0:v:0]format=yuv420p,split=2[base][fx]`,
    `[fx]${p.effect}[hidden]`,
    maskScaleFilter({ maskInput: '1:v', width: p.width, height: p.height, out: 'mask' }),
    // shortest=1: the mask runs one frame past the source and must not extend the output.
    `[hidden][mask]alphamerge=shortest=1[cut]`,
    `[base][cut]overlay=format=yuv420:eof_action=pass:shortest=1,format=${p.outPixFmt}[${ANONYMISE_OUT}]`,
  ].join(';');
}
