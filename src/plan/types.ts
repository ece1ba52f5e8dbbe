/**
 * The planner's contract: `compile()` turns typed values into a RenderPlan. Pure and deterministic: everything
 * that needs I/O (probes, artifact lookups, font paths, the chosen encoder) is resolved before and passed in.
 */
import type { Warning } from '../errors.js';
import type { MediaInfo, Timeline } from '../timeline/index.js';
import type { OutputOptions } from './output/output-options.js';

/** A source the plan reads: a registered asset resolved to a local path. */
export interface PlanSource {
  asset_id: string;
  /** Local file path ffmpeg reads. Not part of plan_hash (paths differ between machines). */
  path: string;
  /** sha256 of the content; stands for the file in plan_hash. */
  content_hash: string;
  info: MediaInfo;
  /** `lavfi`: `path` is a lavfi graph (a generator clip), read with `-f lavfi`. */
  input_format?: 'lavfi';
}

/** An artifact the plan may use (regions, transcripts, transforms, LUTs…), resolved by the render service. */
export interface PlanArtifact {
  id: string;
  kind: string;
  asset_id: string | null;
  backend_version: string;
  cache_key: string;
  /** Local path of the artifact's content, when it has a file. */
  path?: string;
  /** Parsed content for small JSON artifacts (e.g. an asr_transcript). */
  data?: unknown;
  meta: Record<string, unknown>;
}

export interface EncoderChoice {
  /** ffmpeg encoder name, e.g. libx264, h264_nvenc, prores_ks. */
  video_encoder: string;
  kind: 'cpu' | 'nvenc' | 'vaapi' | 'qsv' | 'videotoolbox';
  /** Why this encoder (e.g. "CUTROOM_ENCODER=cpu", "h264_nvenc failed its test encode: Cannot load libcuda.so.1"). */
  reason: string;
}

export interface CompileInput {
  timeline: Timeline;
  /** Keyed by asset_id. */
  sources: Record<string, PlanSource>;
  /** Keyed by artifact id. */
  artifacts?: Record<string, PlanArtifact>;
  /** A profile id (see profiles.ts). */
  profile: string;
  encoder?: EncoderChoice;
  /** Font files resolved by the caller: key is a family name, `bold:{family}` (its Bold face) or `asset:{id}`. */
  fonts?: Record<string, string>;
  /** Directory where the planner may ask for helper files (text, ASS) to be written; see RenderPlan.files. */
  work_dir?: string;
  /** Render only [start_ms, start_ms + duration_ms) of the timeline (chunks, previews). */
  range?: { start_ms: number; duration_ms: number };
  /**
   * Integrated loudness of the mix measured beforehand (an audio-only pass, e.g. ebur128 over this plan's
   * [aout]). With it, profiles with a loudness target apply one exact gain + a peak limiter; without it they use
   * single-pass loudnorm, whose 3 s lookahead makes ffmpeg hold ~3 s of decoded output frames in memory.
   * Chunked renders should pass it so every chunk gets the same gain.
   */
  loudness_measurement?: { integrated_lufs: number };
  /**
   * `measure`: build the MEASUREMENT pass for loudness_measurement instead of a render: the timeline's audio
   * mix exactly as the real plan builds it (audio-only inputs with -vn, no loudness normalisation), ending in
   * an `ebur128` meter, written to ffmpeg's null muxer. Its args are complete (they end with `-f null -`): the
   * runner appends no output. Read the integrated loudness from stderr with parseEbur128Summary (src/ffmpeg).
   * `streams` must be left unset or `audio`.
   */
  loudness_pass?: 'measure';
  /**
   * Which streams the output carries (default both). Chunked renders encode the picture in chunks (`video`)
   * and the sound once over the whole timeline (`audio`), since AAC frames do not split on video frame edges.
   * `audio` writes an audio-only file: `.m4a` (AAC in MP4) for AAC profiles, `.wav` for PCM profiles
   * (meta.output_extension says which).
   */
  streams?: 'both' | 'video' | 'audio';
  /** Force a closed GOP every N output frames (each chunk then starts with an IDR frame); see encoderArgs. */
  gop_frames?: number;
  /**
   * Whether this ffmpeg has the minterpolate filter (hasFilter('minterpolate'), resolved by the render service).
   * Default true (Debian's ffmpeg has it); false makes slowmo_quality high/medium fall back to blending.
   */
  has_minterpolate?: boolean;
  /** Output format and overrides on top of the profile (size, fps, GIF caps, poster time, sprite). */
  output?: OutputOptions;
  /** Extension of the output file (without the dot); its format must match `output.format` when both are set. */
  output_extension?: string;
}

export interface PlanInput {
  index: number;
  asset_id: string;
  /** ffmpeg input options placed before `-i` (e.g. -ss, -t, -loop 1, -noautorotate). */
  options: string[];
  path: string;
  /** Output frames [first, end) of the timeline this input feeds (absolute timeline frames); for planChunks. */
  frames?: [number, number];
}

/** A helper file (textfile= for drawtext, an .ass caption file) the runner writes before spawning ffmpeg. */
export interface PlanFile {
  path: string;
  content: string;
}

export interface RenderPlan {
  inputs: PlanInput[];
  filtergraph: string;
  /** Full ffmpeg argument list without the binary and without the output path (the runner appends it). */
  args: string[];
  files: PlanFile[];
  meta: PlanMeta;
  warnings: Warning[];
}

export interface PlanMeta {
  plan_version: string;
  plan_hash: string;
  profile: string;
  width: number;
  height: number;
  fps: { num: number; den: number };
  duration_ms: number;
  frame_count: number;
  encoder: EncoderChoice;
  transitions: Array<{
    id: string;
    type: string;
    start_ms: number;
    duration_ms: number;
    video_alias: string;
    audio_alias: string;
  }>;
  dependency_notices: Array<{
    kind: string;
    artifact_id: string;
    backend_version: string;
    cache_key: string;
    asset_id: string | null;
  }>;
  [key: string]: unknown;
}
