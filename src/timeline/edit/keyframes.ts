/**
 * Set or remove one keyframe of an animatable clip property (opacity, volume, position_x/y, scale, rotation_deg,
 * or a filter param `filter:{filter_id}.{param}`). Keyframe times are relative to the clip's start. Setting a
 * keyframe at a time that has one replaces its value (and easing, when given); the list stays sorted.
 * Values of the built-in properties are checked against the same ranges as the static property; filter params
 * are range-checked by the planner, which owns the filter descriptors.
 */
import { cutroomError } from '../../errors.js';
import {
  AutomationParamSchema,
  EasingSchema,
  MediaClipSchema,
  TransformSchema,
  type Automation,
  type Easing,
  type Timeline,
} from '../schema.js';
import { clipTimelineDurationMs } from '../validate.js';
import { assertUnlocked, notApplicable, replaceClip, requireClip } from './doc-access.js';
import { parsePart } from './parse-part.js';
import type { MediaLookup } from './types.js';

export interface SetKeyframeArgs {
  clip_id: string;
  param: string;
  t_ms: number;
  value: number;
  easing?: Easing;
  media?: MediaLookup;
}

const VALUE_SCHEMAS = {
  opacity: MediaClipSchema.shape.opacity,
  volume: MediaClipSchema.shape.volume,
  position_x: TransformSchema.shape.position_x,
  position_y: TransformSchema.shape.position_y,
  scale: TransformSchema.shape.scale,
  rotation_deg: TransformSchema.shape.rotation_deg,
} as const;

export function setKeyframe(doc: Timeline, args: SetKeyframeArgs): { doc: Timeline } {
  const loc = requireClip(doc, args.clip_id);
  assertUnlocked(loc.track);
  const base = ['tracks', loc.trackIndex, 'clips', loc.clipIndex, 'automation'];
  const param = parsePart(AutomationParamSchema, args.param, [...base, 'param']);
  if (param in VALUE_SCHEMAS)
    parsePart(VALUE_SCHEMAS[param as keyof typeof VALUE_SCHEMAS], args.value, [...base, 'value']);
  else if (!Number.isFinite(args.value))
    parsePart(MediaClipSchema.shape.opacity, args.value, [...base, 'value']);
  const easing =
    args.easing === undefined ? undefined : parsePart(EasingSchema, args.easing, [...base, 'easing']);
  const length = clipTimelineDurationMs(loc.clip, args.media?.[loc.clip.asset_id]?.duration_ms);
  if (!Number.isInteger(args.t_ms) || args.t_ms < 0 || (length !== undefined && args.t_ms > length))
    notApplicable(
      'keyframe_outside',
      `keyframe time ${args.t_ms} ms is outside clip "${args.clip_id}" (0..${length ?? '?'} ms)`,
      {
        t_ms: args.t_ms,
        length_ms: length,
      },
    );
  const automation = loc.clip.automation.slice();
  const k = automation.findIndex((a) => a.param === param);
  const existing: Automation | undefined = automation[k];
  const keyframes = (existing?.keyframes ?? []).slice();
  const at = keyframes.findIndex((kf) => kf.t_ms === args.t_ms);
  if (at >= 0) keyframes[at] = { ...keyframes[at]!, value: args.value, ...(easing ? { easing } : {}) };
  else {
    keyframes.push({ t_ms: args.t_ms, value: args.value, easing: easing ?? 'linear' });
    keyframes.sort((a, b) => a.t_ms - b.t_ms);
  }
  const entry: Automation = { param, keyframes };
  if (k >= 0) automation[k] = entry;
  else automation.push(entry);
  const clip = parsePart(MediaClipSchema, { ...loc.clip, automation }, [
    'tracks',
    loc.trackIndex,
    'clips',
    loc.clipIndex,
  ]);
  return { doc: replaceClip(doc, loc, clip) };
}

export function removeKeyframe(
  doc: Timeline,
  args: { clip_id: string; param: string; t_ms: number },
): { doc: Timeline } {
  const loc = requireClip(doc, args.clip_id);
  assertUnlocked(loc.track);
  const k = loc.clip.automation.findIndex((a) => a.param === args.param);
  const a = loc.clip.automation[k];
  if (!a || !a.keyframes.some((kf) => kf.t_ms === args.t_ms))
    throw cutroomError(
      'EDIT_TARGET_NOT_FOUND',
      `no ${args.param} keyframe at ${args.t_ms} ms on clip "${args.clip_id}"`,
      {
        clip_id: args.clip_id,
        param: args.param,
        t_ms: args.t_ms,
      },
    );
  const keyframes = a.keyframes.filter((kf) => kf.t_ms !== args.t_ms);
  // An automation with no keyframes left is removed: the static property applies again.
  const automation =
    keyframes.length === 0
      ? loc.clip.automation.filter((_, i) => i !== k)
      : loc.clip.automation.map((x, i) => (i === k ? { ...x, keyframes } : x));
  return { doc: replaceClip(doc, loc, { ...loc.clip, automation }) };
}
