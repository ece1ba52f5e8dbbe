/**
 * Look an artifact up by what lookupOrCreateArtifact would key it on, without producing it. The artifact
 * service has no lookup-only call; a produce that refuses (a private sentinel) gives exactly that, through the
 * same cache-key function and the same in-process lock (a concurrent producer of the key is awaited).
 */
import type { RequestContext } from '../context.js';
import type { Artifact, LookupOrCreateInput } from '../media/artifacts.js';
import type { Services } from '../media/services.js';

const NOT_CACHED = Symbol('not cached');

export async function findArtifact({
  services,
  ctx,
  input,
}: {
  services: Services;
  ctx: RequestContext;
  input: Omit<LookupOrCreateInput, 'produce'>;
}): Promise<Artifact | null> {
  try {
    const { artifact } = await services.artifacts.lookupOrCreateArtifact(ctx, {
      ...input,
      produce: () => Promise.reject(NOT_CACHED),
    });
    return artifact;
  } catch (err) {
    if (err === NOT_CACHED) return null;
    throw err;
  }
}
