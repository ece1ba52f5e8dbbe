/**
 * POST /video/anonymise/faces behind the HTTP layer: the asset re-encoded with every tracked face blurred,
 * pixelated or boxed on every frame, feathered at the edge, in one ffmpeg pass (anonymise-graph.ts). The mask
 * is drawn in Node at low resolution (regions/write-mask-raw.ts) and scaled up inside that same pass, so no
 * full-size mask video is written. Audio is copied. Cached on the summary id + method + strength + regions.
 *
 * No face in the summary: nothing to hide, so nothing is encoded. The result is then a meta-only
 * `anonymised_video` artifact (no content) with `meta.skipped: true`, `meta.reason: 'no_faces'` and
 * `meta.source_asset_id`: the source itself is the anonymised video.
 */
import { join } from 'node:path';
import type { RequestContext } from '../../context.js';
import { cutroomError, type Warning } from '../../errors.js';
import type { Artifact } from '../../media/artifacts.js';
import type { Services } from '../../media/services.js';
import type { SelectedBackend } from '../regions/backend.js';
import { frameGeometry } from '../regions/frame-geometry.js';
import { maskParams } from '../regions/render-mask.js';
import { REGIONS_STUB_BACKEND } from '../regions/select-backend.js';
import type { RegionName } from '../regions/types.js';
import {
  ANONYMISE_METHODS,
  ANONYMISE_STRENGTHS,
  type AnonymiseMethod,
  type AnonymiseStrength,
} from './effect-filter.js';
import { renderAnonymised } from './render-anonymised.js';
import { resolveSummary } from './resolve-summary.js';

/** Bump when the graph, the strengths or the encoder settings change: part of the cache key. */
export const ANONYMISE_STRENGTH_IGNORED = 'ANONYMISE_STRENGTH_IGNORED';

export const ANONYMISE_VERSION = 'anonymise-1';

export interface AnonymiseFacesInput {
  asset_id: string;
  /** A video_region_summary of the asset; default: its newest summary having the regions, else a new one. */
  summary_id?: string;
  method?: AnonymiseMethod;
  strength?: AnonymiseStrength;
  /** Regions hidden (default ['face']). */
  include_regions?: RegionName[];
}

export interface AnonymiseFacesOptions {
  /** Face detector when a summary has to be made (tests inject one). */
  backend?: SelectedBackend;
  signal?: AbortSignal;
}

export interface AnonymiseFacesResult {
  artifact: Artifact;
  cached: boolean;
  summary_id: string;
  warnings: Warning[];
}

function validate(input: AnonymiseFacesInput): { method: AnonymiseMethod; strength: AnonymiseStrength } {
  const method = input.method ?? 'blur';
  const strength = input.strength ?? 'medium';
  const issues: { path: string; message: string }[] = [];
  if (!ANONYMISE_METHODS.includes(method))
    issues.push({
      path: 'method',
      message: `must be one of ${ANONYMISE_METHODS.join(', ')}, got "${method}"`,
    });
  if (!ANONYMISE_STRENGTHS.includes(strength))
    issues.push({
      path: 'strength',
      message: `must be one of ${ANONYMISE_STRENGTHS.join(', ')}, got "${strength}"`,
    });
  if (issues.length > 0)
    throw cutroomError('INVALID_PARAM', issues.map((i) => `${i.path}: ${i.message}`).join('; '), { issues });
  return { method, strength };
}

export async function anonymiseFaces(
  services: Pick<Services, 'assets' | 'artifacts'>,
  ctx: RequestContext,
  input: AnonymiseFacesInput,
  opts: AnonymiseFacesOptions = {},
): Promise<AnonymiseFacesResult> {
  const { method, strength } = validate(input);
  // Regions are validated here once against all names; against the summary's own regions below.
  const requested = maskParams({
    include_regions: input.include_regions,
    available: ['face', 'eyes', 'mouth'],
  });
  const asset = await services.assets.getAsset(ctx, input.asset_id);
  const geometry = frameGeometry(asset.media_info);
  if (!geometry)
    throw cutroomError(
      'UNSUPPORTED_MEDIA',
      'anonymising needs a video stream or an image; this asset has none',
      {
        asset_id: asset.id,
      },
    );
  const resolved = await resolveSummary(services, ctx, {
    assetId: asset.id,
    include: requested.include,
    ...(input.summary_id !== undefined ? { summaryId: input.summary_id } : {}),
    ...(opts.backend ? { backend: opts.backend } : {}),
    ...(opts.signal ? { signal: opts.signal } : {}),
  });
  const { summary, artifact: summaryArtifact } = resolved;
  const { include, feather } = maskParams({
    include_regions: requested.include,
    available: (summaryArtifact.meta.include_regions as string[] | undefined) ?? ['face'],
  });
  const warnings = [...resolved.warnings];
  const stub = summaryArtifact.meta.stub === true;
  if (stub && !warnings.some((w) => w.code === REGIONS_STUB_BACKEND))
    warnings.push({
      code: REGIONS_STUB_BACKEND,
      message:
        'the region summary was made by the stub backend: the hidden areas are placeholders, not faces',
    });
  if (input.method === 'box' && input.strength !== undefined)
    warnings.push({
      code: ANONYMISE_STRENGTH_IGNORED,
      message: 'strength has no effect with method "box" (the box is opaque)',
      path: 'strength',
    });

  const backendVersion = `${ANONYMISE_VERSION}+${summaryArtifact.backend_version}`;
  const noFaces = summary.tracks.length === 0;
  const still = geometry.still;
  const common = {
    backend_version: backendVersion,
    summary_id: summaryArtifact.id,
    summary_backend_version: summaryArtifact.backend_version,
    method,
    strength,
    include_regions: include,
    ...(stub ? { stub: true } : {}),
  };

  const { artifact, cached } = await services.artifacts.lookupOrCreateArtifact(ctx, {
    assetId: asset.id,
    kind: 'anonymised_video',
    params: { summary_id: summaryArtifact.id, method, strength, include_regions: include, feather },
    backendVersion,
    produce: async ({ workDir, cacheKey }) => {
      const started = performance.now();
      if (noFaces)
        return {
          meta: {
            ...common,
            cache_key: cacheKey,
            skipped: true,
            reason: 'no_faces',
            source_asset_id: asset.id,
          },
        };
      const output = join(workDir, still ? 'anonymised.png' : 'anonymised.mp4');
      const rendered = await renderAnonymised({
        source: await services.assets.assetPath(ctx, asset.id),
        info: asset.media_info,
        geometry,
        summary,
        method,
        strength,
        include,
        feather,
        workDir,
        output,
        context: { asset_id: asset.id, summary_id: summaryArtifact.id },
        ...(opts.signal ? { signal: opts.signal } : {}),
      });
      return {
        meta: {
          ...common,
          cache_key: cacheKey,
          feather,
          ...rendered.params,
          encoder: rendered.encoder,
          duration_ms: Math.round(performance.now() - started),
        },
        content: { path: output },
        name: still ? 'anonymised/{artifact_id}.png' : 'anonymised/{artifact_id}.mp4',
      };
    },
  });
  return { artifact, cached, summary_id: summaryArtifact.id, warnings };
}
