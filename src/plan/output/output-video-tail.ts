/**
 * The end of the video chain for outputs that are not a plain video file:
 * - GIF: palettegen over every frame, then paletteuse with that palette (the usual two-pass GIF recipe, in one
 *   graph: palettegen emits its palette at the end of the stream and paletteuse waits for it, so ffmpeg holds
 *   the GIF's frames in memory meanwhile; the GIF size and fps caps keep that bounded);
 * - sprite: every K-th frame (K = interval in frames, exact on the frame grid), scaled to the tile width and
 *   tiled into one picture of `columns` x ceil(count / columns).
 * Plain video, audio and posters need nothing here.
 */
import type { Rational } from '../../timeline/index.js';
import { escapeFilterValue, formatNumber } from '../format.js';
import type { GraphBuilder } from '../graph.js';
import type { ResolvedOutput } from './resolve-output.js';

export interface OutputVideoTail {
  /** Filters appended to the final video chain. */
  filters: string[];
  /** When the chain splits: the labels the final chain ends in, and the statements that end in [vout]. */
  split?: { inputs: string; statements: string[] };
  /** Thumbnails in a sprite (meta). */
  tiles?: { count: number; columns: number; rows: number; every_frames: number };
}

export function outputVideoTail(options: {
  g: GraphBuilder;
  output: ResolvedOutput;
  frameCount: number;
  fps: Rational;
}): OutputVideoTail {
  const { g, output, frameCount, fps } = options;
  const n = formatNumber;
  if (output.kind === 'gif') {
    const gif = { colors: 256, dither: 'sierra2_4a', ...output.options.gif };
    const a = g.fresh('gifa');
    const b = g.fresh('gifb');
    const pal = g.fresh('gifpal');
    // stats_mode=full: one palette for the whole clip (no per-frame palettes, which GIF players handle badly).
    return {
      filters: ['split=2'],
      split: {
        inputs: `${a}${b}`,
        statements: [
          `${a}palettegen=max_colors=${n(gif.colors)}:stats_mode=full${pal}`,
          `${b}${pal}paletteuse=dither=${gif.dither}[vout]`,
        ],
      },
    };
  }
  if (output.kind === 'sprite') {
    const sprite = { interval_ms: 1000, columns: 10, tile_width: 160, ...output.options.sprite };
    const every = Math.max(1, Math.round((sprite.interval_ms * fps.num) / (1000 * fps.den)));
    const count = Math.ceil(frameCount / every);
    const columns = Math.min(sprite.columns, count);
    const rows = Math.ceil(count / columns);
    const tileHeight = Math.max(
      2,
      2 * Math.round((sprite.tile_width * output.profile.height) / output.profile.width / 2),
    );
    return {
      filters: [
        `select=${escapeFilterValue(`not(mod(n,${every}))`)}`,
        `scale=${n(sprite.tile_width)}:${n(tileHeight)}`,
        `tile=${n(columns)}x${n(rows)}`,
      ],
      tiles: { count, columns, rows, every_frames: every },
    };
  }
  return { filters: [] };
}
