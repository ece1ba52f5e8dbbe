/**
 * Add or remove a transition at the cut between two butt-joined clips of one track. The type is checked against
 * the catalog passed in (the `transitions` list of GET /video/presets, or TRANSITIONS from src/plan): this layer
 * does not import the planner, and a registry passed as an argument keeps the two from drifting into a cycle.
 * The duration is capped at the shorter clip (the planner applies the same cap) and at 10 s; `clamped` says so.
 * A transition already at that cut is replaced.
 */
import { cutroomError } from '../../errors.js';
import type { Timeline, Transition } from '../schema.js';
import {
  assertUnlocked,
  clipLengthMs,
  collectIds,
  freshId,
  notApplicable,
  replaceTrack,
  requireClip,
} from './doc-access.js';
import type { MediaLookup } from './types.js';

export type TransitionCatalog = ReadonlyArray<string | { id: string }>;

export interface AddTransitionArgs {
  from_clip_id: string;
  to_clip_id: string;
  type: string;
  duration_ms: number;
  params?: Transition['params'];
  id?: string;
  catalog: TransitionCatalog;
  media?: MediaLookup;
}

export interface AddTransitionResult {
  doc: Timeline;
  transition_id: string;
  duration_ms: number;
  clamped: boolean;
  replaced_id?: string;
  removed_transitions: string[];
}

export function addTransition(doc: Timeline, args: AddTransitionArgs): AddTransitionResult {
  const valid = args.catalog.map((c) => (typeof c === 'string' ? c : c.id));
  if (!valid.includes(args.type))
    throw cutroomError(
      'UNKNOWN_TRANSITION',
      `unknown transition type "${args.type}"; valid: ${valid.join(', ')}`,
      {
        valid,
      },
    );
  if (!Number.isInteger(args.duration_ms) || args.duration_ms < 1)
    throw cutroomError('VALIDATION_FAILED', 'duration_ms must be a positive integer', {
      issues: [{ path: 'duration_ms', message: 'must be a positive integer' }],
    });
  const from = requireClip(doc, args.from_clip_id);
  const to = requireClip(doc, args.to_clip_id);
  assertUnlocked(from.track);
  if (from.trackIndex !== to.trackIndex)
    notApplicable('different_tracks', `clips "${from.clip.id}" and "${to.clip.id}" are on different tracks`);
  const fromLength = clipLengthMs(from.clip, args.media);
  const toLength = clipLengthMs(to.clip, args.media);
  if (from.clip.start_ms + fromLength !== to.clip.start_ms)
    notApplicable(
      'not_butt_joined',
      `clip "${to.clip.id}" must start where "${from.clip.id}" ends (${from.clip.start_ms + fromLength} ms) for a transition; it starts at ${to.clip.start_ms} ms`,
      { cut_ms: from.clip.start_ms + fromLength, to_start_ms: to.clip.start_ms },
    );
  const duration = Math.min(args.duration_ms, fromLength, toLength, 10_000);
  const track = from.track;
  const existing = track.transitions.find(
    (tr) => tr.from_clip_id === from.clip.id || tr.to_clip_id === to.clip.id,
  );
  const taken = collectIds(doc);
  if (args.id !== undefined && taken.has(args.id) && args.id !== existing?.id)
    notApplicable('id_taken', `id "${args.id}" is already used in the timeline`, { id: args.id });
  const id = args.id ?? existing?.id ?? freshId(`tr_${from.clip.id}`, taken);
  const transition: Transition = {
    id,
    type: args.type,
    from_clip_id: from.clip.id,
    to_clip_id: to.clip.id,
    duration_ms: duration,
    params: { ...(args.params ?? {}) },
  };
  const transitions = existing
    ? track.transitions.map((tr) => (tr === existing ? transition : tr))
    : [...track.transitions, transition];
  const result: AddTransitionResult = {
    doc: replaceTrack(doc, from.trackIndex, { ...track, transitions }),
    transition_id: id,
    duration_ms: duration,
    clamped: duration !== args.duration_ms,
    removed_transitions: [],
  };
  if (existing) result.replaced_id = existing.id;
  return result;
}

export function removeTransition(doc: Timeline, args: { transition_id: string }): { doc: Timeline } {
  for (let t = 0; t < doc.tracks.length; t++) {
    const track = doc.tracks[t]!;
    if (track.kind === 'text' || track.kind === 'caption') continue;
    if (!track.transitions.some((tr) => tr.id === args.transition_id)) continue;
    assertUnlocked(track);
    return {
      doc: replaceTrack(doc, t, {
        ...track,
        transitions: track.transitions.filter((tr) => tr.id !== args.transition_id),
      }),
    };
  }
  throw cutroomError('EDIT_TARGET_NOT_FOUND', `no transition "${args.transition_id}" in the timeline`, {
    id: args.transition_id,
  });
}
