/**
 * POST /video/focus/automation behind the HTTP layer: reframe keyframes of one asset for a target aspect, as a
 * `focus_automation` artifact (the FocusPlan as JSON), cached on the asset, the parameters and the analysis
 * artifacts used. Without a face or subject signal the crop stays centred, with a warning.
 */
import type { RequestContext } from '../../context.js';
import { cutroomError, type Warning } from '../../errors.js';
import type { Artifact } from '../../media/artifacts.js';
import type { Services } from '../../media/services.js';
import { loadCameraSignals } from '../autocut/load-camera-signals.js';
import { readArtifactJson } from '../autocut/read-artifact-json.js';
import { FOCUS_VERSION, planFocus, type FocusPlan } from './plan-focus.js';
import { faceSubjects, visualSubjects } from './subjects.js';
import { FOCUS_ASPECTS, type FocusAspect } from './aspects.js';

export const FOCUS_CENTRE_FALLBACK = 'FOCUS_CENTRE_FALLBACK';
export { FOCUS_ASPECTS, type FocusAspect };

export interface FocusAutomationInput {
  asset_id: string;
  aspect: FocusAspect;
  /** Default 'analyze': face regions are the best subject signal, so they are made (cached) when missing. */
  faces?: 'latest' | 'analyze' | 'none';
  dead_zone?: number;
  smoothing_ms?: number;
}

export interface FocusContent extends FocusPlan {
  subject_source: 'faces' | 'visual_meta' | 'centre';
  version: string;
}

export interface FocusAutomationResult {
  artifact: Artifact;
  cached: boolean;
  focus: FocusContent;
  warnings: Warning[];
}

export function parseAspect(aspect: string): { w: number; h: number } {
  const m = /^(\d{1,3}):(\d{1,3})$/.exec(aspect);
  if (!m || !(FOCUS_ASPECTS as readonly string[]).includes(aspect))
    throw cutroomError('INVALID_PARAM', `aspect must be one of ${FOCUS_ASPECTS.join(', ')}, got ${aspect}`, {
      issues: [{ path: 'aspect', message: `must be one of ${FOCUS_ASPECTS.join(', ')}` }],
    });
  return { w: Number(m[1]), h: Number(m[2]) };
}

export async function focusAutomation(
  services: Pick<Services, 'assets' | 'artifacts'>,
  ctx: RequestContext,
  input: FocusAutomationInput,
  opts: { signal?: AbortSignal } = {},
): Promise<FocusAutomationResult> {
  const aspect = parseAspect(input.aspect);
  const deadZone = input.dead_zone ?? 0.1;
  const smoothingMs = input.smoothing_ms ?? 800;
  if (!(deadZone >= 0 && deadZone <= 0.5) || !(smoothingMs >= 0 && smoothingMs <= 10_000))
    throw cutroomError('INVALID_PARAM', 'dead_zone must be in 0..0.5 and smoothing_ms in 0..10000', {
      issues: [
        { path: 'dead_zone', message: 'must be in 0..0.5' },
        { path: 'smoothing_ms', message: 'must be in 0..10000' },
      ],
    });
  const asset = await services.assets.getAsset(ctx, input.asset_id);
  if (!asset.media_info.video)
    throw cutroomError('INVALID_PARAM', `asset ${asset.id} has no video to reframe`, {
      issues: [{ path: 'asset_id', message: 'must be a video asset' }],
    });
  const warnings: Warning[] = [];
  const signals = await loadCameraSignals({
    services,
    ctx,
    assetId: asset.id,
    request: { audio: false, faces: input.faces ?? 'analyze' },
    path: 'asset_id',
    warnings,
    ...(opts.signal ? { signal: opts.signal } : {}),
  });
  const faces = signals.faces && !signals.faces.stub ? faceSubjects(signals.faces) : [];
  const visual = signals.visual ? visualSubjects(signals.visual) : [];
  const subjectSource: FocusContent['subject_source'] =
    faces.length > 0 ? 'faces' : visual.length > 0 ? 'visual_meta' : 'centre';
  if (subjectSource === 'centre')
    warnings.push({
      code: FOCUS_CENTRE_FALLBACK,
      message: 'no faces and no visual-meta subject: the crop stays centred',
      path: 'asset_id',
    });
  const params = {
    aspect: input.aspect,
    dead_zone: deadZone,
    smoothing_ms: smoothingMs,
    subject_source: subjectSource,
    inputs_used: signals.used,
  };
  let produced: FocusContent | undefined;
  const { artifact, cached } = await services.artifacts.lookupOrCreateArtifact(ctx, {
    assetId: asset.id,
    kind: 'focus_automation',
    params,
    backendVersion: FOCUS_VERSION,
    produce: async () => {
      const plan = planFocus({
        source: { width: signals.width, height: signals.height },
        aspect,
        duration_ms: signals.duration_ms,
        ...(signals.shots
          ? { shots: signals.shots.shots.map((s) => ({ start_ms: s.start_ms, end_ms: s.end_ms })) }
          : {}),
        subjects: subjectSource === 'faces' ? faces : visual,
        dead_zone: deadZone,
        smoothing_ms: smoothingMs,
      });
      produced = { ...plan, subject_source: subjectSource, version: FOCUS_VERSION };
      return {
        meta: {
          model_used: `${FOCUS_VERSION} (${subjectSource})`,
          aspect: input.aspect,
          subject_source: subjectSource,
          inputs_used: signals.used,
          keyframe_count: plan.keyframes.length,
          strategies: plan.shots.map((s) => s.strategy),
          warnings,
        },
        content: Buffer.from(JSON.stringify(produced)),
        name: 'focus/{artifact_id}.json',
      };
    },
  });
  const focus =
    produced ??
    (
      await readArtifactJson<FocusContent>({
        artifacts: services.artifacts,
        ctx,
        artifact,
        kind: 'focus_automation',
        path: 'asset_id',
      })
    ).value;
  return { artifact, cached, focus, warnings };
}
