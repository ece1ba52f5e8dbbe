/** Request bodies of the edit assists (HTTP and CLI validate with the same schemas). */
import { z } from 'zod';
import { TimelineSchema } from '../../timeline/index.js';

const id = z.string().min(1).max(128);
const common = {
  /** One asset, whole. Give exactly one of asset_id, project_id (a stored sequence) or timeline (inline). */
  asset_id: id.optional(),
  /** A stored project: its sequence `sequence_id` (default: the first) is edited. */
  project_id: id.optional(),
  sequence_id: id.optional(),
  /** An inline sequence whose speech track's clips are ranges of one or more assets. */
  timeline: TimelineSchema.optional(),
  /** The sequence's track carrying the speech (default: the first video track with clips, else the first audio track). */
  track_id: id.optional(),
  /** Output frame grid the cuts snap to; default 30/1, the rate of every render profile. */
  fps: z
    .object({ num: z.int().min(1).max(240_000), den: z.int().min(1).max(10_000) })
    .refine((f) => f.num / f.den >= 1 && f.num / f.den <= 240, { message: 'must be 1..240 fps' })
    .optional(),
  /** Audio crossfade at each join (split into a fade-out and a fade-in meeting at the cut). */
  crossfade_ms: z.int().min(0).max(200).default(20),
  /** Add a caption track drawing the derived transcript. */
  captions: z.boolean().default(false),
  save_project: z.boolean().default(true),
  project_name: z.string().min(1).max(200).optional(),
  tenant_id: z.string().optional(),
  env: z.string().optional(),
};

/** Exactly one source; the sequence-only fields only with a sequence, transcript_artifact_id only with one asset. */
function checkSource(
  b: {
    asset_id?: string | undefined;
    project_id?: string | undefined;
    sequence_id?: string | undefined;
    timeline?: unknown;
    track_id?: string | undefined;
    transcripts?: unknown;
    transcript_artifact_id?: string | undefined;
  },
  ctx: z.RefinementCtx,
): void {
  const given = (['asset_id', 'project_id', 'timeline'] as const).filter((k) => b[k] !== undefined);
  if (given.length !== 1)
    ctx.addIssue({
      code: 'custom',
      path: [given[1] ?? 'asset_id'],
      message: given.length === 0 ? 'give asset_id, project_id or timeline' : `give one of asset_id, project_id, timeline (got ${given.join(', ')})`,
    });
  if (b.sequence_id !== undefined && b.project_id === undefined)
    ctx.addIssue({ code: 'custom', path: ['sequence_id'], message: 'only with project_id' });
  if (b.asset_id !== undefined) {
    for (const k of ['track_id', 'transcripts'] as const)
      if (b[k] !== undefined) ctx.addIssue({ code: 'custom', path: [k], message: 'only with a sequence (project_id or timeline)' });
  } else if (b.transcript_artifact_id !== undefined && b.transcript_artifact_id !== 'none')
    ctx.addIssue({
      code: 'custom',
      path: ['transcript_artifact_id'],
      message: 'a sequence names one transcript per clip: use transcripts {clip_id: artifact_id}',
    });
}

export const TranscriptEditBodySchema = z
  .object({
    ...common,
    /** Default: the newest real (non-stub, non-derived) asr_transcript of the asset. Only with asset_id. */
    transcript_artifact_id: id.optional(),
    /** Sequence input: clip id -> the asr_transcript of that clip's asset (default: the asset's newest real one). */
    transcripts: z.record(id, id).optional(),
    /** Word index ranges to remove (inclusive), in the transcript's time order. */
    remove: z
      .array(z.object({ start: z.int(), end: z.int() }).strict())
      .max(20_000)
      .optional(),
    /** The edited transcript text: words missing from it are removed. */
    text: z.string().max(1_000_000).optional(),
    remove_fillers: z.boolean().default(false),
    /** Extra filler words (besides um, uh, erm, … and recogniser filler tokens). */
    filler_words: z.array(z.string().min(1).max(40)).max(200).default([]),
  })
  .strict()
  .superRefine((b, ctx) => {
    checkSource(b, ctx);
    if (b.remove !== undefined && b.text !== undefined)
      ctx.addIssue({ code: 'custom', path: ['text'], message: 'give remove or text, not both' });
    if (b.remove === undefined && b.text === undefined && !b.remove_fillers)
      ctx.addIssue({ code: 'custom', path: ['remove'], message: 'nothing to remove: give remove, text or remove_fillers' });
  });
export type TranscriptEditBody = z.input<typeof TranscriptEditBodySchema>;

export const RemoveSilencesBodySchema = z
  .object({
    ...common,
    preset: z.enum(['natural', 'tight', 'jumpcut']).default('natural'),
    /** Override the preset: pauses longer than this are shortened. */
    min_silence_ms: z.int().min(100).max(60_000).optional(),
    /** Override the preset: silence kept next to speech on each side. */
    padding_ms: z.int().min(0).max(5000).optional(),
    /** Protect these words (default: the newest real transcript of the asset, if any; `none` to skip). */
    transcript_artifact_id: z.union([id, z.literal('none')]).optional(),
    /**
     * Sequence input: clip id -> the asr_transcript protecting that clip's words, or `none` (default: the
     * asset's newest real one, if any). `transcript_artifact_id: "none"` skips every clip's.
     */
    transcripts: z.record(id, z.union([id, z.literal('none')])).optional(),
  })
  .strict()
  .superRefine((b, ctx) => checkSource(b, ctx));
export type RemoveSilencesBody = z.input<typeof RemoveSilencesBodySchema>;

const RemovedSchema = z.object({
  start_ms: z.int(),
  end_ms: z.int(),
  reason: z.enum(['words', 'filler', 'silence']),
  /** Sequence input: the clip and source times of each part of the range. */
  sources: z.array(z.object({ clip_id: z.string(), asset_id: z.string(), in_ms: z.int(), out_ms: z.int() })).optional(),
  words: z.object({ start: z.int(), end: z.int(), text: z.string() }).optional(),
  pause: z.object({ start_ms: z.number(), end_ms: z.number() }).optional(),
});

export const EditResponseSchema = z.object({
  timeline: z.looseObject({ tracks: z.array(z.unknown()) }),
  project: z.object({ id: z.string(), version: z.int() }).nullable(),
  transcript_artifact: z.looseObject({ id: z.string(), kind: z.literal('asr_transcript') }).nullable(),
  removed: z.array(RemovedSchema),
  time_saved_ms: z.int(),
  output_duration_ms: z.int(),
  source_duration_ms: z.number(),
  fillers: z.array(
    z.object({ index: z.int(), word: z.string(), start_ms: z.int(), end_ms: z.int(), kind: z.enum(['list', 'token']) }),
  ),
  warnings: z.array(z.object({ code: z.string(), message: z.string(), path: z.string().optional() })),
});
/** Parsed bodies (defaults filled in). */
export type TranscriptEditInput = z.output<typeof TranscriptEditBodySchema>;
export type RemoveSilencesInput = z.output<typeof RemoveSilencesBodySchema>;
