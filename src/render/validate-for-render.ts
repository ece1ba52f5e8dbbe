/**
 * Validate = render: the one check behind `POST /video/timeline/validate`, `POST /video/render/dry-run`,
 * `POST /video/render` (at submission) and `cutroom validate`. It is the render's own preparation
 * (prepareRender: assets through the tenant's registry, fonts through fontconfig, artifacts, the pure planner
 * with its catalogs and clamp/reject policy), minus running ffmpeg, so anything a render would refuse is
 * refused here with the same code and the same paths. Missing analysis artifacts stay warnings, as in the render.
 */
import type { RequestContext } from '../context.js';
import type { Warning } from '../errors.js';
import type { Services } from '../media/services.js';
import type { Timeline } from '../timeline/schema.js';
import { prepareRender, type PreparedRender } from './prepare-render.js';
import { prefixWarningPaths, withPathPrefix } from './prefix-error-paths.js';

export interface ValidateForRenderInput {
  services: Services;
  ctx: RequestContext;
  timeline: Timeline;
  /** The profile the render would use (default social_1080p_h264). */
  profile?: string;
  range?: { start_ms: number; duration_ms: number };
  /** Where the timeline sits in what the client sent: '' for a bare timeline, `timeline.` in a render request. */
  pathPrefix?: string;
  /** Request part of the paths (`body` over HTTP). */
  part?: 'body';
  /**
   * Choose the encoder by a real test encode (renders) or take the CPU encoder (validation: the encoder changes
   * the ffmpeg arguments, never whether a timeline is renderable).
   */
  detectEncoder?: boolean;
}

export interface ValidatedRender {
  prepared: PreparedRender;
  /** Planner warnings with paths under the prefix. */
  warnings: Warning[];
}

export async function validateForRender(input: ValidateForRenderInput): Promise<ValidatedRender> {
  const prefix = input.pathPrefix ?? '';
  const prepared = await withPathPrefix(prefix, input.part, () =>
    prepareRender({
      services: input.services,
      ctx: input.ctx,
      timeline: input.timeline,
      profile: input.profile ?? 'social_1080p_h264',
      workDir: input.services.config.workDir,
      detectEncoder: input.detectEncoder ?? false,
      ...(input.range ? { range: input.range } : {}),
    }),
  );
  return { prepared, warnings: prefixWarningPaths(prepared.warnings, prefix) };
}
