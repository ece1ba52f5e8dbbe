/**
 * Thumbnail sprite for timeline clips: N frames at a fixed height, tiled into one JPEG in one decode pass
 * (`fps` picks the frames, `tile` lays them out), plus the layout saying where each frame is and which time it
 * shows. The layout is pure and computed first, so the index never disagrees with what ffmpeg was asked to draw.
 */
import { cutroomError } from '../errors.js';
import { formatNumber } from '../format.js';
import { runFfmpeg } from './run.js';

/** At most this many tiles per row: a 16:9 tile 90 px high is 160 px wide, so 10 columns are 1600 px. */
export const FILMSTRIP_MAX_COLUMNS = 10;
export const FILMSTRIP_MAX_FRAMES = 300;

export interface FilmstripTile {
  index: number;
  /** The source time the tile shows (the fps filter takes the frame nearest this time). */
  time_ms: number;
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface FilmstripLayout {
  count: number;
  columns: number;
  rows: number;
  tile_width: number;
  tile_height: number;
  /** Size of the whole sprite image. */
  width: number;
  height: number;
  /** Source duration the frames are spread over. */
  duration_ms: number;
  tiles: FilmstripTile[];
}

function even(n: number): number {
  return Math.max(2, 2 * Math.round(n / 2));
}

/**
 * Where each of `frames` tiles goes. Tile k shows time k·D/N (the first frame, then every D/N), so a viewer
 * at time t uses tile floor(t·N/D). Tile width keeps the display aspect ratio (rotation and SAR applied).
 */
export function filmstripLayout(input: {
  durationMs: number;
  displayWidth: number;
  displayHeight: number;
  tileHeight: number;
  frames: number;
}): FilmstripLayout {
  const { durationMs, displayWidth, displayHeight } = input;
  const count = Math.max(1, Math.min(FILMSTRIP_MAX_FRAMES, Math.floor(input.frames)));
  const tileHeight = even(input.tileHeight);
  const tileWidth = even((displayWidth * tileHeight) / displayHeight);
  const columns = Math.min(count, FILMSTRIP_MAX_COLUMNS);
  const rows = Math.ceil(count / columns);
  const tiles: FilmstripTile[] = [];
  for (let i = 0; i < count; i++) {
    tiles.push({
      index: i,
      time_ms: Math.round((i * durationMs) / count),
      x: (i % columns) * tileWidth,
      y: Math.floor(i / columns) * tileHeight,
      width: tileWidth,
      height: tileHeight,
    });
  }
  return {
    count,
    columns,
    rows,
    tile_width: tileWidth,
    tile_height: tileHeight,
    width: columns * tileWidth,
    height: rows * tileHeight,
    duration_ms: durationMs,
    tiles,
  };
}

/** The filtergraph for a layout; exported for the golden test. */
export function filmstripFilter(layout: FilmstripLayout): string {
  const still = layout.duration_ms <= 0;
  if (still && layout.count !== 1)
    throw cutroomError('INVALID_PARAM', 'a source without a duration (a still) has a one-tile filmstrip');
  // fps as the exact rational count/duration (frames per second = count·1000/duration_ms), never a float.
  const fps = `${formatNumber(layout.count * 1000)}/${formatNumber(layout.duration_ms)}`;
  return [
    ...(still ? [] : [`fps=fps=${fps}:round=near`]),
    `scale=${formatNumber(layout.tile_width)}:${formatNumber(layout.tile_height)}:flags=bicubic`,
    'setsar=1',
    // Unused cells of the last row (count not a multiple of columns) stay black.
    `tile=${formatNumber(layout.columns)}x${formatNumber(layout.rows)}:color=black`,
  ].join(',');
}

export async function extractFilmstrip(opts: {
  path: string;
  layout: FilmstripLayout;
  output: string;
  signal?: AbortSignal;
}): Promise<void> {
  await runFfmpeg({
    args: [
      ...['-i', opts.path, '-map', '0:v:0', '-an', '-sn', '-dn'],
      ...['-vf', filmstripFilter(opts.layout)],
      // One image: the tile filter emits the sprite once all cells are filled (or at the end of the input).
      ...['-frames:v', '1', '-c:v', 'mjpeg', '-q:v', '4', '-pix_fmt', 'yuvj420p'],
      ...['-map_metadata', '-1', '-flags', '+bitexact', '-fflags', '+bitexact', '-f', 'mjpeg'],
    ],
    output: opts.output,
    durationMs: opts.layout.duration_ms,
    stage: 'encode',
    context: { artifact: 'filmstrip' },
    // Decoding a whole (often 1080p) source for thumbnails is background work: the Studio asks for it while it
    // also asks for a preview, and the preview is what the person is waiting to see.
    nicer: 10,
    ...(opts.signal ? { signal: opts.signal } : {}),
  });
}
