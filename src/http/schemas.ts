/**
 * Zod schemas of the HTTP API that are not part of the timeline model: path params, pagination, and the response
 * shapes documented in /openapi.json. Response schemas document; they do not filter what handlers return.
 */
import { z } from 'zod';
import { ArtifactResponseSchema } from '../response-schemas.js';
import { ProjectSchema, TimelineSchema } from '../timeline/schema.js';

/** Asset/artifact ids are `ast_…`/`art_…`; anything else can never exist, but we answer 404 like any unknown id. */
export const EntityIdSchema = z.string().min(1).max(128);

export const IdParamsSchema = z.object({ id: EntityIdSchema });

export const PageQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(200).optional().describe('1..200, default 50'),
  cursor: z.string().max(512).optional().describe("The previous page's next_cursor"),
});

const Rational = z.object({ num: z.number(), den: z.number() });

export const MediaInfoSchema = z
  .object({
    kind: z.enum(['video', 'audio', 'image', 'font']),
    format_name: z.string(),
    duration_ms: z.int(),
    size_bytes: z.int(),
    bit_rate: z.number().optional(),
    video: z
      .object({
        index: z.int(),
        codec: z.string(),
        width: z.int(),
        height: z.int(),
        display_width: z.int(),
        display_height: z.int(),
        fps: Rational,
        avg_fps: Rational,
        vfr: z.boolean(),
        rotation: z.union([z.literal(0), z.literal(90), z.literal(180), z.literal(270)]),
        sar: Rational,
        pix_fmt: z.string(),
        frame_count: z.int().optional(),
        duration_ms: z.int(),
        start_ms: z.int(),
        still: z.boolean(),
        x264_build: z.int().optional(),
      })
      .optional(),
    audio: z
      .object({
        index: z.int(),
        codec: z.string(),
        sample_rate: z.int(),
        channels: z.int(),
        channel_layout: z.string(),
        duration_ms: z.int(),
        start_ms: z.int(),
      })
      .optional(),
    stream_count: z.int(),
    timecode: z.string().optional(),
    font: z
      .object({
        format: z.enum(['ttf', 'otf', 'ttc']),
        family: z.string(),
        subfamily: z.string().optional(),
        full_name: z.string().optional(),
        num_fonts: z.int(),
      })
      .optional()
      .describe('Font assets only: the family name to expect and the sfnt format.'),
  })
  .meta({ id: 'MediaInfo' });

export const ArtifactSchema = ArtifactResponseSchema;

export const AssetSchema = z
  .object({
    id: z.string(),
    tenant_id: z.string(),
    env: z.string(),
    kind: z.enum(['video', 'audio', 'image', 'font']),
    content_hash: z.string(),
    size_bytes: z.int(),
    original_filename: z.string(),
    ext: z.string(),
    storage_key: z.string(),
    media_info: MediaInfoSchema,
    created_at: z.string(),
  })
  .meta({ id: 'Asset' });

export const AssetWithArtifactsSchema = AssetSchema.extend({ artifacts: z.array(ArtifactSchema) }).meta({
  id: 'AssetWithArtifacts',
});

export const RegisterAssetResponseSchema = z.object({
  asset: AssetSchema,
  meta: z.object({ deduplicated: z.boolean() }),
});

export const RegisterPathBodySchema = z.object({
  path: z
    .string()
    .min(1)
    .max(4096)
    .describe('Absolute path of a local file under one of CUTROOM_IMPORT_ROOTS'),
  tenant_id: z.string().optional(),
  env: z.string().optional(),
});

export function pageOf<T extends z.ZodType>(item: T): z.ZodType {
  return z.object({ items: z.array(item), next_cursor: z.string().nullable() });
}

export const TimelineDocSchema = TimelineSchema.meta({ id: 'Timeline' });
export const ProjectDocSchema = ProjectSchema.meta({ id: 'Project' });

export const ValidationIssueSchema = z.object({
  path: z.string(),
  message: z.string(),
  part: z.string().optional(),
});

export const ValidateTimelineResponseSchema = z.object({
  valid: z.boolean(),
  issues: z.array(ValidationIssueSchema),
});

export const HealthSchema = z.object({
  status: z.enum(['ok', 'degraded']),
  version: z.string(),
  db: z.object({ ok: z.boolean(), dialect: z.string().optional(), error: z.string().optional() }),
  ffmpeg: z.object({ ok: z.boolean(), version: z.string().optional(), error: z.string().optional() }),
  ffprobe: z.object({ ok: z.boolean(), path: z.string().optional(), error: z.string().optional() }),
});
