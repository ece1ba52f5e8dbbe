/**
 * The asr_transcript an edit is driven by, checked: of the caller's tenant (another tenant's id is
 * ARTIFACT_NOT_FOUND, indistinguishable from a missing one), of the edited asset, a recognised or aligned
 * transcript of the source (not the derived transcript of an earlier edit, whose clock is that edit's
 * timeline), and not the stub backend's placeholders. Without an id: the newest such transcript of the asset.
 */
import type { RequestContext } from '../../context.js';
import { cutroomError, isCutroomError } from '../../errors.js';
import type { Artifact } from '../../media/artifacts.js';
import type { Services } from '../../media/services.js';
import { parseTranscript, type Transcript } from '../../plan/captions/transcript.js';
import { readArtifactJson } from '../autocut/read-artifact-json.js';

export const DERIVED_TRANSCRIPT_BACKEND = 'cutroom-transcript-edit-1';

function isDerived(a: Artifact): boolean {
  return typeof a.meta.derived_from_artifact_id === 'string';
}

export async function loadEditTranscript(input: {
  services: Pick<Services, 'artifacts'>;
  ctx: RequestContext;
  assetId: string;
  artifactId?: string;
  /** Request field named in errors. */
  path: string;
  /** Without an id and without a usable transcript: undefined instead of an error. */
  optional?: boolean;
}): Promise<{ artifact: Artifact; transcript: Transcript } | undefined> {
  const { services, ctx, assetId, path } = input;
  let artifact: Artifact;
  if (input.artifactId !== undefined) {
    try {
      artifact = await services.artifacts.getArtifact(ctx, input.artifactId);
    } catch (err) {
      if (isCutroomError(err, 'ARTIFACT_NOT_FOUND'))
        throw cutroomError('ARTIFACT_NOT_FOUND', `${path}: no artifact ${input.artifactId}`, {
          artifact_id: input.artifactId,
          path,
        });
      throw err;
    }
    if (artifact.kind !== 'asr_transcript')
      throw cutroomError('INVALID_PARAM', `${path}: artifact ${artifact.id} is a ${artifact.kind}, not an asr_transcript`, {
        issues: [{ path, message: 'must name an asr_transcript artifact' }],
      });
    if (artifact.asset_id !== assetId)
      throw cutroomError(
        'TRANSCRIPT_ASSET_MISMATCH',
        `${path}: transcript ${artifact.id} is of asset ${artifact.asset_id ?? '(none)'}, not ${assetId}`,
        { path, transcript_asset_id: artifact.asset_id, asset_id: assetId },
      );
    if (isDerived(artifact))
      throw cutroomError(
        'TRANSCRIPT_ASSET_MISMATCH',
        `${path}: transcript ${artifact.id} is the derived transcript of an edit (its times are on that edit's timeline), not a transcript of asset ${assetId}; use ${String(artifact.meta.derived_from_artifact_id)}`,
        { path, derived_from_artifact_id: artifact.meta.derived_from_artifact_id },
      );
  } else {
    const all = await services.artifacts.listArtifacts(ctx, { assetId, kind: 'asr_transcript', limit: 100 });
    const usable = all.find((a) => !isDerived(a) && a.meta.stub !== true);
    if (!usable) {
      if (input.optional) return undefined;
      throw cutroomError(
        'ARTIFACT_NOT_FOUND',
        `asset ${assetId} has no real asr_transcript yet: POST /video/captions/generate first, or name one in ${path}`,
        { path, asset_id: assetId, stub_transcripts: all.filter((a) => a.meta.stub === true).length },
      );
    }
    artifact = usable;
  }
  if (artifact.meta.stub === true)
    throw cutroomError(
      'TRANSCRIPT_STUB_REFUSED',
      `${path}: transcript ${artifact.id} was made by the stub ASR backend (placeholder words without real timings); install pocketsphinx and generate captions again`,
      { path, artifact_id: artifact.id },
    );
  const { value } = await readArtifactJson<unknown>({
    artifacts: services.artifacts,
    ctx,
    artifact,
    kind: 'asr_transcript',
    path,
  });
  return { artifact, transcript: parseTranscript(value) };
}
