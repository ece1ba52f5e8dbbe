/**
 * POST /video/multicam/auto-cut behind the HTTP layer: aligned cameras + their analysis → a new timeline.
 *
 * Storage choice: there is no artifact kind for a timeline, and a timeline is an editable document, so the
 * result is saved as a new PROJECT (services.projects) holding the one auto-cut sequence, and returned inline
 * too. Its `multicam.scoring` records the scoring version, weights, pacing and the artifact ids used, so the
 * same inputs give the same timeline byte for byte (project ids differ; the sequence does not).
 */
import type { RequestContext } from '../../context.js';
import { cutroomError, type Warning } from '../../errors.js';
import type { Services } from '../../media/services.js';
import { parseTimeline, type Timeline } from '../../timeline/index.js';
import { MOUTH_ACTIVITY_VERSION } from '../regions/index.js';
import { alignMulticam, type MulticamAlignment } from '../multicam/index.js';
import { autoCutTimeline } from './auto-cut-timeline.js';
import { loadCameraSignals, type CameraSignals } from './load-camera-signals.js';
import { PACING_PRESETS, type Pacing } from './pacing.js';
import {
  AUTOCUT_SCORING_VERSION,
  planAutoCut,
  type AutoCutPlan,
  type AutoCutWeights,
} from './plan-auto-cut.js';
import { readArtifactJson } from './read-artifact-json.js';

export const AUTOCUT_SYNC_UNRELIABLE = 'AUTOCUT_SYNC_UNRELIABLE';

export interface AutoCutInput {
  /** 2–4 camera assets. */
  asset_ids: string[];
  /** A multicam_alignment artifact of these cameras; without it and without offsets_ms, one is made (cached). */
  alignment_artifact_id?: string;
  /** asset_id → offset (add to the camera's time to reach the common clock); overrides any alignment. */
  offsets_ms?: Record<string, number>;
  pacing?: Pacing;
  wide_asset_id?: string;
  /** Whose sound the programme uses; default the alignment's reference (else the first camera). */
  audio_asset_id?: string;
  weights?: Partial<AutoCutWeights>;
  /** 'latest' (default): an existing region summary per camera if any; 'analyze': run face regions (cached). */
  faces?: 'latest' | 'analyze' | 'none';
  /**
   * Active speaker by sight (default true): measure the mouth movement of each camera's tracked faces and let
   * it outvote a louder microphone. Needs real face detections (faces 'latest' or 'analyze').
   */
  visual_speech?: boolean;
  /** Default true: save the timeline as a new project. */
  save_project?: boolean;
  project_name?: string;
}

export interface AutoCutResult {
  timeline: Timeline;
  project: { id: string; version: number } | null;
  plan: AutoCutPlan;
  inputs_used: Record<string, Record<string, string>>;
  warnings: Warning[];
}

function badParam(path: string, message: string): never {
  throw cutroomError('INVALID_PARAM', `${path} ${message}`, { issues: [{ path, message }] });
}

export async function autoCut(
  services: Pick<Services, 'assets' | 'artifacts' | 'projects'>,
  ctx: RequestContext,
  input: AutoCutInput,
  opts: { signal?: AbortSignal } = {},
): Promise<AutoCutResult> {
  const ids = input.asset_ids;
  if (ids.length < 2 || ids.length > 4) badParam('asset_ids', 'must name 2–4 cameras');
  if (new Set(ids).size !== ids.length) badParam('asset_ids', 'must not repeat an asset');
  for (const [key, id] of [
    ['wide_asset_id', input.wide_asset_id],
    ['audio_asset_id', input.audio_asset_id],
  ] as const)
    if (id !== undefined && !ids.includes(id)) badParam(key, 'must be one of asset_ids');
  for (const id of ids) await services.assets.getAsset(ctx, id);
  const warnings: Warning[] = [];

  // Offsets: explicit, else the named alignment, else a (cached) alignment made now.
  let offsets: Record<string, number>;
  let alignmentId: string | undefined;
  let reference = ids[0]!;
  if (input.offsets_ms) {
    offsets = {};
    for (const id of ids) {
      const o = input.offsets_ms[id];
      if (o === undefined || !Number.isInteger(o))
        badParam(`offsets_ms.${id}`, 'must be an integer ms offset');
      offsets[id] = o;
    }
  } else {
    let alignment: MulticamAlignment;
    if (input.alignment_artifact_id) {
      const r = await readArtifactJson<MulticamAlignment>({
        artifacts: services.artifacts,
        ctx,
        artifact: input.alignment_artifact_id,
        kind: 'multicam_alignment',
        path: 'alignment_artifact_id',
      });
      alignment = r.value;
      alignmentId = r.artifact.id;
    } else {
      const r = await alignMulticam(services, ctx, { asset_ids: ids }, opts);
      alignment = r.alignment;
      alignmentId = r.artifact.id;
      warnings.push(...r.warnings);
    }
    reference = alignment.reference_asset_id;
    offsets = {};
    for (const id of ids) {
      const pair = alignment.pairs.find((p) => p.asset_id === id);
      if (id === alignment.reference_asset_id && !pair) offsets[id] = 0;
      else if (!pair) badParam('alignment_artifact_id', `does not align camera ${id}`);
      else {
        offsets[id] = pair.offset_ms;
        if (pair.status !== 'ok')
          warnings.push({
            code: AUTOCUT_SYNC_UNRELIABLE,
            message: `camera ${id} is not reliably aligned (${pair.reason ?? pair.status}); its cuts may be out of sync`,
            path: `asset_ids[${ids.indexOf(id)}]`,
          });
      }
    }
  }

  const cameras: CameraSignals[] = [];
  for (const [i, id] of ids.entries())
    cameras.push(
      await loadCameraSignals({
        services,
        ctx,
        assetId: id,
        request: { faces: input.faces ?? 'latest', mouth: input.visual_speech !== false },
        path: `asset_ids[${i}]`,
        warnings,
        ...(opts.signal ? { signal: opts.signal } : {}),
      }),
    );
  if (cameras.every((c) => !c.audio))
    warnings.push({
      code: 'AUTOCUT_NO_SPEAKER_SIGNAL',
      message: 'no camera has an audio semantic timeline: cuts follow faces/motion and pacing only',
    });

  const pacing = input.pacing ?? 'medium';
  const plan = planAutoCut({
    cameras: cameras.map((c) => ({
      asset_id: c.asset_id,
      offset_ms: offsets[c.asset_id]!,
      duration_ms: c.duration_ms,
      ...(c.audio ? { audio: c.audio } : {}),
      ...(c.faces ? { faces: c.faces } : {}),
      ...(c.mouth ? { mouth: c.mouth } : {}),
      ...(c.visual ? { visual: c.visual } : {}),
    })),
    pacing: PACING_PRESETS[pacing],
    ...(input.weights ? { weights: input.weights } : {}),
    ...(input.wide_asset_id ? { wide_asset_id: input.wide_asset_id } : {}),
  });
  if (plan.duration_ms === 0)
    throw cutroomError('INVALID_PARAM', 'the cameras do not overlap in time after alignment', {
      issues: [{ path: 'asset_ids', message: 'no common time span after applying the offsets' }],
      offsets_ms: offsets,
    });

  const audioId = input.audio_asset_id ?? reference;
  const inputsUsed = Object.fromEntries(cameras.map((c) => [c.asset_id, c.used]));
  const doc = autoCutTimeline({
    plan,
    audio: { asset_id: audioId, offset_ms: offsets[audioId]! },
    offsets_ms: offsets,
    ...(alignmentId ? { alignment_artifact_id: alignmentId } : {}),
    scoring: {
      scoring_version: AUTOCUT_SCORING_VERSION,
      pacing,
      pacing_ms: PACING_PRESETS[pacing],
      weights: plan.weights,
      wide_asset_id: plan.wide_asset_id,
      step_ms: plan.step_ms,
      inputs_used: inputsUsed,
      visual_speech: cameras.filter((c) => c.mouth).map((c) => c.asset_id),
      ...(cameras.some((c) => c.mouth) ? { mouth_activity_version: MOUTH_ACTIVITY_VERSION } : {}),
    },
    name: input.project_name ?? 'auto-cut',
  });
  const timeline = parseTimeline(doc);
  let project: AutoCutResult['project'] = null;
  if (input.save_project !== false) {
    const record = await services.projects.createProject(ctx, {
      document: { name: input.project_name ?? 'auto-cut', sequences: [timeline] },
    });
    project = { id: record.id, version: record.version };
  }
  return { timeline, project, plan, inputs_used: inputsUsed, warnings };
}
