/**
 * One ffmpeg input per clip segment. Seeking with `-ss` before `-i` (accurate when transcoding; the demuxer seeks
 * a margin earlier for open GOPs, see seek-options.ts) and bounding with `-t` means each decoder starts at its
 * segment and stops after it, and the track's concat pulls one segment at a time, so nothing is buffered ahead:
 * peak memory does not grow with clip length (a plain xfade chain over whole clips can buffer the next clip from
 * its start until the transition).
 *
 * What does grow is a fixed cost per segment: ffmpeg 5.1 keeps every input's decoder (and the filter chain's
 * frame pools) allocated until the end of the run. Measured with 320x240 H.264 sources: ~2 MB per segment with
 * one decoder thread, ~5.5 MB with automatic frame threading (which allocates per-thread frame contexts). So
 * short segments of a timeline with many clips (the many-segment case) decode with `-threads 1`; long ones, and
 * every segment of a timeline with few clips (where a few MB per segment do not matter), keep automatic
 * threading for speed: a single-threaded decoder cost a 4 s one-clip GIF 14-20 % wall time against the same
 * command with automatic threads (docs/BENCHMARKS.md). Timelines with hundreds of segments from large sources
 * should be rendered in chunks (planChunks).
 */
import type { ClipRef } from './clip-ref.js';
import { formatNumber } from './format.js';
import { frameMs, type FrameGrid } from './frame-grid.js';
import type { GraphBuilder } from './graph.js';
import { seekOptions } from './seek-options.js';
import { sourceDecoderOptions } from './source-decoder-options.js';

export interface SegmentInput {
  index: number;
  /** Output frames at the start that have no source (incoming handle missing): the first frame is held. */
  leadFrames: number;
  /** Source window read by a moving (not still, not frozen) clip: -ss start, -t (end - start); for stabilise. */
  window?: { startMs: number; endMs: number; decoderOptions: string[] };
}

/** Segments shorter than this decode single-threaded (see above). */
export const SINGLE_THREAD_SEGMENT_MS = 5000;

/** Timelines with at most this many clips decode every segment with automatic threads. */
export const FEW_CLIPS = 8;

function sec(ms: number): string {
  return formatNumber(Math.max(0, ms) / 1000);
}

/**
 * Add the input for clip-relative output frames [p0, p1) (p0 may be negative and p1 beyond the clip: the
 * transition handles).
 */
export function addSegmentInput(options: {
  g: GraphBuilder;
  ref: ClipRef;
  grid: FrameGrid;
  p0: number;
  p1: number;
  /** Absolute timeline frames the segment covers (recorded on the input for planChunks). */
  frames: [number, number];
  /** The timeline has more than FEW_CLIPS clips: short segments decode single-threaded (memory per segment). */
  manyClips: boolean;
}): SegmentInput {
  const { g, ref, grid, p0, p1, frames, manyClips } = options;
  const fms = frameMs(grid);
  const count = p1 - p0;
  const id = ref.source.asset_id;
  const path = ref.source.path;
  // Every seek must decode like a decode from the start (see source-decoder-options.ts).
  const decoder = sourceDecoderOptions(ref.source.info);
  // -ss, seeking the demuxer early enough for open-GOP leading pictures (see seek-options.ts).
  const seek = (atMs: number) => seekOptions({ info: ref.source.info, atMs });

  if (ref.still && ref.source.input_format === 'lavfi') {
    // A generator: the graph loops its one frame at the output rate; -t bounds it like an image's -loop.
    const index = g.addInput(id, path, ['-f', 'lavfi', '-t', sec((count + 1) * fms)], frames);
    return { index, leadFrames: 0 };
  }
  if (ref.still) {
    // An image decodes to one frame; -loop repeats it at the output rate for as long as -t says.
    const index = g.addInput(
      id,
      path,
      [
        '-loop',
        '1',
        '-framerate',
        `${formatNumber(grid.fps.num)}/${formatNumber(grid.fps.den)}`,
        '-t',
        sec((count + 1) * fms),
      ],
      frames,
    );
    return { index, leadFrames: 0 };
  }
  if (ref.freeze) {
    const at = Math.max(
      0,
      Math.min(ref.clip.freeze_at_ms ?? 0, ref.sourceDurationMs - 2 * ref.sourceFrameMs),
    );
    const index = g.addInput(
      id,
      path,
      [...decoder, '-threads', '1', ...seek(at), '-t', sec(4 * ref.sourceFrameMs)],
      frames,
    );
    return { index, leadFrames: 0 };
  }

  const step = fms * ref.clip.speed;
  const end = ref.sourceDurationMs;
  let leadFrames = 0;
  let a: number;
  let b: number;
  if (!ref.reverse) {
    a = ref.inMs + p0 * step;
    b = ref.inMs + p1 * step;
    if (a < 0) {
      leadFrames = Math.min(count - 1, Math.ceil(-a / step - 1e-9));
      a += leadFrames * step;
    }
    // Entirely past the end (a one-frame handle): seek to the last frames so the hold has a picture.
    a = Math.min(a, Math.max(0, end - 2 * ref.sourceFrameMs));
    // One extra frame of margin: the fps filter needs the next frame to place the last one; trim drops it.
    b = Math.min(end, b + step);
  } else {
    // Reversed: output frame p shows source time outMs - (p + 1) · step, so the window is read backwards.
    a = ref.outMs - p1 * step;
    b = ref.outMs - p0 * step;
    if (b > end) {
      leadFrames = Math.min(count - 1, Math.ceil((b - end) / step - 1e-9));
      b -= leadFrames * step;
    }
    a = Math.max(0, a);
    b = Math.max(b, a + ref.sourceFrameMs);
  }
  const threads = manyClips && b - a < SINGLE_THREAD_SEGMENT_MS ? ['-threads', '1'] : [];
  const index = g.addInput(id, path, [...decoder, ...threads, ...seek(a), '-t', sec(b - a)], frames);
  return {
    index,
    leadFrames: Math.max(0, leadFrames),
    window: {
      startMs: Math.max(0, a),
      endMs: Math.max(0, a) + Math.max(0, b - a),
      decoderOptions: [...decoder, ...threads],
    },
  };
}
