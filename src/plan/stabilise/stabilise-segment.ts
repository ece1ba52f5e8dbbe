/**
 * Input options and filters for one stabilised clip segment.
 *
 * vidstabtransform applies transform k of the file to the k-th frame it receives, and the file holds one
 * transform per source frame counted from the source's first frame. An input seek (`-ss a`) would hand it
 * source frame round(a·fps) as its frame 0, so every frame would get another frame's correction. So the
 * segment's input is decoded from the start (`-t b` only), stabilised, and only then cut to [a, b) by
 * timestamp: `trim=start=a` keeps exactly the frames `-ss a` would have kept (ffmpeg's accurate seek is itself
 * a trim at the seek point on timestamps relative to the file start), and `atrim` does the same to the audio.
 * The cost is decoding (and transforming) the source before `a`; see the report in bench/stabilise.ts.
 */
import { formatNumber } from '../format.js';

export interface StabiliseSegmentOptions {
  /** Source window of the segment, ms, as computed for the unstabilised input (`-ss a -t (b - a)`). */
  windowStartMs: number;
  windowEndMs: number;
  /** The stabilise chain from stabiliseFilter(). */
  filter: string;
  /** Decoder options kept from the unstabilised input (e.g. ['-threads', '1']). */
  decoderOptions?: string[];
}

export interface StabiliseSegment {
  /** Replaces the segment input's options (no -ss). */
  inputOptions: string[];
  /** Video filters to run first on `[i:v]`, before the clip's `setpts=(PTS-STARTPTS)/speed`. */
  videoFilters: string[];
  /** Audio filters to run first on `[i:a]`, before `asetpts=PTS-STARTPTS`. */
  audioFilters: string[];
}

function sec(ms: number): string {
  return formatNumber(Math.max(0, ms) / 1000);
}

export function stabiliseSegment(o: StabiliseSegmentOptions): StabiliseSegment {
  const a = Math.max(0, o.windowStartMs);
  const b = Math.max(a, o.windowEndMs);
  const cut = a > 0;
  return {
    inputOptions: [...(o.decoderOptions ?? []), '-t', sec(b)],
    videoFilters: [o.filter, ...(cut ? [`trim=start=${sec(a)}`] : [])],
    audioFilters: cut ? [`atrim=start=${sec(a)}`] : [],
  };
}
