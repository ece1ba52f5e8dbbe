/**
 * Parse (schema) and check (consistency) a timeline, collecting every problem with its full path, e.g.
 * `tracks[1].clips[3].start_ms: must be ≥ 0`. Pure: anything that needs media (asset existence, durations)
 * is checked by the planner against probes.
 */
import type { z } from 'zod';
import { cutroomError, type Warning } from '../errors.js';
import { TimelineSchema, type MediaClip, type Timeline } from './schema.js';
import { checkStrictKeys } from './strict-keys.js';

export interface ValidationIssue {
  /** Dotted/bracketed path inside the document, e.g. `tracks[0].clips[2].speed`. */
  path: string;
  message: string;
  /** Which part of a request failed (body, params, querystring, headers); set by the HTTP layer. */
  part?: string;
}

export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += out === '' ? String(segment) : `.${String(segment)}`;
  }
  return out;
}

export function zodIssues(error: z.ZodError, prefix: ReadonlyArray<PropertyKey> = []): ValidationIssue[] {
  return error.issues.map((issue) => ({
    path: formatPath([...prefix, ...issue.path]),
    message: issue.message,
  }));
}

export type StrictParseResult<T> =
  | { success: true; data: T; warnings: Warning[] }
  | { success: false; issues: ValidationIssue[]; warnings: Warning[] };

/**
 * safeParse that also refuses unknown keys (with "did you mean …") and accepts renamed ones with a
 * DEPRECATED_FIELD warning; see strict-keys.ts. Every external input goes through this (parseWith, HTTP
 * requests, edited sequences), so strictness is one rule, not a `.strict()` on each object literal.
 */
export function safeParseStrict<S extends z.ZodType>(
  schema: S,
  input: unknown,
  prefix: ReadonlyArray<PropertyKey> = [],
): StrictParseResult<z.output<S>> {
  const strict = checkStrictKeys(schema, input);
  const warnings: Warning[] = strict.warnings.map(({ pathSegments, ...w }) => ({
    ...w,
    path: formatPath([...prefix, ...pathSegments]),
  }));
  const result = schema.safeParse(strict.value);
  const issues: ValidationIssue[] = strict.issues.map((i) => ({
    path: formatPath([...prefix, ...i.path]),
    message: i.message,
  }));
  if (!result.success)
    // zod's own unknown-key issues (from a schema that is .strict() already) are covered above, with a suggestion.
    issues.push(
      ...zodIssues(
        { issues: result.error.issues.filter((i) => i.code !== 'unrecognized_keys') } as z.ZodError,
        prefix,
      ),
    );
  if (issues.length > 0) return { success: false, issues, warnings };
  return { success: true, data: result.data as z.output<S>, warnings };
}

/** Parse with a schema or throw VALIDATION_FAILED listing every issue (unknown keys included). */
export function parseWith<S extends z.ZodType>(schema: S, input: unknown, what: string): z.output<S> {
  return parseWithWarnings(schema, input, what).data;
}

/** parseWith that also returns the DEPRECATED_FIELD warnings of renamed keys it accepted. */
export function parseWithWarnings<S extends z.ZodType>(
  schema: S,
  input: unknown,
  what: string,
): { data: z.output<S>; warnings: Warning[] } {
  const result = safeParseStrict(schema, input);
  if (!result.success) {
    const { issues } = result;
    throw cutroomError('VALIDATION_FAILED', `${what} is invalid: ${summarise(issues)}`, { issues });
  }
  return { data: result.data, warnings: result.warnings };
}

export function summarise(issues: ValidationIssue[]): string {
  const shown = issues.slice(0, 3).map((i) => (i.path ? `${i.path}: ${i.message}` : i.message));
  const more = issues.length > 3 ? ` (and ${issues.length - 3} more)` : '';
  return shown.join('; ') + more;
}

/**
 * Length of a clip on the timeline when it can be known without probing: from out_ms, or duration_ms.
 * `sourceDurationMs` (from a probe) fills in a missing out_ms.
 */
export function clipTimelineDurationMs(clip: MediaClip, sourceDurationMs?: number): number | undefined {
  if (clip.duration_ms !== undefined) return clip.duration_ms;
  if (clip.freeze_at_ms !== undefined) return undefined;
  const out = clip.out_ms ?? sourceDurationMs;
  if (out === undefined) return undefined;
  return Math.max(0, Math.round((out - clip.in_ms) / clip.speed));
}

/** Consistency checks that need no media. Returns every issue found; empty means consistent. */
export function checkTimeline(timeline: Timeline): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const trackIds = new Set<string>();
  const clipIds = new Map<string, string>();

  timeline.tracks.forEach((track, t) => {
    const base = `tracks[${t}]`;
    if (trackIds.has(track.id))
      issues.push({ path: `${base}.id`, message: `duplicate track id "${track.id}"` });
    trackIds.add(track.id);
    if (track.kind === 'text' || track.kind === 'caption') {
      const seen = new Set<string>();
      track.items.forEach((item, i) => {
        if (seen.has(item.id))
          issues.push({ path: `${base}.items[${i}].id`, message: `duplicate id "${item.id}"` });
        seen.add(item.id);
      });
      return;
    }

    // By index, not id: duplicate ids are reported above and must not create phantom overlaps.
    const ends: Array<number | undefined> = [];
    track.clips.forEach((clip, c) => {
      const path = `${base}.clips[${c}]`;
      if (clipIds.has(clip.id))
        issues.push({
          path: `${path}.id`,
          message: `duplicate clip id "${clip.id}" (also at ${clipIds.get(clip.id)})`,
        });
      clipIds.set(clip.id, path);
      if (clip.out_ms !== undefined && clip.out_ms <= clip.in_ms) {
        issues.push({ path: `${path}.out_ms`, message: `must be greater than in_ms (${clip.in_ms})` });
      }
      if (clip.freeze_at_ms !== undefined && clip.duration_ms === undefined) {
        issues.push({ path: `${path}.duration_ms`, message: 'is required for a freeze frame' });
      }
      if (clip.audio_fade_in_ms + clip.audio_fade_out_ms > (clipTimelineDurationMs(clip) ?? Infinity)) {
        issues.push({ path: `${path}.audio_fade_in_ms`, message: 'audio fades are longer than the clip' });
      }
      const filterIds = new Set<string>();
      clip.filters.forEach((f, k) => {
        if (f.id === undefined) return;
        if (filterIds.has(f.id))
          issues.push({ path: `${path}.filters[${k}].id`, message: `duplicate filter id "${f.id}"` });
        filterIds.add(f.id);
      });
      clip.automation.forEach((a, k) => {
        const m = /^filter:(.+)\.[a-z0-9_]+$/.exec(a.param);
        if (m && !filterIds.has(m[1]!)) {
          issues.push({
            path: `${path}.automation[${k}].param`,
            message: `no filter with id "${m[1]}" on this clip`,
          });
        }
        for (let i = 1; i < a.keyframes.length; i++) {
          if (a.keyframes[i]!.t_ms <= a.keyframes[i - 1]!.t_ms) {
            issues.push({
              path: `${path}.automation[${k}].keyframes[${i}].t_ms`,
              message: 'keyframe times must increase',
            });
          }
        }
      });
      const duration = clipTimelineDurationMs(clip);
      ends[c] = duration === undefined ? undefined : clip.start_ms + duration;
    });

    // Overlaps between clips of one track, where lengths are known without probing.
    const ordered = track.clips
      .map((clip, index) => ({ clip, index }))
      .sort((a, b) => a.clip.start_ms - b.clip.start_ms || a.index - b.index);
    for (let i = 1; i < ordered.length; i++) {
      const prev = ordered[i - 1]!;
      const cur = ordered[i]!;
      const prevEnd = ends[prev.index];
      if (prevEnd !== undefined && cur.clip.start_ms < prevEnd) {
        issues.push({
          path: `${base}.clips[${cur.index}].start_ms`,
          message: `overlaps clip "${prev.clip.id}" which ends at ${prevEnd} ms; clips of one track must not overlap (put it on another track)`,
        });
      }
    }

    const transitionIds = new Set<string>();
    track.transitions.forEach((tr, k) => {
      const path = `${base}.transitions[${k}]`;
      if (transitionIds.has(tr.id))
        issues.push({ path: `${path}.id`, message: `duplicate transition id "${tr.id}"` });
      transitionIds.add(tr.id);
      const fromIndex = track.clips.findIndex((c) => c.id === tr.from_clip_id);
      const from = track.clips[fromIndex];
      const to = track.clips.find((c) => c.id === tr.to_clip_id);
      if (!from)
        issues.push({ path: `${path}.from_clip_id`, message: `no clip "${tr.from_clip_id}" on this track` });
      if (!to)
        issues.push({ path: `${path}.to_clip_id`, message: `no clip "${tr.to_clip_id}" on this track` });
      if (from && to) {
        const fromEnd = ends[fromIndex];
        if (fromEnd !== undefined && fromEnd !== to.start_ms) {
          issues.push({
            path: `${path}.to_clip_id`,
            message: `clip "${to.id}" must start where "${from.id}" ends (${fromEnd} ms) for a transition; it starts at ${to.start_ms} ms`,
          });
        }
      }
    });
  });
  const markerIds = new Set<string>();
  (timeline.markers ?? []).forEach((m, i) => {
    if (markerIds.has(m.id))
      issues.push({ path: `markers[${i}].id`, message: `duplicate marker id "${m.id}"` });
    markerIds.add(m.id);
  });
  return issues;
}

/** Parse and check a timeline document; throws VALIDATION_FAILED or TIMELINE_INVALID with every issue. */
export function parseTimeline(input: unknown): Timeline {
  const timeline = parseWith(TimelineSchema, input, 'timeline');
  const issues = checkTimeline(timeline);
  if (issues.length > 0) {
    throw cutroomError('TIMELINE_INVALID', `timeline is inconsistent: ${summarise(issues)}`, { issues });
  }
  return timeline;
}
