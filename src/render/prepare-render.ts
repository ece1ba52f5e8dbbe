/**
 * parse → probe → plan for one render: resolve the timeline's assets and fonts through the registry (tenant
 * scoped), pick the encoder, then call the pure compile(). Used by dry runs, the CLI and render jobs alike, so
 * they can never disagree about the plan.
 */
import { join } from 'node:path';
import type { RequestContext } from '../context.js';
import { cutroomError, type Warning } from '../errors.js';
import { hasFilter } from '../ffmpeg/binaries.js';
import { detectEncoder } from '../ffmpeg/encoders.js';
import type { Services } from '../media/services.js';
import { compile } from '../plan/compile.js';
import { getProfile } from '../plan/profiles.js';
import type { OutputOptions } from '../plan/output/output-options.js';
import { resolveOutput } from '../plan/output/resolve-output.js';
import type { CompileInput, EncoderChoice, PlanSource, RenderPlan } from '../plan/types.js';
import type { Timeline } from '../timeline/index.js';
import { checkTimeline, summarise } from '../timeline/validate.js';
import { collectAssetRefs } from './collect-asset-refs.js';
import { measureLoudness, type LoudnessMeasurement } from './measure-loudness.js';
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
  /**
   * For profiles with a loudness target and output with sound: run the audio-only measurement pass first
   * (measureLoudness, over the whole timeline) and compile with its result, i.e. one exact gain + a limiter
   * instead of single-pass loudnorm, whose 3 s look-ahead holds ~3 s of finished video frames in memory.
   * Renders set it; dry runs leave it off (no ffmpeg run) and show the single-pass plan.
   */
  measureLoudness?: boolean;
  /** Cancels the measurement pass. */
  signal?: AbortSignal;
  /** Output format and overrides on top of the profile (src/plan/output). */
  output?: OutputOptions;
  /** The output file's extension; its format must match `output.format` (OUTPUT_FORMAT_MISMATCH). */
  outputExtension?: string;
  /** false: take the profile's CPU encoder without a test encode (validation only; default true). */
  detectEncoder?: boolean;
}

export interface PreparedRender {
  plan: RenderPlan;
  warnings: Warning[];
  missing_assets: Array<{ asset_id: string; paths: string[] }>;
  /** The measurement pass, when one ran (plan.meta.loudness_mode is then `measured`, or `none` if silent). */
  loudness?: LoudnessMeasurement;
}

async function chooseEncoder(codec: string): Promise<EncoderChoice> {
  if (codec === 'libx264') return detectEncoder({ codec: 'h264' });
  // Codecs without a hardware path here (ProRes, …) always use the profile's CPU encoder.
  return { video_encoder: codec, kind: 'cpu', reason: `profile codec ${codec} has no hardware encoder path` };
}

/**
 * The first half of prepareRender: check the timeline, resolve sources, fonts, encoder and artifacts into the pure
 * planner's input (no loudness measurement, no compile). The smart render compiles several plans from it.
 */
export async function prepareCompileInput(
  input: PrepareRenderInput,
): Promise<{ compileInput: CompileInput; missing_assets: PreparedRender['missing_assets'] }> {
  const { services, ctx, timeline, workDir } = input;
  const profile = getProfile(input.profile);
  // Consistency first, here, so no caller (job submission, CLI, preview) can plan an inconsistent timeline.
  const issues = checkTimeline(timeline);
  if (issues.length > 0)
    throw cutroomError('TIMELINE_INVALID', `timeline is inconsistent: ${summarise(issues)}`, { issues });
  const refs = collectAssetRefs(timeline);
  const resolved = await resolveSources({ services, ctx, refs });
  if (resolved.missing.length > 0 && !input.allowMissingAssets) {
    const paths = resolved.missing.flatMap((m) => m.paths);
    throw cutroomError('ASSET_NOT_FOUND', `the timeline uses assets that do not exist: ${paths.join(', ')}`, {
      missing: resolved.missing,
      issues: resolved.missing.flatMap((m) =>
        m.paths.map((path) => ({ path, message: `no asset "${m.asset_id}"` })),
      ),
    });
  }
  const fonts = await resolveFonts({ services, ctx, refs });
  const encoder =
    input.detectEncoder === false
      ? {
          video_encoder: profile.video.codec,
          kind: 'cpu' as const,
          reason: 'validation only: no test encode',
        }
      : await chooseEncoder(profile.video.codec);
  const artifacts = await resolveArtifacts({ services, ctx, timeline });
  const compileInput: CompileInput = {
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
    ...(input.output ? { output: input.output } : {}),
    ...(input.outputExtension !== undefined ? { output_extension: input.outputExtension } : {}),
  };
  return { compileInput, missing_assets: resolved.missing };
}

export async function prepareRender(input: PrepareRenderInput): Promise<PreparedRender> {
  const profile = getProfile(input.profile);
  const { compileInput, missing_assets } = await prepareCompileInput(input);
  const workDir = input.workDir;
  // Resolved here too (pure, cheap) so a bad extension fails before the measurement pass runs.
  const kind = resolveOutput({
    profile,
    ...(input.output ? { options: input.output } : {}),
    ...(input.outputExtension !== undefined ? { extension: input.outputExtension } : {}),
  }).kind;
  let loudness: LoudnessMeasurement | undefined;
  if (
    input.measureLoudness &&
    profile.loudness_lufs !== undefined &&
    input.streams !== 'video' &&
    (kind === 'video' || kind === 'audio')
  ) {
    loudness = await measureLoudness({
      compileInput,
      workDir: join(workDir, 'loudness-pass'),
      ...(input.signal ? { signal: input.signal } : {}),
    });
    compileInput.loudness_measurement = { integrated_lufs: loudness.integrated_lufs };
  }
  const plan = compile(compileInput);
  return {
    plan,
    warnings: plan.warnings,
    missing_assets,
    ...(loudness ? { loudness } : {}),
  };
}
