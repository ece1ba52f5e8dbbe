/**
 * Mask videos from a region summary: white feathered ellipses over the chosen regions on black, one frame per
 * source frame with the source's timestamps (the source is decoded as the clock; the mask frame shown is the
 * latest one at or before each source frame, so CFR sources match frame for frame and VFR ones to within a
 * frame). Stored as lossless H.264 gray (`-qp 0`, pix_fmt gray) in mp4 at the source's display size:
 * `…/{asset_id}/regions/{artifact_id}.mask.mp4`. Cached on the summary id + parameters.
 */
import { join } from 'node:path';
import type { RequestContext } from '../../context.js';
import { cutroomError } from '../../errors.js';
import { runFfmpeg } from '../../ffmpeg/run.js';
import { formatNumber } from '../../format.js';
import type { Artifact } from '../../media/artifacts.js';
import type { Services } from '../../media/services.js';
import { frameGeometry } from './frame-geometry.js';
import { loadRegionSummary } from './load-summary.js';
import { maskScaleFilter, rawMaskInputArgs } from './mask-filter.js';
import { maskRasterSize } from './mask-raster.js';
import type { RegionName } from './types.js';
import { REGION_NAMES } from './types.js';
import { writeMaskRaw } from './write-mask-raw.js';

/** Bump when drawing or encoding changes: part of the mask's cache key. */
export const MASK_RENDERER_VERSION = 'ellipse-mask-1';
export const DEFAULT_FEATHER = 0.3;

export interface RenderRegionMaskInput {
  summary_id: string;
  /** Regions drawn (default ['face']); each must be in the summary's include_regions. */
  include_regions?: RegionName[];
  /** Soft edge beyond each ellipse, as a fraction of its radius, 0..2 (default 0.3). */
  feather?: number;
}

export interface RenderRegionMaskResult {
  artifact: Artifact;
  cached: boolean;
}

/** Checks and canonicalises include_regions/feather against a summary's own include_regions. */
export function maskParams(p: {
  include_regions?: readonly string[];
  feather?: number;
  available: readonly string[];
}): { include: RegionName[]; feather: number } {
  const requested = p.include_regions ?? ['face'];
  const feather = p.feather ?? DEFAULT_FEATHER;
  const issues: { path: string; message: string }[] = [];
  if (requested.length === 0)
    issues.push({ path: 'include_regions', message: 'include_regions must not be empty' });
  requested.forEach((r, i) => {
    if (!(REGION_NAMES as readonly string[]).includes(r))
      issues.push({
        path: `include_regions[${i}]`,
        message: `must be one of ${REGION_NAMES.join(', ')}, got "${r}"`,
      });
    else if (!p.available.includes(r))
      issues.push({
        path: `include_regions[${i}]`,
        message: `the region summary has no "${r}" regions (it has ${p.available.join(', ')}); analyse with include_regions containing it`,
      });
  });
  if (!(feather >= 0 && feather <= 2))
    issues.push({ path: 'feather', message: `feather must be in [0, 2], got ${feather}` });
  if (issues.length > 0)
    throw cutroomError('INVALID_PARAM', issues.map((i) => `${i.path}: ${i.message}`).join('; '), { issues });
  return { include: REGION_NAMES.filter((r) => requested.includes(r)), feather };
}

export async function renderRegionMask(
  services: Pick<Services, 'assets' | 'artifacts'>,
  ctx: RequestContext,
  input: RenderRegionMaskInput,
  opts: { signal?: AbortSignal } = {},
): Promise<RenderRegionMaskResult> {
  const { artifact: summaryArtifact, summary } = await loadRegionSummary(services, ctx, input.summary_id);
  const available = (summaryArtifact.meta.include_regions as string[] | undefined) ?? ['face'];
  const { include, feather } = maskParams({ ...input, available });
  const asset = await services.assets.getAsset(ctx, summaryArtifact.asset_id!);
  const geometry = frameGeometry(asset.media_info);
  if (!geometry)
    throw cutroomError('UNSUPPORTED_MEDIA', 'a mask needs a video stream or an image', {
      asset_id: asset.id,
    });
  const display = { width: summary.width, height: summary.height };
  const backendVersion = `${MASK_RENDERER_VERSION}+${summaryArtifact.backend_version}`;

  return services.artifacts.lookupOrCreateArtifact(ctx, {
    assetId: asset.id,
    kind: 'mask',
    params: { summary_id: summaryArtifact.id, include_regions: include, feather },
    backendVersion,
    produce: async ({ workDir, cacheKey }) => {
      const size = maskRasterSize(display);
      const rawPath = join(workDir, 'mask.gray');
      await writeMaskRaw({
        summary,
        include,
        feather,
        size,
        fps: geometry.fps,
        frameCount: geometry.frameCount,
        path: rawPath,
      });
      const source = await services.assets.assetPath(ctx, asset.id);
      const out = join(workDir, 'mask.mp4');
      const w = formatNumber(display.width);
      const h = formatNumber(display.height);
      // The source is decoded only as the clock: blend in normal mode at opacity 0 outputs the mask frame
      // (second input) for every source frame, with the source frame's timestamp. shortest=1: the mask has one frame
      // more than the source (so no source frame goes unmasked), which must not add a frame to the output.
      const graph = [
        `[0:v:0]scale=${w}:${h}:flags=neighbor,format=gray,setsar=1[clock]`,
        maskScaleFilter({ maskInput: '1:v', width: display.width, height: display.height, out: 'm' }),
        `[clock][m]blend=all_mode=normal:all_opacity=0:shortest=1[out]`,
      ].join(';');
      await runFfmpeg({
        args: [
          '-i',
          source,
          ...rawMaskInputArgs({ path: rawPath, ...size, fps: geometry.fps }),
          '-filter_complex',
          graph,
          '-map',
          '[out]',
          '-an',
          '-fps_mode',
          'passthrough',
          '-c:v',
          'libx264',
          '-preset',
          'ultrafast',
          '-qp',
          '0',
          '-pix_fmt',
          'gray',
          ...(geometry.still ? ['-frames:v', '1'] : []),
          '-f',
          'mp4',
        ],
        output: out,
        durationMs: asset.media_info.duration_ms,
        stage: 'encode',
        context: { engine: 'regions', artifact: 'mask', summary_id: summaryArtifact.id },
        ...(opts.signal ? { signal: opts.signal } : {}),
      });
      return {
        meta: {
          backend_version: backendVersion,
          cache_key: cacheKey,
          summary_id: summaryArtifact.id,
          summary_backend_version: summaryArtifact.backend_version,
          include_regions: include,
          feather,
          width: display.width,
          height: display.height,
          codec: 'h264 lossless (qp 0), gray',
          ...(summaryArtifact.meta.stub === true ? { stub: true } : {}),
        },
        content: { path: out },
        name: 'regions/{artifact_id}.mask.mp4',
      };
    },
  });
}
