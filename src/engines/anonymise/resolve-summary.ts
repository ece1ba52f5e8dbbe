/**
 * Which region summary an anonymise request uses: the one named (same tenant/env, same asset), else the newest
 * summary of the asset that has every requested region, else a fresh analysis.
 */
import type { RequestContext } from '../../context.js';
import { cutroomError, type Warning } from '../../errors.js';
import type { Services } from '../../media/services.js';
import type { SelectedBackend } from '../regions/backend.js';
import { loadRegionSummary, type LoadedSummary } from '../regions/load-summary.js';
import { analyzeRegions } from '../regions/service.js';
import type { RegionName } from '../regions/types.js';

export interface ResolveSummaryInput {
  assetId: string;
  summaryId?: string;
  include: readonly RegionName[];
  backend?: SelectedBackend;
  signal?: AbortSignal;
}

export interface ResolvedSummary extends LoadedSummary {
  /** True when no summary existed and one was made for this request. */
  analysed: boolean;
  warnings: Warning[];
}

export async function resolveSummary(
  services: Pick<Services, 'assets' | 'artifacts'>,
  ctx: RequestContext,
  input: ResolveSummaryInput,
): Promise<ResolvedSummary> {
  const has = (regions: unknown): boolean =>
    input.include.every((r) => r === 'face' || (Array.isArray(regions) && regions.includes(r)));
  if (input.summaryId !== undefined) {
    const loaded = await loadRegionSummary(services, ctx, input.summaryId);
    if (loaded.artifact.asset_id !== input.assetId)
      throw cutroomError(
        'INVALID_PARAM',
        `region summary ${input.summaryId} belongs to another asset than ${input.assetId}`,
        { issues: [{ path: 'summary_id', message: 'must be a region summary of asset_id' }] },
      );
    return { ...loaded, analysed: false, warnings: [] };
  }
  const summaries = await services.artifacts.listArtifacts(ctx, {
    assetId: input.assetId,
    kind: 'video_region_summary',
    limit: 50,
  });
  const usable = summaries.find((a) => has(a.meta.include_regions));
  if (usable)
    return { ...(await loadRegionSummary(services, ctx, usable.id)), analysed: false, warnings: [] };
  const made = await analyzeRegions(
    services,
    ctx,
    { asset_id: input.assetId, include_regions: input.include.filter((r) => r !== 'face') },
    {
      ...(input.backend ? { backend: input.backend } : {}),
      ...(input.signal ? { signal: input.signal } : {}),
    },
  );
  return {
    ...(await loadRegionSummary(services, ctx, made.artifact.id)),
    analysed: true,
    warnings: made.warnings,
  };
}
