/**
 * Import and export of other editors' files for one tenant: the I/O around the pure converters of
 * src/interchange. Import converts (nothing is stored unless the whole file converts), checks that every asset
 * the mapping names exists in the caller's tenant and env (another tenant's id is ASSET_NOT_FOUND, like an id
 * that never existed), and stores one new project. Subtitles become an asr_transcript artifact first, which the
 * caption track of the new project shows. Export reads a project of the caller's tenant and the media info of
 * its assets. Shared by the HTTP routes and the CLI.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { RequestContext } from '../context.js';
import { cutroomError, type Warning } from '../errors.js';
import { captionTimeline, interchangeFormat, parseSubtitles, SUBTITLE_FORMATS, type MediaRef } from '../interchange/index.js';
import type { ImportedOutput } from '../interchange/types.js';
import type { Services } from '../media/services.js';
import type { ProjectRecord } from '../media/projects.js';
import type { Timeline } from '../timeline/schema.js';
import { parseWith } from '../timeline/validate.js';
import { checkTimelines } from './check-timelines.js';

export const SUBTITLES_BACKEND_VERSION = 'cutroom-subtitles-1';

const assetId = z.string().min(1).max(128).regex(/^[A-Za-z0-9_.:-]+$/, 'asset ids use letters, digits and _ . : - only');
export const AssetMappingSchema = z
  .record(z.string().min(1).max(4096), assetId)
  .refine((m) => Object.keys(m).length <= 20_000, 'at most 20000 entries')
  .describe('Media reference exactly as written in the file (URL, path, reel or clip name) -> asset id of your tenant');

export interface ImportProjectInput {
  format: string;
  text: string;
  assets?: Record<string, string>;
  name?: string;
  fps?: number;
  style?: 'clean' | 'bold_pop' | 'karaoke';
  language?: string;
}

export interface ImportProjectResult {
  project: ProjectRecord;
  warnings: Warning[];
  output?: ImportedOutput;
  transcript_artifact_id?: string;
}

export async function importProject(
  services: Pick<Services, 'assets' | 'artifacts' | 'projects'>,
  ctx: RequestContext,
  input: ImportProjectInput,
): Promise<ImportProjectResult> {
  const format = interchangeFormat(input.format, 'import');
  const assets = parseWith(AssetMappingSchema, input.assets ?? {}, 'asset mapping');
  let timeline: Timeline;
  let warnings: Warning[];
  let output: ImportedOutput | undefined;
  let transcriptId: string | undefined;
  if (SUBTITLE_FORMATS.has(format.id)) {
    const language = input.language ?? 'und';
    const parsed = parseSubtitles({ text: input.text, format: format.id as 'srt' | 'vtt', language });
    const { artifact } = await services.artifacts.lookupOrCreateArtifact(ctx, {
      assetId: null,
      kind: 'asr_transcript',
      params: { imported_from: format.id, language, text_sha256: createHash('sha256').update(input.text).digest('hex') },
      backendVersion: SUBTITLES_BACKEND_VERSION,
      produce: async () => ({
        meta: {
          model_used: `${format.id}-import`,
          language,
          imported_from: format.id,
          aligned: false,
          segment_count: parsed.transcript.segments.length,
          word_count: parsed.transcript.segments.reduce((n, s) => n + s.words.length, 0),
          warnings: parsed.warnings,
        },
        content: Buffer.from(JSON.stringify(parsed.transcript)),
        name: 'captions/{artifact_id}.json',
      }),
    });
    transcriptId = artifact.id;
    timeline = captionTimeline({ transcriptArtifactId: artifact.id, ...(input.style ? { style: input.style } : {}), ...(input.name ? { name: input.name } : {}) });
    warnings = parsed.warnings;
  } else {
    const result = format.import!({ text: input.text, assets, ...(input.fps !== undefined ? { fps: input.fps } : {}) });
    ({ timeline, warnings } = result);
    output = result.output;
  }
  await checkTimelines({ ctx, assets: services.assets, timelines: [{ timeline, prefix: '' }] });
  const name = (input.name ?? timeline.name ?? `Imported ${format.label}`).slice(0, 200);
  const project = await services.projects.createProject(ctx, { document: { name, sequences: [timeline] } });
  return { project, warnings, ...(output ? { output } : {}), ...(transcriptId ? { transcript_artifact_id: transcriptId } : {}) };
}

export interface ExportProjectInput {
  projectId: string;
  format: string;
  sequenceId?: string;
  fps?: number;
  width?: number;
  height?: number;
  /**
   * How media is named in the file: `filename` (the original file name, for relinking in the NLE; default) or
   * `path` (the stored file's absolute path on this machine, so `melt` renders the file here).
   */
  mediaUrls?: 'filename' | 'path';
}

export interface ExportProjectResult {
  text: string;
  warnings: Warning[];
  contentType: string;
  filename: string;
}

export async function exportProject(
  services: Pick<Services, 'assets' | 'projects'>,
  ctx: RequestContext,
  input: ExportProjectInput,
): Promise<ExportProjectResult> {
  const format = interchangeFormat(input.format, 'export');
  const record = await services.projects.getProject(ctx, input.projectId);
  const sequence = input.sequenceId === undefined ? record.document.sequences[0] : record.document.sequences.find((s) => s.id === input.sequenceId);
  if (!sequence)
    throw cutroomError('PROJECT_NOT_FOUND', `project ${record.id} has no sequence ${input.sequenceId ?? '(none at all)'}`, { project_id: record.id, sequence_id: input.sequenceId });
  const media: Record<string, MediaRef> = {};
  const warnings: Warning[] = [];
  for (const track of sequence.tracks) {
    if (!('clips' in track)) continue;
    for (const clip of track.clips) {
      if (media[clip.asset_id]) continue;
      try {
        const asset = await services.assets.getAsset(ctx, clip.asset_id);
        const info = asset.media_info;
        media[clip.asset_id] = {
          url: input.mediaUrls === 'path' ? await services.assets.assetPath(ctx, asset.id) : asset.original_filename,
          name: asset.original_filename,
          kind: asset.kind,
          duration_ms: info.duration_ms,
          has_video: info.video !== undefined,
          has_audio: info.audio !== undefined,
          ...(info.video ? { width: info.video.display_width, height: info.video.display_height } : {}),
        };
      } catch (err) {
        if (!(err instanceof Error && 'code' in err && err.code === 'ASSET_NOT_FOUND')) throw err;
        warnings.push({ code: 'INTERCHANGE_ASSET_MISSING', message: `asset "${clip.asset_id}" no longer exists; it is written as cutroom:asset/${clip.asset_id}`, path: clip.id });
      }
    }
  }
  const out = format.export!({
    timeline: sequence,
    media,
    title: record.name,
    ...(input.fps !== undefined ? { fps: input.fps } : {}),
    ...(input.width !== undefined ? { width: input.width } : {}),
    ...(input.height !== undefined ? { height: input.height } : {}),
  });
  const stem = record.name.replace(/[^A-Za-z0-9_.-]+/g, '_').replace(/^[._]+/, '').slice(0, 80) || record.id;
  return { text: out.text, warnings: [...warnings, ...out.warnings], contentType: format.contentType, filename: `${stem}.${format.ext}` };
}
