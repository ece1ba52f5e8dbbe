/**
 * POST /video/regions behind the HTTP layer: face regions of one asset as a `video_region_summary` artifact
 * (JSON content), cached on the asset's content hash + parameters + backend version, so asking twice returns
 * the stored artifact. The stub backend's results carry `stub: true` in meta and a REGIONS_STUB_BACKEND warning.
 */
import type { RequestContext } from '../../context.js';
import type { Warning } from '../../errors.js';
import type { Artifact } from '../../media/artifacts.js';
import type { Services } from '../../media/services.js';
import { analyzeFaces, validateRegionParams } from './analyze.js';
import type { SelectedBackend } from './backend.js';
import { REGIONS_STUB_BACKEND, selectFaceBackend } from './select-backend.js';
import type { RegionName } from './types.js';
import { REGION_NAMES } from './types.js';

export interface AnalyzeRegionsInput {
  asset_id: string;
  /** Sample every this many ms (default 200). */
  interval_ms?: number;
  /** Default: VIDEO_REGIONS_MIN_CONFIDENCE or 0.5. */
  min_confidence?: number;
  /** Sub-regions besides `face` (always included): 'eyes', 'mouth'. */
  include_regions?: RegionName[];
}

export interface AnalyzeRegionsOptions {
  /** Injected by tests; default selectFaceBackend() (BlazeFace, or the stub when it is missing). */
  backend?: SelectedBackend;
  signal?: AbortSignal;
}

export interface AnalyzeRegionsResult {
  artifact: Artifact;
  cached: boolean;
  warnings: Warning[];
}

export async function analyzeRegions(
  services: Pick<Services, 'assets' | 'artifacts'>,
  ctx: RequestContext,
  input: AnalyzeRegionsInput,
  opts: AnalyzeRegionsOptions = {},
): Promise<AnalyzeRegionsResult> {
  const selected = opts.backend ?? (await selectFaceBackend());
  const { backend } = selected;
  const intervalMs = input.interval_ms ?? 200;
  const minConfidence = input.min_confidence ?? backend.minConfidence;
  const requested = input.include_regions ?? [];
  validateRegionParams({ intervalMs, minConfidence, includeRegions: requested });
  // Canonical order, so ['mouth','eyes'] and ['eyes','mouth'] share one cache entry.
  const include = REGION_NAMES.filter((r) => r === 'face' || requested.includes(r));
  const asset = await services.assets.getAsset(ctx, input.asset_id);

  const params = { interval_ms: intervalMs, min_confidence: minConfidence, include_regions: include };
  const { artifact, cached } = await services.artifacts.lookupOrCreateArtifact(ctx, {
    assetId: asset.id,
    kind: 'video_region_summary',
    params,
    backendVersion: backend.version,
    produce: async ({ cacheKey }) => {
      const started = performance.now();
      const path = await services.assets.assetPath(ctx, asset.id);
      const { summary } = await analyzeFaces({
        path,
        info: asset.media_info,
        intervalMs,
        minConfidence,
        includeRegions: include,
        backend,
        ...(opts.signal ? { signal: opts.signal } : {}),
      });
      return {
        meta: {
          backend_version: backend.version,
          model_used: backend.model,
          cache_key: cacheKey,
          duration_ms: Math.round(performance.now() - started),
          frame_sample_interval_ms: intervalMs,
          min_confidence: minConfidence,
          include_regions: include,
          sample_count: summary.samples.length,
          track_count: summary.tracks.length,
          ...(backend.stub ? { stub: true } : {}),
        },
        content: Buffer.from(JSON.stringify(summary)),
        name: 'regions/{artifact_id}.json',
      };
    },
  });
  const warnings: Warning[] = [];
  if (artifact.meta.stub === true) {
    warnings.push(
      selected.warnings.find((w) => w.code === REGIONS_STUB_BACKEND) ?? {
        code: REGIONS_STUB_BACKEND,
        message: 'this region summary was made by the stub backend: placeholders, not detections',
      },
    );
  }
  return { artifact, cached, warnings };
}
