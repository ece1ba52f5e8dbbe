/**
 * A clip's matte applied to one of its canvas-sized segments (with alpha): the matte asset read as its own input
 * over the same frames, normalised to the frame grid and the canvas, turned into a gray mask (luma, or the
 * matte's alpha), optionally inverted and feathered, then MULTIPLIED into the segment's alpha (not replacing it:
 * the transparent canvas around a fitted or transformed picture must stay transparent).
 */
import type { Matte } from '../../timeline/index.js';
import { formatNumber } from '../format.js';
import { frameMs, type FrameGrid } from '../frame-grid.js';
import type { GraphBuilder } from '../graph.js';
import { seekOptions } from '../seek-options.js';
import { sourceDecoderOptions } from '../source-decoder-options.js';
import type { PlanSource } from '../types.js';

export function applyMatte(options: {
  g: GraphBuilder;
  /** The segment (canvas-sized, yuva420p). */
  picture: string;
  matte: Matte;
  source: PlanSource;
  /** Source time of the matte at the clip's first frame, ms (0: the matte starts with the clip). */
  offsetMs?: number;
  grid: FrameGrid;
  canvas: { width: number; height: number };
  /** Clip-relative first frame of the segment and its frame count. */
  p0: number;
  count: number;
  frames: [number, number];
}): string {
  const { g, matte, source, grid, canvas, p0, count } = options;
  const n = formatNumber;
  const fms = frameMs(grid);
  const sec = (ms: number) => formatNumber(Math.max(0, ms) / 1000);
  const fps = `${n(grid.fps.num)}/${n(grid.fps.den)}`;
  const still = source.info.kind === 'image' || source.info.video?.still === true;
  const inputOptions = still
    ? ['-loop', '1', '-framerate', fps, '-t', sec((count + 1) * fms)]
    : [
        ...sourceDecoderOptions(source.info),
        // Seeks early enough for open-GOP leading pictures, like a clip segment (see seek-options.ts).
        ...seekOptions({ info: source.info, atMs: (options.offsetMs ?? 0) + p0 * fms }),
        '-t',
        sec((count + 1) * fms),
      ];
  const index = g.addInput(source.asset_id, source.path, inputOptions, options.frames);
  const mask = g.fresh('matte');
  g.chain(
    [`[${index}:v]`],
    [
      'setpts=PTS-STARTPTS',
      `fps=${fps}`,
      // A matte shorter than the clip holds its last frame.
      `tpad=stop=${n(count)}:stop_mode=clone`,
      `trim=end_frame=${n(count)}`,
      `scale=${n(canvas.width)}:${n(canvas.height)}`,
      'setsar=1',
      ...(matte.mode === 'alpha' ? ['format=yuva420p', 'alphaextract'] : ['format=gray']),
      ...(matte.invert ? ['negate'] : []),
      ...(matte.feather_px > 0 ? [`gblur=sigma=${n(matte.feather_px / 2)}`] : []),
    ],
    mask,
  );
  const keep = g.fresh('mpic');
  const alphaIn = g.fresh('malpha');
  const clipAlpha = g.fresh('mclip');
  const alpha = g.fresh('mmul');
  const out = g.fresh('matted');
  g.chain([options.picture], ['format=yuva420p', 'split=2'], `${keep}${alphaIn}`);
  g.chain([alphaIn], ['alphaextract'], clipAlpha);
  g.chain([clipAlpha, mask], ['blend=all_mode=multiply'], alpha);
  g.chain([keep, alpha], ['alphamerge', 'format=yuva420p'], out);
  return out;
}
