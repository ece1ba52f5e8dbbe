/**
 * The artifacts a timeline's plan uses, looked up through the registry (tenant-scoped) and handed to the pure
 * planner: caption transcripts (parsed), region masks for mask-aware filters, vid.stab transforms for stabilised
 * clips, and LUT files referenced as `artifact:{id}`.
 *
 * Policy when something is missing (the planner then warns at the path and renders without it — never silently):
 * - a mask: made on demand from the asset's latest face region summary when one exists (cheap, cached); face
 *   detection itself is not started implicitly by a render — analyse with POST /video/regions first;
 * - stabilise transforms: the clip renders unstabilised with `stabilise_warnings` in the plan meta; analyse with
 *   POST /video/stabilise/analyze first.
 */
import { text } from 'node:stream/consumers';
import type { RequestContext } from '../context.js';
import { isCutroomError } from '../errors.js';
import { renderRegionMask } from '../engines/regions/render-mask.js';
import type { Artifact } from '../media/artifacts.js';
import type { Services } from '../media/services.js';
import { isRegionFilter } from '../plan/filters/catalog.js';
import { regionOfFilter, type MaskRegion } from '../plan/region-filters.js';
import type { PlanArtifact } from '../plan/types.js';
import type { Timeline } from '../timeline/index.js';

async function toPlanArtifact({
  services,
  ctx,
  artifact,
  withData = false,
}: {
  services: Services;
  ctx: RequestContext;
  artifact: Artifact;
  withData?: boolean;
}): Promise<PlanArtifact> {
  const out: PlanArtifact = {
    id: artifact.id,
    kind: artifact.kind,
    asset_id: artifact.asset_id,
    backend_version: artifact.backend_version,
    cache_key: artifact.cache_key,
    meta: artifact.meta,
  };
  if (artifact.storage_key !== null) {
    if (withData) {
      const { stream } = await services.artifacts.artifactContent(ctx, artifact.id);
      out.data = JSON.parse(await text(stream));
    } else {
      out.path = await services.artifacts.artifactPath(ctx, artifact.id);
    }
  }
  return out;
}

/** An artifact by id, or undefined when it does not exist for this tenant/env (the planner warns). */
async function findById(services: Services, ctx: RequestContext, id: string): Promise<Artifact | undefined> {
  try {
    return await services.artifacts.getArtifact(ctx, id);
  } catch (err) {
    if (isCutroomError(err, 'ARTIFACT_NOT_FOUND')) return undefined;
    throw err;
  }
}

export async function resolveArtifacts({
  services,
  ctx,
  timeline,
}: {
  services: Services;
  ctx: RequestContext;
  timeline: Timeline;
}): Promise<Record<string, PlanArtifact>> {
  const artifacts: Record<string, PlanArtifact> = {};
  const add = (a: PlanArtifact): void => {
    artifacts[a.id] = a;
  };
  const regionsWanted = new Map<string, Set<MaskRegion>>();
  const stabilised = new Set<string>();
  const lutIds = new Set<string>();

  for (const track of timeline.tracks) {
    if (track.kind === 'caption') {
      for (const item of track.items) {
        const artifact = await findById(services, ctx, item.transcript_artifact_id);
        if (artifact?.kind === 'asr_transcript')
          add(await toPlanArtifact({ services, ctx, artifact, withData: true }));
      }
      continue;
    }
    if (track.kind === 'text') continue;
    for (const clip of track.clips) {
      if (clip.stabilise) stabilised.add(clip.asset_id);
      for (const f of clip.filters) {
        if (isRegionFilter(f)) {
          const set = regionsWanted.get(clip.asset_id) ?? new Set<MaskRegion>();
          set.add(regionOfFilter(f.type));
          regionsWanted.set(clip.asset_id, set);
        }
        for (const value of Object.values(f.params)) {
          if (typeof value === 'string' && value.startsWith('artifact:'))
            lutIds.add(value.slice('artifact:'.length));
        }
      }
    }
  }

  // duck_under: the speech windows of every asset on the tracks that may duck another (the latest analysis).
  if (timeline.tracks.some((t) => t.kind === 'audio' && t.duck_under !== undefined)) {
    const speakers = new Set<string>();
    for (const track of timeline.tracks)
      if ((track.kind === 'video' || track.kind === 'overlay' || track.kind === 'audio') && !track.muted)
        for (const clip of track.clips) speakers.add(clip.asset_id);
    for (const assetId of [...speakers].sort()) {
      const artifact = await services.artifacts.latestArtifact(ctx, { assetId, kind: 'audio_semantic_timeline' });
      if (artifact) add(await toPlanArtifact({ services, ctx, artifact, withData: true }));
    }
  }

  for (const assetId of [...stabilised].sort()) {
    for (const artifact of await services.artifacts.listArtifacts(ctx, {
      assetId,
      kind: 'stabilise_transforms',
    })) {
      add(await toPlanArtifact({ services, ctx, artifact }));
    }
  }

  for (const [assetId, regions] of [...regionsWanted].sort(([a], [b]) => a.localeCompare(b))) {
    const masks = await services.artifacts.listArtifacts(ctx, { assetId, kind: 'mask' });
    const latest = await services.artifacts.latestArtifact(ctx, { assetId, kind: 'video_region_summary' });
    // A stub summary's faces are placeholders: masking with them would blur the wrong place.
    const summary = latest && latest.meta.stub !== true ? latest : null;
    for (const region of [...regions].sort()) {
      const has = masks.some((m) => {
        const inc = Array.isArray(m.meta.include_regions) ? (m.meta.include_regions as string[]) : ['face'];
        return inc.length === 1 && inc[0] === region;
      });
      if (!has && summary) {
        const { artifact } = await renderRegionMask(services, ctx, {
          summary_id: summary.id,
          include_regions: [region],
        });
        masks.push(artifact);
      }
    }
    for (const artifact of masks) add(await toPlanArtifact({ services, ctx, artifact }));
  }

  for (const id of [...lutIds].sort()) {
    const artifact = await findById(services, ctx, id);
    if (artifact) add(await toPlanArtifact({ services, ctx, artifact }));
  }
  return artifacts;
}
