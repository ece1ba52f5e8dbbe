/**
 * parse → probe → plan for one render: resolve the timeline's assets and fonts through the registry (tenant
 * scoped), pick the encoder, then call the pure compile(). Used by dry runs, the CLI and render jobs alike, so
 * they can never disagree about the plan.
 */
import type { RequestContext } from '../context.js';
import { cutroomError, type Warning } from '../errors.js';
import { hasFilter } from '../ffmpeg/binaries.js';
import { detectEncoder } from '../ffmpeg/encoders.js';
import type { Services } from '../media/services.js';
import { compile } from '../plan/compile.js';
import { getProfile } from '../plan/profiles.js';
import type { EncoderChoice, PlanSource, RenderPlan } from '../plan/types.js';
import type { Timeline } from '../timeline/index.js';
import { collectAssetRefs } from './collect-asset-refs.js';
import { resolveArtifacts } from './resolve-artifacts.js';
import { resolveFonts } from './resolve-fonts.js';
import { resolveSources } from './resolve-sources.js';

export interface PrepareRenderInput {
  services: Services;
  ctx: RequestContext;
  /** A parsed, checked timeline (src/timeline parseTimeline). */
  timeline: Timeline;
  profile: string;
  /** Where plan files (text, subtitles) will be written. */
  workDir: string;
  range?: { start_ms: number; duration_ms: number };
  /**
   * Dry runs report missing assets as warnings and plan gaps in their place; real renders refuse
   * (ASSET_NOT_FOUND naming every path), since an output with silent holes is worse than no output.
   */
  allowMissingAssets?: boolean;
  /** Which streams the output carries (default both); chunked renders use `video` chunks + one `audio` pass. */
  streams?: 'both' | 'video' | 'audio';
  /** Force a closed GOP every N output frames (chunk segments must start with an IDR frame). */
  gopFrames?: number;
  /**
   * Replace the resolved source of some assets (keyed by asset id), e.g. by a proxy file for previews. The
   * override keeps the ORIGINAL asset's content_hash unless the caller sets another, so the caller decides what
   * the plan hash stands for.
   */
  sourceOverrides?: Record<string, PlanSource>;
}

export interface PreparedRender {
  plan: RenderPlan;
  warnings: Warning[];
  missing_assets: Array<{ asset_id: string; paths: string[] }>;
}

async function chooseEncoder(codec: string): Promise<EncoderChoice> {
  if (codec === 'libx264') return detectEncoder({ codec: 'h264' });
  // Codecs without a hardware path here (ProRes, …) always use the profile's CPU encoder.
  return { video_encoder: codec, kind: 'cpu', reason: `profile codec ${codec} has no hardware encoder path` };
}

export async function prepareRender(input: PrepareRenderInput): Promise<PreparedRender> {
  const { services, ctx, timeline, workDir } = input;
  const profile = getProfile(input.profile);
  const refs = collectAssetRefs(timeline);
  const resolved = await resolveSources({ services, ctx, refs });
  if (resolved.missing.length > 0 && !input.allowMissingAssets) {
    const paths = resolved.missing.flatMap((m) => m.paths);
    throw cutroomError('ASSET_NOT_FOUND', `the timeline uses assets that do not exist: ${paths.join(', ')}`, {
      missing: resolved.missing,
    });
  }
  const fonts = await resolveFonts({ services, ctx, refs });
  const encoder = await chooseEncoder(profile.video.codec);
  const artifacts = await resolveArtifacts({ services, ctx, timeline });
  const plan = compile({
    timeline,
    sources: { ...resolved.sources, ...input.sourceOverrides },
    profile: profile.id,
    encoder,
    fonts,
    artifacts,
    has_minterpolate: await hasFilter('minterpolate'),
    work_dir: workDir,
    ...(input.range ? { range: input.range } : {}),
    ...(input.streams ? { streams: input.streams } : {}),
    ...(input.gopFrames !== undefined ? { gop_frames: input.gopFrames } : {}),
  });
  return { plan, warnings: plan.warnings, missing_assets: resolved.missing };
}
