/**
 * Reads a stored region summary by artifact id in the caller's tenant and env (another tenant's id is
 * ARTIFACT_NOT_FOUND, exactly like an id that does not exist), checking that it is a region summary.
 */
import { text } from 'node:stream/consumers';
import type { RequestContext } from '../../context.js';
import { cutroomError } from '../../errors.js';
import type { Artifact } from '../../media/artifacts.js';
import type { Services } from '../../media/services.js';
import type { RegionSummary } from './types.js';

export interface LoadedSummary {
  artifact: Artifact;
  summary: RegionSummary;
}

export async function loadRegionSummary(
  services: Pick<Services, 'artifacts'>,
  ctx: RequestContext,
  summaryId: string,
): Promise<LoadedSummary> {
  const artifact = await services.artifacts.getArtifact(ctx, summaryId);
  if (artifact.kind !== 'video_region_summary' || artifact.asset_id === null)
    throw cutroomError(
      'INVALID_PARAM',
      `artifact ${summaryId} is a ${artifact.kind}, not a video_region_summary of an asset`,
      { issues: [{ path: 'summary_id', message: 'must name a video_region_summary artifact' }] },
    );
  const { stream } = await services.artifacts.artifactContent(ctx, artifact.id);
  const summary = JSON.parse(await text(stream)) as RegionSummary;
  return { artifact, summary };
}
