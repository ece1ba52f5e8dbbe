/**
 * Templates over HTTP: store a timeline with `{{NAME}}` merge fields, list and read them, preview a merge (the
 * merged timeline, checked like POST /video/timeline/validate checks a timeline), and render a merge as a render
 * job — through the same submitRenderJob as POST /video/render, so the job, its idempotency and its output are
 * those of an ordinary render. Another tenant's template id answers 404 TEMPLATE_NOT_FOUND.
 */
import { z } from 'zod';
import { WarningResponseSchema } from '../../response-schemas.js';
import { isCutroomError } from '../../errors.js';
import type { JobQueue } from '../../jobs/job-queue.js';
import type { Services } from '../../media/services.js';
import { createTemplateService } from '../../media/templates.js';
import { webhookPolicyFromEnv, type WebhookPolicy } from '../../jobs/webhooks/index.js';
import { submitRenderJob } from '../../render/jobs/index.js';
import { MergeValueSchema, TEMPLATE_FIELD_TYPES, TemplateDocSchema } from '../../timeline/template/index.js';
import { checkTimelines } from '../check-timelines.js';
import { EntityIdSchema, PageQuerySchema, TimelineDocSchema, pageOf } from '../schemas.js';
import type { RouteModule } from '../types.js';
import { JobSchema, publicJob, RenderJobOptionFields } from './render-jobs.js';

const TemplateBodySchema = TemplateDocSchema.meta({ id: 'TemplateRequest' });

const ResolvedFieldSchema = z.object({
  name: z.string(),
  type: z.enum(TEMPLATE_FIELD_TYPES),
  declared: z
    .boolean()
    .describe('Whether the type was declared in fields (else inferred from where it stands)'),
  default: MergeValueSchema.optional(),
  description: z.string().optional(),
  paths: z.array(z.string()).describe('Where the placeholder stands, e.g. timeline.tracks[1].items[0].text'),
});

const TemplateSummarySchema = z
  .object({
    id: z.string(),
    name: z.string(),
    fields: z.array(ResolvedFieldSchema),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .meta({ id: 'TemplateSummary' });
const TemplateRecordSchema = TemplateSummarySchema.extend({
  timeline: z.record(z.string(), z.unknown()).describe('The timeline with its {{NAME}} placeholders'),
  declared_fields: TemplateDocSchema.shape.fields,
}).meta({ id: 'Template' });

const TemplateParams = z.object({ id: EntityIdSchema });
const MergeSchema = z
  .record(z.string().max(64), z.unknown())
  .default({})
  .describe('Field name → value: text (string), number, color ("#RRGGBB[AA]"), asset (an asset id), boolean');

const MergeBodySchema = z.object({ merge: MergeSchema });

const TemplateRenderSchema = z
  .object({
    merge: MergeSchema,
    ...RenderJobOptionFields,
  })
  .meta({ id: 'TemplateRenderRequest' });

const MergeResponseSchema = z.object({
  template_id: z.string(),
  values: z.record(z.string(), MergeValueSchema).describe('The value each field got (merged or default)'),
  timeline: TimelineDocSchema,
  warnings: z.array(WarningResponseSchema),
});

const MERGE_ERRORS = [
  'TEMPLATE_NOT_FOUND',
  'TEMPLATE_MERGE_INVALID',
  'TIMELINE_INVALID',
  'ASSET_NOT_FOUND',
] as const;

export function templateRoutes({
  queue,
  webhookPolicy = webhookPolicyFromEnv(process.env),
}: {
  queue?: JobQueue;
  /** The same callback_url policy as the render-job routes (default CUTROOM_WEBHOOK_ALLOW from the environment). */
  webhookPolicy?: WebhookPolicy;
} = {}): RouteModule<Services> {
  return (_app, { services, route }) => {
    const templates = createTemplateService({ db: services.db, assets: services.assets });

    const merged = async (
      ctx: Parameters<typeof templates.getTemplate>[0],
      id: string,
      merge: Record<string, unknown>,
    ) => {
      const out = await templates.mergeStoredTemplate(ctx, { id, merge });
      // Literal asset ids of the template may have been deleted since it was stored: the same check as validate.
      await checkTimelines({
        ctx,
        assets: services.assets,
        timelines: [{ timeline: out.timeline, prefix: 'timeline.' }],
      });
      return out;
    };

    route({
      method: 'POST',
      url: '/video/templates',
      operationId: 'createTemplate',
      summary:
        'Store a template: a timeline with {{NAME}} merge fields (text, asset ids, colours, numbers, booleans); placeholders, field types and the merged structure are checked.',
      tags: ['templates'],
      body: TemplateBodySchema,
      responses: { 201: { description: 'Stored', schema: TemplateRecordSchema } },
      errors: ['TEMPLATE_INVALID', 'ASSET_NOT_FOUND'],
      handler: async ({ ctx, body, reply }) => {
        const record = await templates.createTemplate(ctx, { document: body });
        reply.code(201);
        return {
          ...summaryOf(record),
          timeline: record.document.timeline,
          declared_fields: record.document.fields,
        };
      },
    });

    route({
      method: 'GET',
      url: '/video/templates',
      operationId: 'listTemplates',
      summary: "The caller's templates (this tenant and env), newest first, with their fields.",
      tags: ['templates'],
      query: PageQuerySchema,
      responses: { 200: { description: 'A page of templates', schema: pageOf(TemplateSummarySchema) } },
      handler: async ({ ctx, query }) =>
        templates.listTemplates(ctx, { limit: query.limit, cursor: query.cursor }),
    });

    route({
      method: 'GET',
      url: '/video/templates/:id',
      operationId: 'getTemplate',
      summary: 'One template with its timeline (placeholders kept) and resolved fields.',
      tags: ['templates'],
      params: TemplateParams,
      responses: { 200: { description: 'The template', schema: TemplateRecordSchema } },
      errors: ['TEMPLATE_NOT_FOUND'],
      handler: async ({ ctx, params }) => {
        const record = await templates.getTemplate(ctx, params.id);
        return {
          ...summaryOf(record),
          timeline: record.document.timeline,
          declared_fields: record.document.fields,
        };
      },
    });

    route({
      method: 'POST',
      url: '/video/templates/:id/merge',
      operationId: 'mergeTemplate',
      summary:
        'Preview a merge: the merged timeline (checked: every field, the timeline schema and consistency, asset references); nothing is rendered.',
      tags: ['templates'],
      params: TemplateParams,
      body: MergeBodySchema,
      responses: { 200: { description: 'The merged timeline', schema: MergeResponseSchema } },
      errors: [...MERGE_ERRORS],
      handler: async ({ ctx, params, body }) => {
        const out = await merged(ctx, params.id, body.merge);
        return { template_id: params.id, values: out.values, timeline: out.timeline, warnings: out.warnings };
      },
    });

    if (!queue) return;
    route({
      method: 'POST',
      url: '/video/templates/:id/render',
      operationId: 'renderTemplate',
      summary:
        'Merge values into a template and queue its render exactly like POST /video/render (same job, idempotency, output); a bad merge is refused before queueing.',
      tags: ['templates', 'render'],
      params: TemplateParams,
      body: TemplateRenderSchema,
      responses: {
        200: {
          description: 'The existing job (same merge, profile and output)',
          schema: z.object({ job: JobSchema }),
        },
        201: { description: 'A new job', schema: z.object({ job: JobSchema }) },
      },
      errors: [
        ...MERGE_ERRORS,
        'OUTPUT_FORMAT_MISMATCH',
        'UNKNOWN_PROFILE',
        'UNKNOWN_TRANSITION',
        'UNKNOWN_MOTION_PRESET',
        'UNKNOWN_FILTER',
        'INVALID_PARAM',
        'FONT_NOT_FOUND',
        'JOB_PARAMS_MISMATCH',
        'QUEUE_FULL',
        'WEBHOOK_URL_INVALID',
        'WEBHOOK_ADDRESS_FORBIDDEN',
      ],
      handler: async ({ ctx, params, body, reply }) => {
        const out = await merged(ctx, params.id, body.merge);
        try {
          const { job, created } = await submitRenderJob({
            services,
            queue,
            ctx,
            timeline: out.timeline,
            profile: body.profile,
            ...(body.output !== undefined ? { output: body.output } : {}),
            ...(body.output_options !== undefined ? { outputOptions: body.output_options } : {}),
            ...(body.smart === true ? { smart: true } : {}),
            ...(body.job_id !== undefined ? { jobId: body.job_id } : {}),
            ...(body.callback_url !== undefined
              ? { callback: { url: body.callback_url, policy: webhookPolicy, path: 'callback_url' } }
              : {}),
          });
          reply.code(created ? 201 : 200);
          return { job: publicJob(job) };
        } catch (err) {
          if (isCutroomError(err, 'QUEUE_FULL')) {
            const s = Number(err.details.retry_after_s);
            reply.header('retry-after', String(Number.isFinite(s) && s > 0 ? Math.ceil(s) : 1));
          }
          throw err;
        }
      },
    });
  };
}

function summaryOf(record: {
  id: string;
  name: string;
  fields: unknown;
  created_at: string;
  updated_at: string;
}) {
  return {
    id: record.id,
    name: record.name,
    fields: record.fields,
    created_at: record.created_at,
    updated_at: record.updated_at,
  };
}
