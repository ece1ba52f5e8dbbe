/**
 * What a probe tells about a media file, as plain data. Produced by src/ffmpeg/probe.ts (the only place that
 * runs ffprobe), stored with the asset, and consumed by the pure planner. Lives here so the planner can use
 * the type without importing an I/O layer.
 */
export interface Rational {
  num: number;
  den: number;
}

export interface VideoStreamInfo {
  index: number;
  codec: string;
  /** Coded size, before rotation and sample aspect ratio. */
  width: number;
  height: number;
  /** Size as displayed: rotation applied (90/270 swap) and square pixels (SAR applied to the width). */
  display_width: number;
  display_height: number;
  /** Nominal frame rate (r_frame_rate). */
  fps: Rational;
  /** Average frame rate (avg_frame_rate); differs from fps for variable-frame-rate files. */
  avg_fps: Rational;
  /** True when the file has a variable frame rate (phones, screen recordings). */
  vfr: boolean;
  /** Clockwise display rotation from the display matrix / rotate tag. */
  rotation: 0 | 90 | 180 | 270;
  /** Sample (pixel) aspect ratio; 1:1 for square pixels. */
  sar: Rational;
  pix_fmt: string;
  frame_count?: number;
  duration_ms: number;
  start_ms: number;
  /** Still image (png/jpg/…): no duration of its own. */
  still: boolean;
  /**
   * H.264 written by x264: its build number, from the SEI of the first access unit. Decoders seeking past that
   * SEI need it to apply their workarounds for old x264 bugs (src/ffmpeg/detect-x264-build.ts).
   */
  x264_build?: number;
}

export interface AudioStreamInfo {
  index: number;
  codec: string;
  sample_rate: number;
  channels: number;
  channel_layout: string;
  duration_ms: number;
  start_ms: number;
}

/** A font file (TrueType, OpenType/CFF or a collection), read from its sfnt tables rather than ffprobe. */
export interface FontInfo {
  /** `ttf` (TrueType outlines), `otf` (CFF outlines, 'OTTO'), `ttc` (collection; names are of its first font). */
  format: 'ttf' | 'otf' | 'ttc';
  /** Family name (name table nameID 1, else 16, else the full name). */
  family: string;
  /** Subfamily/style, e.g. "Regular", "Bold Italic" (nameID 2). */
  subfamily?: string;
  /** Full name (nameID 4), e.g. "Liberation Serif". */
  full_name?: string;
  /** Fonts in the file: 1 unless a collection. */
  num_fonts: number;
}

export interface MediaInfo {
  /** `font` assets are never clip sources: text layers use them via `font.asset_id`. */
  kind: 'video' | 'audio' | 'image' | 'font';
  format_name: string;
  duration_ms: number;
  size_bytes: number;
  bit_rate?: number;
  /** First video stream, if any. */
  video?: VideoStreamInfo;
  /** First audio stream, if any. */
  audio?: AudioStreamInfo;
  stream_count: number;
  /** Container timecode (e.g. "01:00:00:00") when present. */
  timecode?: string;
  /** Font assets only. */
  font?: FontInfo;
}

/**
 * The video packets of a file in decode order, with the stream parameters a stream copy must match (smart
 * render). Produced by src/ffmpeg/probe-packet-index.ts; consumed by the pure planner (src/plan/smart-plan.ts).
 */
export interface VideoPacketIndex {
  codec: string;
  /** ffprobe's profile name, e.g. "High", "Main", "Constrained Baseline". */
  profile: string;
  /** level_idc (H.264: 30 = 3.0; HEVC: 3 × level × 10, e.g. 93 = 3.1). */
  level: number;
  pix_fmt: string;
  width: number;
  height: number;
  sar: Rational;
  time_base: Rational;
  /** Nominal frame rate (r_frame_rate). */
  fps: Rational;
  color: { range: string; space: string; primaries: string; transfer: string };
  /** Container start time in time_base ticks (ffmpeg's -ss counts from it). */
  format_start_ts: number;
  /** [pts, dts, keyframe] per packet, decode order, in time_base ticks. */
  packets: Array<[number, number, boolean]>;
  /**
   * HEVC only: nal_unit_type of the first slice of each keyframe packet, by decode index (19/20 IDR, 21 CRA,
   * 16-18 BLA); a keyframe whose packet could not be read is absent.
   */
  key_nal_types?: Record<number, number>;
}
