/**
 * What every interchange converter takes and returns. Converters are pure: they never read files or fetch URLs.
 * Media named in a foreign file (a URL, a path, a reel name) becomes a cutroom asset only through the mapping
 * the caller passes; a reference not in it is an error, never a guess.
 */
import type { Warning } from '../errors.js';
import type { Timeline } from '../timeline/schema.js';

/** Foreign media reference (URL, path, reel or clip name, exactly as written in the file) -> asset id. */
export type AssetMapping = Readonly<Record<string, string>>;

export interface ImportInput {
  /** The file's text (JSON, JSON5, XML, EDL or subtitles). */
  text: string;
  assets?: AssetMapping;
  /** Frame rate used where the format has none of its own (EDL, SRT); default 30. */
  fps?: number;
}

/** Output settings the source file asked for; cutroom picks them at render time (a profile), so they are advice. */
export interface ImportedOutput {
  width?: number;
  height?: number;
  fps?: number;
  format?: string;
}

export interface ImportResult {
  timeline: Timeline;
  /** Every property of the source that did not map, with its path in the source file. */
  warnings: Warning[];
  output?: ImportedOutput;
}

/** What an exporter needs to know about each asset the timeline uses (from the media registry). */
export interface MediaRef {
  /** Where the NLE or melt finds the file: an absolute path, a file:// URL or an opaque URL. */
  url: string;
  /** Human name (original file name); EDL reel names and FCPXML asset names come from it. */
  name: string;
  kind: 'video' | 'audio' | 'image' | 'font';
  duration_ms: number;
  has_video: boolean;
  has_audio: boolean;
  width?: number;
  height?: number;
}

export interface ExportInput {
  timeline: Timeline;
  media: Readonly<Record<string, MediaRef>>;
  /** Frame rate of the exported edit; default 30. Must be one of the rates timecode formats know. */
  fps?: number;
  width?: number;
  height?: number;
  /** Title written into formats that carry one (EDL TITLE, FCPXML project name). */
  title?: string;
}

export interface ExportResult {
  text: string;
  warnings: Warning[];
}
