/**
 * Templates over HTTP: store a timeline with `{{NAME}}` merge fields, list and read them, preview a merge (the
 * merged timeline, checked like POST /video/timeline/validate checks a timeline), and render a merge as a render
 * job — through the same submitRenderJob as POST /video/render, so the job, its idempotency and its output are
 * those of an ordinary render. Another tenant's template id answers 404 TEMPLATE_NOT_FOUND.
 *
 * Update (PUT replaces, PATCH merges the top-level keys name/fields/timeline) and delete use optimistic
 * concurrency like projects: the version the change is based on comes as `If-Match: "N"` (the ETag of GET) or
 * as `version` (body for PUT/PATCH, query for DELETE); a stale one is 409 VERSION_CONFLICT. PUT/PATCH need one,
 * DELETE does not. Deleting a template leaves its renders alone: a job carries its merged timeline inline.
 */
import { z } from 'zod';
import { WarningResponseSchema } from '../../response-schemas.js';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { cutroomError, isCutroomError } from '../../errors.js';
import type { JobQueue } from '../../jobs/job-queue.js';
import type { Services } from '../../media/services.js';
import { createTemplateService } from '../../media/templates.js';
import { webhookPolicyFromEnv, type WebhookPolicy } from '../../jobs/webhooks/index.js';
import { submitRenderJob } from '../../render/jobs/index.js';
import { MergeValueSchema, TEMPLATE_FIELD_TYPES, TemplateDocSchema } from '../../timeline/template/index.js';
import { checkTimelines } from '../check-timelines.js';
import { EntityIdSchema, PageQuerySchema, TimelineDocSchema, pageOf } from '../schemas.js';
import type { RouteModule } from '../types.js';
import { JobSchema, publicJobWithWebhook, RenderJobOptionFields } from './render-jobs.js';

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
    version: z.int().describe('1 when stored, +1 on every update; also the ETag ("N") of GET'),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .meta({ id: 'TemplateSummary' });
const TemplateRecordSchema = TemplateSummarySchema.extend({
  timeline: z.record(z.string(), z.unknown()).describe('The timeline with its {{NAME}} placeholders'),
  declared_fields: TemplateDocSchema.shape.fields,
}).meta({ id: 'Template' });

const TemplateParams = z.object({ id: EntityIdSchema });

const VersionSchema = z
  .int()
  .min(1)
  .describe('The template version the change is based on (409 VERSION_CONFLICT if stale); or send If-Match');
// Same as the create body (unknown keys dropped alike), plus the version.
const TemplateReplaceSchema = TemplateDocSchema.extend({ version: VersionSchema.optional() }).meta({
  id: 'TemplateReplaceRequest',
});
const TemplatePatchSchema = z
  .object({
    name: TemplateDocSchema.shape.name.optional(),
    fields: z.record(z.string(), z.unknown()).optional().describe('Replaces the declared fields as a whole'),
    timeline: TemplateDocSchema.shape.timeline.optional().describe('Replaces the timeline as a whole'),
    version: VersionSchema.optional(),
  })
  .strict()
  .meta({ id: 'TemplatePatchRequest' });
const OptionalVersionQuery = z.object({ version: z.coerce.number().int().min(1).optional() });

/**
 * The version a change is based on, from `If-Match` (`"N"`, `W/"N"` or `*` = whatever is current) and/or the
 * request's `version`; both given must agree. undefined = no precondition.
 */
function expectedVersionOf(
  request: FastifyRequest,
  fromRequest: number | undefined,
): number | '*' | undefined {
  const raw = request.headers['if-match'];
  if (raw === undefined) return fromRequest;
  const header = Array.isArray(raw) ? raw.join(',') : raw;
  const m = /^\s*(?:\*|(?:W\/)?"([1-9][0-9]{0,15})")\s*$/.exec(header);
  if (!m)
    throw cutroomError('VALIDATION_FAILED', 'If-Match must be one ETag of this template, e.g. "3", or *', {
      issues: [{ part: 'headers', path: 'if-match', message: 'expected "N" (the ETag of GET) or *' }],
    });
  const fromHeader = m[1] === undefined ? '*' : Number(m[1]);
  if (fromRequest !== undefined && fromHeader !== '*' && fromHeader !== fromRequest)
    throw cutroomError('VALIDATION_FAILED', 'If-Match and version name different versions', {
      issues: [
        {
          part: 'headers',
          path: 'if-match',
          message: `names version ${fromHeader}, version says ${fromRequest}`,
        },
      ],
    });
  return fromRequest ?? fromHeader;
}

function setEtag(reply: FastifyReply, version: number): void {
  reply.header('etag', `"${version}"`);
}
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
        setEtag(reply, record.version);
        return recordOf(record);
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
      handler: async ({ ctx, params, reply }) => {
        const record = await templates.getTemplate(ctx, params.id);
        setEtag(reply, record.version);
        return recordOf(record);
      },
    });

    const replace = async (
      ctx: Parameters<typeof templates.getTemplate>[0],
      id: string,
      expected: number | '*' | undefined,
      document: (current: Awaited<ReturnType<typeof templates.getTemplate>>) => unknown,
      reply: FastifyReply,
    ) => {
      if (expected === undefined)
        throw cutroomError('VALIDATION_FAILED', 'an update needs the version it is based on', {
          issues: [
            {
              part: 'headers',
              path: 'if-match',
              message: 'send If-Match: "N" (the ETag of GET /video/templates/{id}) or version in the body',
            },
          ],
        });
      const current = await templates.getTemplate(ctx, id);
      const record = await templates.updateTemplate(ctx, {
        id,
        document: document(current),
        expectedVersion: expected === '*' ? current.version : expected,
      });
      setEtag(reply, record.version);
      return recordOf(record);
    };

    route({
      method: 'PUT',
      url: '/video/templates/:id',
      operationId: 'replaceTemplate',
      summary:
        'Replace a template (checked exactly like POST /video/templates); the version it is based on comes as If-Match: "N" or body.version (409 VERSION_CONFLICT if stale).',
      tags: ['templates'],
      params: TemplateParams,
      body: TemplateReplaceSchema,
      responses: { 200: { description: 'Replaced; version incremented', schema: TemplateRecordSchema } },
      errors: ['TEMPLATE_NOT_FOUND', 'TEMPLATE_INVALID', 'ASSET_NOT_FOUND', 'VERSION_CONFLICT'],
      handler: async ({ ctx, params, body, request, reply }) => {
        const { version, ...document } = body;
        return replace(ctx, params.id, expectedVersionOf(request, version), () => document, reply);
      },
    });

    route({
      method: 'PATCH',
      url: '/video/templates/:id',
      operationId: 'patchTemplate',
      summary:
        'Change some of name, fields, timeline (each replaced as a whole); the result is checked exactly like a new template. Needs If-Match: "N" or body.version (409 VERSION_CONFLICT if stale).',
      tags: ['templates'],
      params: TemplateParams,
      body: TemplatePatchSchema,
      responses: { 200: { description: 'Changed; version incremented', schema: TemplateRecordSchema } },
      errors: ['TEMPLATE_NOT_FOUND', 'TEMPLATE_INVALID', 'ASSET_NOT_FOUND', 'VERSION_CONFLICT'],
      handler: async ({ ctx, params, body, request, reply }) => {
        const { version, ...patch } = body;
        return replace(
          ctx,
          params.id,
          expectedVersionOf(request, version),
          (current) => ({ ...current.document, ...patch }),
          reply,
        );
      },
    });

    route({
      method: 'DELETE',
      url: '/video/templates/:id',
      operationId: 'deleteTemplate',
      summary:
        'Delete a template; with If-Match: "N" or ?version=N only if N is current (409 VERSION_CONFLICT). Renders made from it are kept.',
      tags: ['templates'],
      params: TemplateParams,
      query: OptionalVersionQuery,
      responses: { 204: { description: 'Deleted' } },
      errors: ['TEMPLATE_NOT_FOUND', 'VERSION_CONFLICT'],
      handler: async ({ ctx, params, query, request, reply }) => {
        const expected = expectedVersionOf(request, query.version);
        await templates.deleteTemplate(ctx, {
          id: params.id,
          ...(typeof expected === 'number' ? { expectedVersion: expected } : {}),
        });
        return reply.code(204).send();
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
          // With its webhook (URL, deliveries), exactly as POST /video/render answers.
          return { job: await publicJobWithWebhook(services, job) };
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

/** The whole template as the routes answer it: summary, timeline with placeholders kept, declared fields. */
function recordOf(
  record: Parameters<typeof summaryOf>[0] & { document: { timeline: unknown; fields: unknown } },
) {
  return {
    ...summaryOf(record),
    timeline: record.document.timeline,
    declared_fields: record.document.fields,
  };
}

function summaryOf(record: {
  id: string;
  name: string;
  fields: unknown;
  version: number;
  created_at: string;
  updated_at: string;
}) {
  return {
    id: record.id,
    name: record.name,
    fields: record.fields,
    version: record.version,
    created_at: record.created_at,
    updated_at: record.updated_at,
  };
}
