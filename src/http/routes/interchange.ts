/**
 * POST /video/interchange/import?format=… (a Shotstack/editly/OTIO/MLT/EDL/SRT/VTT file -> a new project) and
 * GET /video/timeline/projects/:id/export?format=… (a project sequence -> OTIO/MLT/FCPXML/EDL text).
 */
import { z } from 'zod';
import { INTERCHANGE_FORMATS, SUBTITLE_FORMATS } from '../../interchange/index.js';
import { cutroomError } from '../../errors.js';
import type { Services } from '../../media/services.js';
import { AssetMappingSchema, exportProject, importProject } from '../interchange-service.js';
import { EntityIdSchema, ProjectDocSchema } from '../schemas.js';
import type { RouteModule } from '../types.js';

const importFormats = INTERCHANGE_FORMATS.filter((f) => f.import || SUBTITLE_FORMATS.has(f.id)).map((f) => f.id);
const exportFormats = INTERCHANGE_FORMATS.filter((f) => f.export).map((f) => f.id);

const WarningSchema = z.object({ code: z.string(), message: z.string(), path: z.string().optional() });
const INTERCHANGE_ERRORS = [
  'INTERCHANGE_FORMAT_UNKNOWN',
  'INTERCHANGE_PARSE_FAILED',
  'INTERCHANGE_UNSUPPORTED_VERSION',
  'INTERCHANGE_INVALID',
  'INTERCHANGE_MEDIA_UNMAPPED',
  'INTERCHANGE_TOO_LARGE',
  'TIMELINE_INVALID',
  'ASSET_NOT_FOUND',
] as const;

export const interchangeRoutes: RouteModule<Services> = (_app, { services, route }) => {
  route({
    method: 'POST',
    url: '/video/interchange/import',
    operationId: 'importInterchange',
    summary: `Import another editor's file as a new project (formats: ${importFormats.join(', ')}). Media is matched to your assets only through \`assets\`; cutroom never fetches URLs. Every property that does not map is returned as a warning.`,
    tags: ['interchange'],
    // Any string: the converter rejects unknown formats with the list of valid ones (INTERCHANGE_FORMAT_UNKNOWN).
    query: z.object({ format: z.string().min(1).max(32).describe(`One of ${importFormats.join(', ')}`) }),
    body: z.object({
      text: z.string().describe('The file content (JSON, JSON5, XML, EDL or subtitles); at most 8 Mi characters'),
      assets: AssetMappingSchema.optional(),
      name: z.string().min(1).max(200).optional().describe('Project name; default the name in the file'),
      fps: z.number().min(1).max(240).optional().describe('Frame rate of an EDL (other formats carry their own); default 30'),
      style: z.enum(['clean', 'bold_pop', 'karaoke']).optional().describe('Caption style for srt/vtt; default clean'),
      language: z.string().regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$|^und$/).optional().describe('BCP-47 language of srt/vtt text'),
    }),
    responses: {
      201: {
        description: 'The new project, the warnings, and the output settings the file asked for',
        schema: z.object({
          project: z.object({ id: z.string(), name: z.string(), version: z.int(), document: ProjectDocSchema }).loose(),
          warnings: z.array(WarningSchema),
          output: z.object({ width: z.int().optional(), height: z.int().optional(), fps: z.number().optional(), format: z.string().optional() }).optional(),
          transcript_artifact_id: z.string().optional(),
        }),
      },
    },
    errors: [...INTERCHANGE_ERRORS],
    handler: async ({ ctx, query, body, reply }) => {
      const result = await importProject(services, ctx, { format: query.format, ...body });
      reply.code(201);
      return result;
    },
  });

  route({
    method: 'GET',
    url: '/video/timeline/projects/:id/export',
    operationId: 'exportProject',
    summary: `A project sequence as another editor's file (formats: ${exportFormats.join(', ')}); what does not map is listed in the X-Cutroom-Warnings header (JSON).`,
    tags: ['interchange'],
    params: z.object({ id: EntityIdSchema }),
    query: z.object({
      format: z.string().min(1).max(32).describe(`One of ${exportFormats.join(', ')}`),
      sequence: EntityIdSchema.optional().describe('Sequence id; default the first'),
      fps: z.coerce.number().min(1).max(240).optional().describe('Frame rate of the exported edit; default 30'),
      width: z.coerce.number().int().min(16).max(8192).optional(),
      height: z.coerce.number().int().min(16).max(8192).optional(),
      media: z
        .enum(['filename', 'path'])
        .optional()
        .describe(
          'Name media by original file name (default) or by the stored file path on this server; `path` only where the operator set CUTROOM_EXPORT_MEDIA_PATHS=1 (it reveals server paths)',
        ),
    }),
    responses: { 200: { description: 'The exported file', contentType: 'text/plain' } },
    errors: ['PROJECT_NOT_FOUND', 'INTERCHANGE_FORMAT_UNKNOWN', 'VALIDATION_FAILED'],
    handler: async ({ ctx, params, query, reply }) => {
      // Server file paths are the operator's business: a tenant may only see them where the operator says the
      // clients share the machine (e.g. a desktop NLE or melt running beside the server).
      if (query.media === 'path' && process.env.CUTROOM_EXPORT_MEDIA_PATHS !== '1')
        throw cutroomError('VALIDATION_FAILED', 'media=path is disabled on this server (it would reveal server file paths); use media=filename', {
          issues: [{ path: 'media', message: 'media=path needs the server setting CUTROOM_EXPORT_MEDIA_PATHS=1' }],
        });
      const out = await exportProject(services, ctx, {
        projectId: params.id,
        format: query.format,
        ...(query.sequence ? { sequenceId: query.sequence } : {}),
        ...(query.fps !== undefined ? { fps: query.fps } : {}),
        ...(query.width !== undefined ? { width: query.width } : {}),
        ...(query.height !== undefined ? { height: query.height } : {}),
        ...(query.media ? { mediaUrls: query.media } : {}),
      });
      // Header values must be ASCII: non-ASCII characters of messages are \u-escaped (still valid JSON).
      const ascii = (v: unknown) => JSON.stringify(v).replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
      const header = ascii(out.warnings);
      return reply
        .header('content-type', `${out.contentType}; charset=utf-8`)
        .header('content-disposition', `attachment; filename="${out.filename}"`)
        .header('x-cutroom-warnings', header.length <= 8000 ? header : ascii(out.warnings.slice(0, 20)))
        .header('x-cutroom-warning-count', String(out.warnings.length))
        .send(out.text);
    },
  });
};
