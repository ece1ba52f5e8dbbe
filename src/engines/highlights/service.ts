/**
 * POST /video/assist/highlights behind the HTTP layer: ranked highlight ranges of one asset as a `highlights`
 * artifact ({ranges:[{start_ms,end_ms,score,reasons}]}), cached on the asset, the parameters and the ids of the
 * analysis artifacts used (a new region summary gives new highlights), plus a ready-to-render timeline.
 */
import type { RequestContext } from '../../context.js';
import { cutroomError, type Warning } from '../../errors.js';
import type { Artifact } from '../../media/artifacts.js';
import type { Services } from '../../media/services.js';
import { parseTimeline, type Timeline } from '../../timeline/index.js';
import { loadCameraSignals } from '../autocut/load-camera-signals.js';
import { readArtifactJson } from '../autocut/read-artifact-json.js';
import { highlightsTimeline } from './highlights-timeline.js';
import {
  HIGHLIGHTS_SCORING_VERSION,
  planHighlights,
  type HighlightRange,
  type HighlightsPlan,
  type HighlightWeights,
} from './plan-highlights.js';

export interface HighlightsInput {
  asset_id: string;
  target_duration_ms: number;
  min_ms?: number;
  max_ms?: number;
  weights?: Partial<HighlightWeights>;
  faces?: 'latest' | 'analyze' | 'none';
}

export interface HighlightsContent {
  ranges: HighlightRange[];
  total_ms: number;
  candidate_count: number;
  candidates_from: HighlightsPlan['candidates_from'];
  weights: HighlightWeights;
  scoring_version: string;
}

export interface HighlightsResult {
  artifact: Artifact;
  cached: boolean;
  highlights: HighlightsContent;
  timeline: Timeline;
  warnings: Warning[];
}

export async function highlightsForAsset(
  services: Pick<Services, 'assets' | 'artifacts'>,
  ctx: RequestContext,
  input: HighlightsInput,
  opts: { signal?: AbortSignal } = {},
): Promise<HighlightsResult> {
  const minMs = input.min_ms ?? 2000;
  const maxMs = input.max_ms ?? 15000;
  const issues: Array<{ path: string; message: string }> = [];
  if (!Number.isInteger(input.target_duration_ms) || input.target_duration_ms < 500)
    issues.push({ path: 'target_duration_ms', message: 'must be an integer ≥ 500' });
  if (minMs < 200 || maxMs < minMs) issues.push({ path: 'max_ms', message: 'must be ≥ min_ms ≥ 200' });
  if (issues.length > 0)
    throw cutroomError(
      'INVALID_PARAM',
      `highlights: ${issues.map((i) => `${i.path} ${i.message}`).join('; ')}`,
      {
        issues,
      },
    );
  const warnings: Warning[] = [];
  const signals = await loadCameraSignals({
    services,
    ctx,
    assetId: input.asset_id,
    request: { faces: input.faces ?? 'latest' },
    path: 'asset_id',
    warnings,
    ...(opts.signal ? { signal: opts.signal } : {}),
  });
  const params = {
    target_duration_ms: input.target_duration_ms,
    min_ms: minMs,
    max_ms: maxMs,
    weights: input.weights ?? {},
    inputs_used: signals.used,
  };
  let produced: HighlightsContent | undefined;
  const { artifact, cached } = await services.artifacts.lookupOrCreateArtifact(ctx, {
    assetId: input.asset_id,
    kind: 'highlights',
    params,
    backendVersion: HIGHLIGHTS_SCORING_VERSION,
    produce: async () => {
      const plan = planHighlights({
        duration_ms: signals.duration_ms,
        ...(signals.audio ? { audio: signals.audio } : {}),
        ...(signals.faces ? { faces: signals.faces } : {}),
        ...(signals.visual ? { visual: signals.visual } : {}),
        target_ms: input.target_duration_ms,
        min_ms: minMs,
        max_ms: maxMs,
        ...(input.weights ? { weights: input.weights } : {}),
      });
      produced = {
        ranges: plan.ranges,
        total_ms: plan.total_ms,
        candidate_count: plan.candidate_count,
        candidates_from: plan.candidates_from,
        weights: plan.weights,
        scoring_version: HIGHLIGHTS_SCORING_VERSION,
      };
      return {
        meta: {
          model_used: HIGHLIGHTS_SCORING_VERSION,
          weights: plan.weights,
          inputs_used: signals.used,
          range_count: plan.ranges.length,
          total_ms: plan.total_ms,
          warnings,
        },
        content: Buffer.from(JSON.stringify(produced)),
        name: 'highlights/{artifact_id}.json',
      };
    },
  });
  const highlights =
    produced ??
    (
      await readArtifactJson<HighlightsContent>({
        artifacts: services.artifacts,
        ctx,
        artifact,
        kind: 'highlights',
        path: 'asset_id',
      })
    ).value;
  if (highlights.ranges.length === 0)
    warnings.push({
      code: 'HIGHLIGHTS_NONE',
      message: 'no candidate fits the target duration and length bounds; the timeline is empty',
    });
  const timeline = parseTimeline(highlightsTimeline({ assetId: input.asset_id, ranges: highlights.ranges }));
  return { artifact, cached, highlights, timeline, warnings };
}
