/**
 * What a `render` job carries. The timeline is stored inline (a project sequence is copied at submit time), so
 * editing the project later never changes a queued or resumed render.
 */
import type { OutputOptions } from '../../plan/output/output-options.js';
import type { Timeline } from '../../timeline/index.js';
import type { SmartRenderMeta } from '../smart-render.js';

export const RENDER_JOB_KIND = 'render';

export interface RenderJobParams {
  timeline: Timeline;
  profile: string;
  /** Display file name of the result (Content-Disposition of …/output); part of the idempotency key. */
  output?: string;
  /** Where the request came from, for listings. */
  project_id?: string;
  sequence_id?: string;
  /**
   * A local path the finished file is copied to (the CLI's `render --detach -o FILE`). Never accepted over
   * HTTP (the route schema has no such field): a remote client must not choose server paths.
   */
  export_path?: string;
  /** Output format and overrides on top of the profile (webm, gif, mp3, poster, sprite, size, fps). */
  output_options?: OutputOptions;
  /**
   * Smart render: stream-copy unchanged GOPs, encode the rest (src/render/smart-render.ts). true: whenever
   * something can be copied; absent: when the edit is cut-only and every segment qualifies; false: never.
   */
  smart?: boolean;
}

/** What an image-sequence render (png_sequence, jpg_sequence) made: numbered frames in one stored .zip. */
export interface RenderJobFrames {
  format: 'png' | 'jpg';
  count: number;
  width: number;
  height: number;
  /** Name of frame 0 in the zip; frame k is `frame_{k:06d}.{format}` and shows output time k / fps. */
  first: string;
}

export interface RenderJobResult {
  /**
   * The rendered file, registered as a new video asset of the tenant; null for an image sequence, whose .zip is
   * the content of the `render` artifact instead (the asset registry holds media files, not archives).
   */
  asset_id: string | null;
  /** The `render` artifact: meta-only and attached to the asset, or (image sequences) holding the .zip. */
  artifact_id: string;
  /** Image sequences only: the frames (GET …/jobs/{id}/output/frames lists them, …/frames/{index} serves one). */
  frames?: RenderJobFrames;
  plan_hash: string;
  profile: string;
  encoder: string;
  frame_count: number;
  duration_ms: number;
  size_bytes: number;
  chunks: number;
  rendered_chunks: number[];
  reused_chunks: number[];
  output: string | null;
  export_path: string | null;
  /**
   * Frames copied vs encoded and why each encoded range could not be copied: for smart renders, and (with
   * `fallback: true`) for MP4/MOV renders that were not smart because the edit did not qualify. Absent with
   * `smart: false` or output options.
   */
  smart?: SmartRenderMeta;
}
