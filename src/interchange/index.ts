/**
 * The interchange formats as data: which exist and which directions each has. The HTTP route and the CLI read
 * this one table, so a format is added in one place.
 */
import { cutroomError } from '../errors.js';
import { exportEdl, importEdl } from './edl.js';
import { importEditly } from './editly.js';
import { exportFcpxml } from './fcpxml.js';
import { exportMlt } from './mlt-export.js';
import { importMlt } from './mlt-import.js';
import { exportOtio, importOtio } from './otio.js';
import { importShotstack } from './shotstack.js';
import type { ExportInput, ExportResult, ImportInput, ImportResult } from './types.js';

export interface InterchangeFormat {
  id: string;
  label: string;
  /** File extension of an exported file. */
  ext: string;
  contentType: string;
  import?: (input: ImportInput) => ImportResult;
  export?: (input: ExportInput) => ExportResult;
}

export const INTERCHANGE_FORMATS: readonly InterchangeFormat[] = [
  { id: 'shotstack', label: 'Shotstack edit JSON', ext: 'json', contentType: 'application/json', import: importShotstack },
  { id: 'editly', label: 'editly spec (JSON5)', ext: 'json5', contentType: 'application/json5', import: importEditly },
  { id: 'otio', label: 'OpenTimelineIO', ext: 'otio', contentType: 'application/json', import: importOtio, export: exportOtio },
  { id: 'mlt', label: 'MLT XML (Shotcut, Kdenlive, melt)', ext: 'mlt', contentType: 'application/xml', import: importMlt, export: exportMlt },
  { id: 'fcpxml', label: 'FCPXML 1.9 (Final Cut Pro, DaVinci Resolve)', ext: 'fcpxml', contentType: 'application/xml', export: exportFcpxml },
  { id: 'edl', label: 'CMX3600 EDL', ext: 'edl', contentType: 'text/plain', import: importEdl, export: exportEdl },
  // Subtitles import into a caption track through an artifact, so the route handles them (see subtitles.ts).
  { id: 'srt', label: 'SubRip subtitles', ext: 'srt', contentType: 'text/plain' },
  { id: 'vtt', label: 'WebVTT subtitles', ext: 'vtt', contentType: 'text/vtt' },
];

export const SUBTITLE_FORMATS = new Set(['srt', 'vtt']);

/** The format with this id that has the direction asked for; INTERCHANGE_FORMAT_UNKNOWN (with the valid ids) if none. */
export function interchangeFormat(id: string, direction: 'import' | 'export'): InterchangeFormat {
  const valid = INTERCHANGE_FORMATS.filter((f) => (direction === 'import' ? f.import !== undefined || SUBTITLE_FORMATS.has(f.id) : f.export !== undefined));
  const found = valid.find((f) => f.id === id);
  if (!found)
    throw cutroomError('INTERCHANGE_FORMAT_UNKNOWN', `"${id}" is not a format cutroom can ${direction}; valid: ${valid.map((f) => f.id).join(', ')}`, {
      format: id,
      direction,
      valid: valid.map((f) => f.id),
    });
  return found;
}

export { captionTimeline, parseSubtitles } from './subtitles.js';
export type { SubtitleFormat, SubtitleTranscript } from './subtitles.js';
export type { AssetMapping, ExportInput, ExportResult, ImportInput, ImportResult, MediaRef } from './types.js';
