/**
 * Projects (CRUD with optimistic concurrency) and convenience routes that edit one sequence or clip. Every edit
 * re-validates the whole sequence it lands in, so a clip added through the nested route can never leave a
 * sequence that the full PUT would refuse.
 */
import { z } from 'zod';
import type { RequestContext } from '../../context.js';
import { cutroomError } from '../../errors.js';
import { MediaClipSchema, TimelineSchema, type Project, type Sequence } from '../../timeline/schema.js';
import { safeParseStrict } from '../../timeline/validate.js';
import { checkTimelines } from '../check-timelines.js';
import { EntityIdSchema, PageQuerySchema, ProjectDocSchema, TimelineDocSchema, pageOf } from '../schemas.js';
import type { HttpServices } from '../services.js';
import type { RouteModule } from '../types.js';

const VersionSchema = z.int().min(1).describe('The project version the change is based on (409 if stale)');
const OptionalVersionQuery = z.object({ version: z.coerce.number().int().min(1).optional() });

const ProjectRecordSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    version: z.int(),
    document: ProjectDocSchema,
    created_at: z.string(),
    updated_at: z.string(),
  })
  .meta({ id: 'ProjectRecord' });
const ProjectSummarySchema = ProjectRecordSchema.omit({ document: true });

const ProjectParams = z.object({ id: EntityIdSchema });
const SequenceParams = ProjectParams.extend({ sequence_id: EntityIdSchema });
const TrackParams = SequenceParams.extend({ track_id: EntityIdSchema });
const ClipParams = TrackParams.extend({ clip_id: EntityIdSchema });

const SequenceResultSchema = z.object({
  project_id: z.string(),
  version: z.int(),
  sequence: TimelineDocSchema,
});
const ClipResultSchema = z.object({
  project_id: z.string(),
  version: z.int(),
  clip: MediaClipSchema.optional(),
  removed_transitions: z.array(z.string()).optional(),
});

const PROJECT_ERRORS = [
  'PROJECT_NOT_FOUND',
  'VERSION_CONFLICT',
  'TIMELINE_INVALID',
  'ASSET_NOT_FOUND',
] as const;

type Edit<T> = (sequence: Record<string, unknown>) => T;

export const projectRoutes: RouteModule<HttpServices> = (_app, { services, route }) => {
  const sequencesOf = (doc: Project) =>
    doc.sequences.map((timeline, i) => ({ timeline, prefix: `sequences[${i}].` }));

  const checkProject = async (ctx: RequestContext, doc: Project): Promise<void> => {
    const seen = new Map<string, number>();
    const dupes = doc.sequences.flatMap((s, i) => {
      const first = seen.get(s.id);
      seen.set(s.id, first ?? i);
      return first === undefined
        ? []
        : [
            {
              part: 'body',
              path: `sequences[${i}].id`,
              message: `duplicate sequence id "${s.id}" (also at sequences[${first}])`,
            },
          ];
    });
    if (dupes.length > 0)
      throw cutroomError('TIMELINE_INVALID', `project is inconsistent: ${dupes[0]!.message}`, {
        issues: dupes,
      });
    await checkTimelines({ ctx, assets: services.assets, timelines: sequencesOf(doc), part: 'body' });
  };

  /**
   * Read the project, apply `edit` to a copy of one sequence, re-validate the whole sequence, store it with
   * compare-and-set on the version. `version` (from the client) makes a stale edit fail with 409 up front.
   */
  const editSequence = async <T>(input: {
    ctx: RequestContext;
    projectId: string;
    sequenceId: string;
    version: number | undefined;
    edit: Edit<T>;
  }): Promise<{ version: number; sequence: Sequence; result: T }> => {
    const { ctx, projectId, sequenceId, version, edit } = input;
    const record = await services.projects.getProject(ctx, projectId);
    if (version !== undefined && version !== record.version)
      throw cutroomError(
        'VERSION_CONFLICT',
        `project ${projectId} is at version ${record.version}, the change was based on ${version}`,
        { project_id: projectId, current_version: record.version, expected_version: version },
      );
    const index = record.document.sequences.findIndex((s) => s.id === sequenceId);
    if (index < 0)
      throw cutroomError('PROJECT_NOT_FOUND', `project ${projectId} has no sequence ${sequenceId}`, {
        project_id: projectId,
        sequence_id: sequenceId,
      });
    const draft = structuredClone(record.document.sequences[index]!) as unknown as Record<string, unknown>;
    const result = edit(draft);
    const parsed = safeParseStrict(TimelineSchema, draft);
    if (!parsed.success) {
      const { issues } = parsed;
      throw cutroomError(
        'VALIDATION_FAILED',
        `the edited sequence is invalid: ${issues[0]?.path}: ${issues[0]?.message}`,
        {
          issues,
        },
      );
    }
    await checkTimelines({
      ctx,
      assets: services.assets,
      timelines: [{ timeline: parsed.data, prefix: '' }],
    });
    const sequences = [...record.document.sequences];
    sequences[index] = parsed.data;
    const updated = await services.projects.updateProject(ctx, {
      id: projectId,
      document: { ...record.document, sequences },
      expectedVersion: record.version,
    });
    return { version: updated.version, sequence: updated.document.sequences[index]!, result };
  };

  const findClip = (sequence: Record<string, unknown>, trackId: string, clipId?: string) => {
    const tracks = sequence.tracks as Array<Record<string, unknown>>;
    const track = tracks.find((t) => t.id === trackId);
    if (!track)
      throw cutroomError('PROJECT_NOT_FOUND', `no track ${trackId} in this sequence`, { track_id: trackId });
    if (track.kind === 'text' || track.kind === 'caption')
      throw cutroomError(
        'VALIDATION_FAILED',
        `track ${trackId} is a ${String(track.kind)} track; clips go on video, overlay or audio tracks`,
        {
          issues: [{ part: 'params', path: 'track_id', message: `is a ${String(track.kind)} track` }],
        },
      );
    const clips = track.clips as Array<Record<string, unknown>>;
    const index = clipId === undefined ? -1 : clips.findIndex((c) => c.id === clipId);
    if (clipId !== undefined && index < 0)
      throw cutroomError('PROJECT_NOT_FOUND', `no clip ${clipId} on track ${trackId}`, { clip_id: clipId });
    return { track, clips, index };
  };

  route({
    method: 'POST',
    url: '/video/timeline/projects',
    operationId: 'createProject',
    summary: 'Create a project (id from the document or generated); every sequence is validated.',
    tags: ['timeline'],
    body: ProjectDocSchema,
    responses: { 201: { description: 'Created, version 1', schema: ProjectRecordSchema } },
    errors: [...PROJECT_ERRORS],
    handler: async ({ ctx, body, reply }) => {
      await checkProject(ctx, body);
      const record = await services.projects.createProject(ctx, { document: body });
      reply.code(201);
      return record;
    },
  });

  route({
    method: 'GET',
    url: '/video/timeline/projects',
    operationId: 'listProjects',
    summary: 'List projects, newest first (without documents).',
    tags: ['timeline'],
    query: PageQuerySchema,
    responses: { 200: { description: 'A page of projects', schema: pageOf(ProjectSummarySchema) } },
    handler: async ({ ctx, query }) =>
      services.projects.listProjects(ctx, { limit: query.limit, cursor: query.cursor }),
  });

  route({
    method: 'GET',
    url: '/video/timeline/projects/:id',
    operationId: 'getProject',
    summary: 'One project with its document and version.',
    tags: ['timeline'],
    params: ProjectParams,
    responses: { 200: { description: 'The project', schema: ProjectRecordSchema } },
    errors: ['PROJECT_NOT_FOUND'],
    handler: async ({ ctx, params }) => services.projects.getProject(ctx, params.id),
  });

  route({
    method: 'PUT',
    url: '/video/timeline/projects/:id',
    operationId: 'replaceProject',
    summary: 'Replace the document; `version` must be the current version (else 409 VERSION_CONFLICT).',
    tags: ['timeline'],
    params: ProjectParams,
    body: ProjectDocSchema.extend({ version: VersionSchema }),
    responses: { 200: { description: 'Replaced; version incremented', schema: ProjectRecordSchema } },
    errors: [...PROJECT_ERRORS],
    handler: async ({ ctx, params, body }) => {
      const { version, ...document } = body;
      await checkProject(ctx, document);
      return services.projects.updateProject(ctx, { id: params.id, document, expectedVersion: version });
    },
  });

  route({
    method: 'DELETE',
    url: '/video/timeline/projects/:id',
    operationId: 'deleteProject',
    summary: 'Delete a project; with ?version=N only if N is the current version.',
    tags: ['timeline'],
    params: ProjectParams,
    query: OptionalVersionQuery,
    responses: { 204: { description: 'Deleted' } },
    errors: ['PROJECT_NOT_FOUND', 'VERSION_CONFLICT'],
    handler: async ({ ctx, params, query, reply }) => {
      await services.projects.deleteProject(ctx, { id: params.id, expectedVersion: query.version });
      return reply.code(204).send();
    },
  });

  route({
    method: 'GET',
    url: '/video/timeline/projects/:id/sequences/:sequence_id',
    operationId: 'getSequence',
    summary: 'One sequence of a project.',
    tags: ['timeline'],
    params: SequenceParams,
    responses: { 200: { description: 'The sequence and the project version', schema: SequenceResultSchema } },
    errors: ['PROJECT_NOT_FOUND'],
    handler: async ({ ctx, params }) => {
      const record = await services.projects.getProject(ctx, params.id);
      const sequence = record.document.sequences.find((s) => s.id === params.sequence_id);
      if (!sequence)
        throw cutroomError(
          'PROJECT_NOT_FOUND',
          `project ${params.id} has no sequence ${params.sequence_id}`,
          {
            project_id: params.id,
            sequence_id: params.sequence_id,
          },
        );
      return { project_id: record.id, version: record.version, sequence };
    },
  });

  route({
    method: 'PUT',
    url: '/video/timeline/projects/:id/sequences/:sequence_id',
    operationId: 'replaceSequence',
    summary:
      'Replace one sequence (its id comes from the URL); optional `version` guards against stale edits.',
    tags: ['timeline'],
    params: SequenceParams,
    body: TimelineSchema.extend({ id: EntityIdSchema.optional(), version: VersionSchema.optional() }),
    responses: { 200: { description: 'Replaced', schema: SequenceResultSchema } },
    errors: [...PROJECT_ERRORS],
    handler: async ({ ctx, params, body }) => {
      const { version, id, ...rest } = body;
      if (id !== undefined && id !== params.sequence_id)
        throw cutroomError('VALIDATION_FAILED', 'body.id differs from the sequence id in the URL', {
          issues: [{ part: 'body', path: 'id', message: `must be ${params.sequence_id} or absent` }],
        });
      const timeline: Sequence = { ...rest, id: params.sequence_id };
      await checkTimelines({
        ctx,
        assets: services.assets,
        timelines: [{ timeline, prefix: '' }],
        part: 'body',
      });
      const out = await editSequence({
        ctx,
        projectId: params.id,
        sequenceId: params.sequence_id,
        version,
        edit: (draft) => {
          for (const k of Object.keys(draft)) delete draft[k];
          Object.assign(draft, timeline);
        },
      });
      return { project_id: params.id, version: out.version, sequence: out.sequence };
    },
  });

  route({
    method: 'POST',
    url: '/video/timeline/projects/:id/sequences/:sequence_id/tracks/:track_id/clips',
    operationId: 'addClip',
    summary: 'Add a clip to a track; the whole sequence is re-validated (overlaps, ids, asset references).',
    tags: ['timeline'],
    params: TrackParams,
    body: MediaClipSchema.extend({ version: VersionSchema.optional() }),
    responses: { 201: { description: 'Added', schema: ClipResultSchema } },
    errors: [...PROJECT_ERRORS],
    handler: async ({ ctx, params, body, reply }) => {
      const { version, ...clip } = body;
      const out = await editSequence({
        ctx,
        projectId: params.id,
        sequenceId: params.sequence_id,
        version,
        edit: (draft) => {
          findClip(draft, params.track_id).clips.push(clip);
        },
      });
      reply.code(201);
      return {
        project_id: params.id,
        version: out.version,
        clip: clipIn(out.sequence, params.track_id, clip.id),
      };
    },
  });

  route({
    method: 'PATCH',
    url: '/video/timeline/projects/:id/sequences/:sequence_id/tracks/:track_id/clips/:clip_id',
    operationId: 'updateClip',
    summary:
      'Change fields of a clip (top-level fields replace the old values); the sequence is re-validated.',
    tags: ['timeline'],
    params: ClipParams,
    body: z
      .looseObject({ version: VersionSchema.optional(), id: EntityIdSchema.optional() })
      .describe('Any clip fields (see MediaClip); each given field replaces the old value'),
    responses: { 200: { description: 'Updated', schema: ClipResultSchema } },
    errors: [...PROJECT_ERRORS],
    handler: async ({ ctx, params, body }) => {
      const { version, ...patch } = body;
      if (patch.id !== undefined && patch.id !== params.clip_id)
        throw cutroomError('VALIDATION_FAILED', 'a clip id cannot be changed', {
          issues: [{ part: 'body', path: 'id', message: `must be ${params.clip_id} or absent` }],
        });
      const out = await editSequence({
        ctx,
        projectId: params.id,
        sequenceId: params.sequence_id,
        version,
        edit: (draft) => {
          const { clips, index } = findClip(draft, params.track_id, params.clip_id);
          clips[index] = { ...clips[index], ...patch };
        },
      });
      return {
        project_id: params.id,
        version: out.version,
        clip: clipIn(out.sequence, params.track_id, params.clip_id),
      };
    },
  });

  route({
    method: 'DELETE',
    url: '/video/timeline/projects/:id/sequences/:sequence_id/tracks/:track_id/clips/:clip_id',
    operationId: 'deleteClip',
    summary: 'Remove a clip and the transitions that reference it.',
    tags: ['timeline'],
    params: ClipParams,
    query: OptionalVersionQuery,
    responses: { 200: { description: 'Removed', schema: ClipResultSchema } },
    errors: [...PROJECT_ERRORS],
    handler: async ({ ctx, params, query }) => {
      const out = await editSequence({
        ctx,
        projectId: params.id,
        sequenceId: params.sequence_id,
        version: query.version,
        edit: (draft) => {
          const { track, clips, index } = findClip(draft, params.track_id, params.clip_id);
          clips.splice(index, 1);
          // A transition cannot outlive either of its clips.
          const transitions = (track.transitions ?? []) as Array<Record<string, unknown>>;
          const removed = transitions.filter(
            (t) => t.from_clip_id === params.clip_id || t.to_clip_id === params.clip_id,
          );
          track.transitions = transitions.filter((t) => !removed.includes(t));
          return removed.map((t) => String(t.id));
        },
      });
      return { project_id: params.id, version: out.version, removed_transitions: out.result };
    },
  });
};

function clipIn(sequence: Sequence, trackId: string, clipId: string) {
  const track = sequence.tracks.find((t) => t.id === trackId);
  return track && 'clips' in track ? track.clips.find((c) => c.id === clipId) : undefined;
}
