/**
 * Reads a JSON artifact by id in the caller's tenant and env (another tenant's id is ARTIFACT_NOT_FOUND, like
 * an id that does not exist) and checks its kind, so an id of the wrong kind is a clear INVALID_PARAM.
 */
import { text } from 'node:stream/consumers';
import type { RequestContext } from '../../context.js';
import { cutroomError } from '../../errors.js';
import type { Artifact, ArtifactKind, ArtifactService } from '../../media/index.js';

export interface ReadArtifactJsonInput {
  artifacts: ArtifactService;
  ctx: RequestContext;
  /** An artifact id, or an artifact already fetched through the registry. */
  artifact: string | Artifact;
  kind: ArtifactKind;
  /** Request path named in the error when the kind is wrong, e.g. `alignment_artifact_id`. */
  path: string;
}

export async function readArtifactJson<T>(
  input: ReadArtifactJsonInput,
): Promise<{ artifact: Artifact; value: T }> {
  const { artifacts, ctx, kind, path } = input;
  const artifact =
    typeof input.artifact === 'string' ? await artifacts.getArtifact(ctx, input.artifact) : input.artifact;
  if (artifact.kind !== kind)
    throw cutroomError('INVALID_PARAM', `artifact ${artifact.id} is a ${artifact.kind}, not a ${kind}`, {
      issues: [{ path, message: `must name a ${kind} artifact` }],
    });
  const { stream } = await artifacts.artifactContent(ctx, artifact.id);
  return { artifact, value: JSON.parse(await text(stream)) as T };
}
