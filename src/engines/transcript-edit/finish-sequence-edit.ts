/**
 * The common end of both edit assists on a sequence: the derived transcript (the clips' words on the sequence
 * clock, shifted by the edit; stored as an asr_transcript of the first clip's asset that has one, cached on the
 * source transcripts + clip ranges + kept spans), the timeline (validated) and a new project holding it.
 */
import { createHash } from 'node:crypto';
import type { RequestContext } from '../../context.js';
import type { Artifact } from '../../media/artifacts.js';
import type { Services } from '../../media/services.js';
import { transcriptWords, type Transcript } from '../../plan/captions/transcript.js';
import {
  findFillers,
  mapKeptToClips,
  sequenceEditTimeline,
  shiftTranscript,
  type EditPlan,
} from '../../plan/transcript-edit/index.js';
import { parseTimeline, type Timeline } from '../../timeline/index.js';
import type { FinishEditResult } from './finish-edit.js';
import type { LoadedSequence } from './load-sequence.js';
import { DERIVED_TRANSCRIPT_BACKEND } from './load-transcript.js';

export interface FinishSequenceEditInput {
  services: Pick<Services, 'artifacts' | 'projects'>;
  ctx: RequestContext;
  sequence: LoadedSequence;
  /** The clips' words on the sequence clock (sequenceSource), when any clip has a transcript. */
  transcript?: Transcript;
  plan: EditPlan;
  crossfadeMs: number;
  assist: 'transcript_edit' | 'remove_silences';
  params: Record<string, unknown>;
  captions: boolean;
  saveProject: boolean;
  projectName: string;
  fillerWords?: string[];
}

export async function finishSequenceEdit(input: FinishSequenceEditInput): Promise<FinishEditResult> {
  const { services, ctx, plan, sequence } = input;
  const withWords = sequence.clips.filter((c) => c.transcriptArtifact !== undefined);
  const sourceIds = sequence.clips.map((c) => ({ clip_id: c.clip_id, transcript_artifact_id: c.transcriptArtifact?.id ?? null }));
  let derived: { artifact: Artifact; transcript: Transcript } | null = null;
  if (input.transcript && withWords.length > 0) {
    const shifted = shiftTranscript({ transcript: input.transcript, kept: plan.kept });
    const layout = sequence.clips.map((c) => [c.clip_id, c.asset_id, c.start_ms, c.in_ms, c.out_ms, c.transcriptArtifact?.id ?? null]);
    const keptHash = createHash('sha256').update(JSON.stringify({ kept: plan.kept, layout })).digest('hex');
    const first = withWords[0]!;
    const firstId = first.transcriptArtifact!.id;
    const { artifact } = await services.artifacts.lookupOrCreateArtifact(ctx, {
      assetId: first.asset_id,
      kind: 'asr_transcript',
      params: { derived_from: withWords.map((c) => c.transcriptArtifact!.id), kept_sha256: keptHash },
      backendVersion: DERIVED_TRANSCRIPT_BACKEND,
      produce: async ({ cacheKey }) => ({
        meta: {
          backend_version: DERIVED_TRANSCRIPT_BACKEND,
          model_used: `derived from the transcripts of sequence ${sequence.source.sequence_id}: word times moved onto the edit`,
          cache_key: cacheKey,
          duration_ms: 0,
          language: shifted.language,
          derived_from_artifact_id: firstId,
          derived_from_artifact_ids: [...new Set(withWords.map((c) => c.transcriptArtifact!.id))],
          clock: 'edited timeline',
          assist: input.assist,
          sequence: sequence.source,
          word_count: shifted.segments.reduce((n, s) => n + s.words.length, 0),
          fillers: findFillers({ words: transcriptWords(shifted), extra: input.fillerWords ?? [] }),
        },
        content: Buffer.from(JSON.stringify(shifted)),
        name: 'captions/{artifact_id}.json',
      }),
    });
    derived = { artifact, transcript: shifted };
  }
  const doc = sequenceEditTimeline({
    plan,
    pieces: mapKeptToClips({ kept: plan.kept, clips: sequence.clips }),
    clips: sequence.clips,
    track: sequence.track,
    sourceClips: sequence.sourceClips,
    crossfadeMs: input.crossfadeMs,
    name: input.projectName,
    meta: {
      assist: input.assist,
      source_sequence: sequence.source,
      source_transcripts: sourceIds,
      ...(derived ? { transcript_artifact_id: derived.artifact.id } : {}),
      params: input.params,
    },
    ...(input.captions && derived ? { captionsArtifactId: derived.artifact.id } : {}),
  });
  const timeline: Timeline = parseTimeline(doc);
  let project: FinishEditResult['project'] = null;
  if (input.saveProject) {
    const record = await services.projects.createProject(ctx, { document: { name: input.projectName, sequences: [timeline] } });
    project = { id: record.id, version: record.version };
  }
  return { timeline, project, transcript: derived };
}
