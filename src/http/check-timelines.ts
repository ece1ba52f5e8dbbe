/**
 * What the HTTP layer checks beyond the schema before a timeline is accepted: consistency (checkTimeline, pure)
 * and that every asset it references exists in the caller's tenant and env. Another tenant's asset id is
 * reported exactly like an id that never existed (ASSET_NOT_FOUND), so ids cannot be probed across tenants.
 */
import type { RequestContext } from '../context.js';
import { cutroomError, isCutroomError } from '../errors.js';
import type { AssetService } from '../media/assets.js';
import { checkTimeline, summarise, type ValidationIssue } from '../timeline/validate.js';
import type { Timeline } from '../timeline/schema.js';

export interface TimelineAt {
  timeline: Timeline;
  /** Path prefix of the timeline inside the request body, e.g. `sequences[0].` or ''. */
  prefix: string;
}

export interface CheckTimelinesInput {
  ctx: RequestContext;
  assets: Pick<AssetService, 'getAsset'>;
  timelines: TimelineAt[];
  /** Which request part the paths are in (details.issues[].part); omit when the timeline is derived (an edit). */
  part?: 'body';
}

/** Throws TIMELINE_INVALID (every consistency issue) or ASSET_NOT_FOUND (every unknown reference). */
export async function checkTimelines({ ctx, assets, timelines, part }: CheckTimelinesInput): Promise<void> {
  const issues: ValidationIssue[] = [];
  for (const { timeline, prefix } of timelines)
    for (const issue of checkTimeline(timeline))
      issues.push({ ...issue, path: prefix + issue.path, ...(part ? { part } : {}) });
  if (issues.length > 0)
    throw cutroomError('TIMELINE_INVALID', `timeline is inconsistent: ${summarise(issues)}`, { issues });

  const refs = new Map<string, string[]>();
  const add = (id: string, path: string): void => {
    const list = refs.get(id);
    if (list) list.push(path);
    else refs.set(id, [path]);
  };
  for (const { timeline, prefix } of timelines) {
    timeline.tracks.forEach((track, t) => {
      if (track.kind === 'text')
        track.items.forEach((item, i) => {
          if (item.font.asset_id !== undefined)
            add(item.font.asset_id, `${prefix}tracks[${t}].items[${i}].font.asset_id`);
        });
      else if (track.kind !== 'caption')
        track.clips.forEach((clip, c) => {
          if (clip.generator === undefined) add(clip.asset_id, `${prefix}tracks[${t}].clips[${c}].asset_id`);
          if (clip.matte?.asset_id !== undefined)
            add(clip.matte.asset_id, `${prefix}tracks[${t}].clips[${c}].matte.asset_id`);
        });
    });
  }
  const missing: ValidationIssue[] = [];
  for (const [id, paths] of refs) {
    try {
      await assets.getAsset(ctx, id);
    } catch (err) {
      if (!isCutroomError(err, 'ASSET_NOT_FOUND')) throw err;
      for (const path of paths)
        missing.push({ path, message: `no asset "${id}"`, ...(part ? { part } : {}) });
    }
  }
  if (missing.length > 0)
    throw cutroomError('ASSET_NOT_FOUND', `the timeline references unknown assets: ${summarise(missing)}`, {
      issues: missing,
    });
}
