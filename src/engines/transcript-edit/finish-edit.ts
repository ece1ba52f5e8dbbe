/**
 * The common end of both edit assists: the derived transcript (source words shifted onto the edit's clock,
 * stored as an asr_transcript of the same asset, cached on the source transcript + kept spans), the timeline
 * (validated), and a new project holding it.
 */
import { createHash } from 'node:crypto';
import type { RequestContext } from '../../context.js';
import type { Artifact } from '../../media/artifacts.js';
import type { Services } from '../../media/services.js';
import type { Transcript } from '../../plan/captions/transcript.js';
import {
  editTimeline,
  findFillers,
  shiftTranscript,
  type EditPlan,
} from '../../plan/transcript-edit/index.js';
import { transcriptWords } from '../../plan/captions/transcript.js';
import { parseTimeline, type Timeline } from '../../timeline/index.js';
import { DERIVED_TRANSCRIPT_BACKEND } from './load-transcript.js';

export interface FinishEditInput {
  services: Pick<Services, 'artifacts' | 'projects'>;
  ctx: RequestContext;
  assetId: string;
  hasVideo: boolean;
  plan: EditPlan;
  crossfadeMs: number;
  source?: { artifact: Artifact; transcript: Transcript };
  assist: 'transcript_edit' | 'remove_silences';
  params: Record<string, unknown>;
  captions: boolean;
  saveProject: boolean;
  projectName: string;
  fillerWords?: string[];
}

export interface FinishEditResult {
  timeline: Timeline;
  project: { id: string; version: number } | null;
  transcript: { artifact: Artifact; transcript: Transcript } | null;
}

export async function finishEdit(input: FinishEditInput): Promise<FinishEditResult> {
  const { services, ctx, plan } = input;
  let derived: FinishEditResult['transcript'] = null;
  if (input.source) {
    const shifted = shiftTranscript({ transcript: input.source.transcript, kept: plan.kept });
    const keptHash = createHash('sha256').update(JSON.stringify(plan.kept)).digest('hex');
    const sourceId = input.source.artifact.id;
    const { artifact } = await services.artifacts.lookupOrCreateArtifact(ctx, {
      assetId: input.assetId,
      kind: 'asr_transcript',
      params: { derived_from: sourceId, kept_sha256: keptHash },
      backendVersion: DERIVED_TRANSCRIPT_BACKEND,
      produce: async ({ cacheKey }) => ({
        meta: {
          backend_version: DERIVED_TRANSCRIPT_BACKEND,
          model_used: `derived from ${sourceId}: word times shifted by the edit`,
          cache_key: cacheKey,
          duration_ms: 0,
          language: shifted.language,
          derived_from_artifact_id: sourceId,
          clock: 'edited timeline',
          assist: input.assist,
          word_count: shifted.segments.reduce((n, s) => n + s.words.length, 0),
          fillers: findFillers({ words: transcriptWords(shifted), extra: input.fillerWords ?? [] }),
        },
        content: Buffer.from(JSON.stringify(shifted)),
        name: 'captions/{artifact_id}.json',
      }),
    });
    derived = { artifact, transcript: shifted };
  }
  const doc = editTimeline({
    assetId: input.assetId,
    hasVideo: input.hasVideo,
    plan,
    crossfadeMs: input.crossfadeMs,
    name: input.projectName,
    meta: {
      assist: input.assist,
      asset_id: input.assetId,
      ...(input.source ? { source_transcript_artifact_id: input.source.artifact.id } : {}),
      ...(derived ? { transcript_artifact_id: derived.artifact.id } : {}),
      params: input.params,
    },
    ...(input.captions && derived ? { captionsArtifactId: derived.artifact.id } : {}),
  });
  const timeline = parseTimeline(doc);
  let project: FinishEditResult['project'] = null;
  if (input.saveProject) {
    const record = await services.projects.createProject(ctx, {
      document: { name: input.projectName, sequences: [timeline] },
    });
    project = { id: record.id, version: record.version };
  }
  return { timeline, project, transcript: derived };
}
