/**
 * POST /video/multicam/align behind the HTTP layer: offsets (and clock drift) of 2–4 of the caller's recordings
 * against a reference, as one `multicam_alignment` artifact on the reference asset, cached on every recording's
 * content hash (in order) + parameters + backend version. Other tenants' assets are ASSET_NOT_FOUND.
 */
import type { RequestContext } from '../../context.js';
import { cutroomError, type Warning } from '../../errors.js';
import type { Artifact } from '../../media/artifacts.js';
import type { Asset } from '../../media/assets.js';
import type { Services } from '../../media/services.js';
import { alignRecordings, SYNC_SAMPLE_RATE, validateAlignParams } from './align-recordings.js';
import { DEFAULT_PSR_THRESHOLD } from './estimate-offset.js';
import { FFT_BACKEND } from './fft.js';
import type { AlignParams, MulticamAlignment } from './types.js';

/** Bump when results change for the same inputs (algorithm, defaults, output shape). */
export const ALIGNMENT_VERSION = 1;
export const MULTICAM_BACKEND_VERSION = `gcc-phat@${ALIGNMENT_VERSION}/${FFT_BACKEND}`;

export interface AlignMulticamInput extends AlignParams {
  asset_ids: string[];
  /** Default: the first of asset_ids. */
  reference_asset_id?: string;
}

export interface AlignMulticamOptions {
  signal?: AbortSignal;
}

export interface AlignMulticamResult {
  artifact: Artifact;
  alignment: MulticamAlignment;
  cached: boolean;
  warnings: Warning[];
}

export async function alignMulticam(
  services: Pick<Services, 'assets' | 'artifacts'>,
  ctx: RequestContext,
  input: AlignMulticamInput,
  opts: AlignMulticamOptions = {},
): Promise<AlignMulticamResult> {
  const ids = input.asset_ids;
  validateAlignParams({ params: input, count: ids.length });
  if (new Set(ids).size !== ids.length)
    throw cutroomError('INVALID_PARAM', 'asset_ids must not repeat an asset', {
      issues: [{ path: 'asset_ids', message: 'must not repeat an asset' }],
    });
  const referenceId = input.reference_asset_id ?? ids[0]!;
  if (!ids.includes(referenceId))
    throw cutroomError('INVALID_PARAM', 'reference_asset_id must be one of asset_ids', {
      issues: [{ path: 'reference_asset_id', message: 'must be one of asset_ids' }],
    });
  // Every asset through the registry: another tenant's id fails here exactly like a missing one.
  const assets: Asset[] = [];
  for (const id of ids) assets.push(await services.assets.getAsset(ctx, id));

  const params = {
    asset_ids: ids,
    content_hashes: assets.map((a) => a.content_hash),
    reference_asset_id: referenceId,
    search_window_ms: input.search_window_ms ?? null,
    max_offset_ms: input.max_offset_ms ?? null,
    correct_drift: input.correct_drift ?? false,
    sample_rate: SYNC_SAMPLE_RATE,
    psr_threshold: DEFAULT_PSR_THRESHOLD,
  };
  let produced: { alignment: MulticamAlignment; warnings: Warning[] } | null = null;
  const { artifact, cached } = await services.artifacts.lookupOrCreateArtifact(ctx, {
    assetId: referenceId,
    kind: 'multicam_alignment',
    params,
    backendVersion: MULTICAM_BACKEND_VERSION,
    produce: async ({ cacheKey }) => {
      const started = performance.now();
      const recordings = [];
      for (const a of assets)
        recordings.push({ id: a.id, path: await services.assets.assetPath(ctx, a.id), info: a.media_info });
      const result = await alignRecordings({
        recordings,
        referenceId,
        params: {
          ...(input.search_window_ms !== undefined ? { search_window_ms: input.search_window_ms } : {}),
          ...(input.max_offset_ms !== undefined ? { max_offset_ms: input.max_offset_ms } : {}),
          ...(input.correct_drift !== undefined ? { correct_drift: input.correct_drift } : {}),
        },
        ...(opts.signal ? { signal: opts.signal } : {}),
      });
      produced = { alignment: result.alignment, warnings: result.warnings };
      const pairs = result.alignment.pairs;
      const methods = [...new Set(pairs.map((p) => p.method))];
      return {
        meta: {
          alignment_version: ALIGNMENT_VERSION,
          backend_version: MULTICAM_BACKEND_VERSION,
          model_used: 'gcc-phat',
          cache_key: cacheKey,
          duration_ms: Math.round(performance.now() - started),
          decode_ms: result.timings.decode_ms,
          correlate_ms: result.timings.correlate_ms,
          // Channel counts of each recording (asset_ids order); every one is mixed down to mono for sync.
          source_channels: assets.map((a) => a.media_info.audio?.channels ?? 0),
          channel_mode: 'mono_downmix',
          sample_rate: SYNC_SAMPLE_RATE,
          confidence: pairs.length > 0 ? Math.min(...pairs.map((p) => p.confidence)) : 0,
          method: methods.length === 1 ? methods[0] : 'mixed',
          reliable: pairs.every((p) => p.status === 'ok'),
          fft_backend: FFT_BACKEND,
          warnings: result.warnings,
        },
        content: Buffer.from(JSON.stringify(result.alignment)),
        name: 'multicam/{artifact_id}.json',
      };
    },
  });
  if (produced !== null) {
    const p = produced as { alignment: MulticamAlignment; warnings: Warning[] };
    return { artifact, alignment: p.alignment, cached, warnings: p.warnings };
  }
  // Cached: the stored content is the alignment; the warnings were kept in meta.
  const content = await services.artifacts.artifactContent(ctx, artifact.id);
  const chunks: Buffer[] = [];
  for await (const chunk of content.stream as AsyncIterable<Buffer>) chunks.push(chunk);
  const alignment = JSON.parse(Buffer.concat(chunks).toString('utf8')) as MulticamAlignment;
  const warnings = Array.isArray(artifact.meta.warnings) ? (artifact.meta.warnings as Warning[]) : [];
  return { artifact, alignment, cached, warnings };
}
