/**
 * One track laid out on the frame grid as consecutive pieces covering [0, frameCount): gaps, clip bodies and
 * transition windows. A transition is centred on the cut: a D-frame transition at cut C covers
 * [C - floor(D/2), C - floor(D/2) + D); the outgoing clip's body ends where the window starts and the incoming
 * clip's body starts where it ends, so the timeline length never changes.
 */
import type { Warning } from '../errors.js';
import type { MediaClip, Transition } from '../timeline/index.js';
import type { ClipRef } from './clip-ref.js';
import { getTransition, type TransitionSpec } from './transitions/catalog.js';

export type Piece =
  | { kind: 'gap'; f0: number; f1: number }
  | { kind: 'clip'; f0: number; f1: number; ref: ClipRef }
  | {
      kind: 'transition';
      f0: number;
      f1: number;
      /** The whole window; [f0, f1) may be a part of it when a range cuts it. */
      w0: number;
      w1: number;
      from: ClipRef;
      to: ClipRef;
      spec: TransitionSpec;
      transition: Transition;
      path: string;
    };

export interface LaidOutTransition {
  transition: Transition;
  spec: TransitionSpec;
  path: string;
  w0: number;
  w1: number;
}

export interface TrackLayout {
  pieces: Piece[];
  transitions: LaidOutTransition[];
}

/**
 * Lay out a track. `refs` maps clip id to its resolved clip (clips that could not be resolved are absent and
 * become gaps). Pieces are cut to [rangeF0, rangeF1) and shifted so the range starts at frame 0.
 */
export function layoutTrack(options: {
  trackPath: string;
  clips: MediaClip[];
  transitions: Transition[];
  refs: Map<string, ClipRef>;
  rangeF0: number;
  rangeF1: number;
  warnings: Warning[];
  msPerFrame: number;
  frameAtMs: (ms: number) => number;
}): TrackLayout {
  const { trackPath, refs, warnings } = options;
  const ordered = options.clips
    .map((c) => refs.get(c.id))
    .filter((r): r is ClipRef => r !== undefined)
    .sort((a, b) => a.startF - b.startF || (a.clip.id < b.clip.id ? -1 : 1));

  // Transitions sorted by the cut they sit on, then id: deterministic whatever order the document lists them.
  const indexed = options.transitions.map((tr, k) => ({ tr, path: `${trackPath}.transitions[${k}]` }));
  const cutOf = (tr: Transition): number => refs.get(tr.to_clip_id)?.startF ?? Number.MAX_SAFE_INTEGER;
  indexed.sort((a, b) => cutOf(a.tr) - cutOf(b.tr) || (a.tr.id < b.tr.id ? -1 : a.tr.id > b.tr.id ? 1 : 0));

  const incoming = new Map<string, LaidOutTransition>();
  const outgoing = new Map<string, LaidOutTransition>();
  const laid: LaidOutTransition[] = [];
  for (const { tr, path } of indexed) {
    const spec = getTransition(tr.type, `${path}.type`);
    const from = refs.get(tr.from_clip_id);
    const to = refs.get(tr.to_clip_id);
    if (!from || !to) {
      warnings.push({
        code: 'TRANSITION_SKIPPED',
        message: `transition "${tr.id}" joins a clip that is not rendered (missing asset or empty clip); it is left out`,
        path,
      });
      continue;
    }
    if (from.endF !== to.startF) {
      warnings.push({
        code: 'TRANSITION_SKIPPED',
        message: `clip "${to.clip.id}" does not start on the frame where "${from.clip.id}" ends; transition "${tr.id}" is left out`,
        path,
      });
      continue;
    }
    if (outgoing.has(from.clip.id) || incoming.has(to.clip.id)) {
      warnings.push({
        code: 'TRANSITION_SKIPPED',
        message: `another transition already sits on this cut; "${tr.id}" is left out`,
        path,
      });
      continue;
    }
    let d = Math.max(1, options.frameAtMs(tr.duration_ms));
    const maxD = Math.min(from.endF - from.startF, to.endF - to.startF);
    if (d > maxD) {
      warnings.push({
        code: 'TRANSITION_CLAMPED',
        message: `transition "${tr.id}" (${tr.duration_ms} ms) is longer than the shorter neighbour; clamped to ${Math.round(maxD * options.msPerFrame)} ms`,
        path: `${path}.duration_ms`,
      });
      d = maxD;
    }
    if (Object.keys(tr.params).length > 0) {
      warnings.push({
        code: 'TRANSITION_PARAMS_IGNORED',
        message: `transition "${tr.type}" takes no params; ${Object.keys(tr.params).sort().join(', ')} ignored`,
        path: `${path}.params`,
      });
    }
    const cut = to.startF;
    const w0 = cut - Math.floor(d / 2);
    const item: LaidOutTransition = { transition: tr, spec, path, w0, w1: w0 + d };
    outgoing.set(from.clip.id, item);
    incoming.set(to.clip.id, item);
    laid.push(item);
  }

  const raw: Piece[] = [];
  for (const ref of ordered) {
    const inT = incoming.get(ref.clip.id);
    const outT = outgoing.get(ref.clip.id);
    const bodyStart = inT ? inT.w1 : ref.startF;
    const bodyEnd = outT ? outT.w0 : ref.endF;
    if (inT) {
      const from = refs.get(inT.transition.from_clip_id)!;
      raw.push({
        kind: 'transition',
        f0: inT.w0,
        f1: inT.w1,
        w0: inT.w0,
        w1: inT.w1,
        from,
        to: ref,
        spec: inT.spec,
        transition: inT.transition,
        path: inT.path,
      });
    }
    if (bodyEnd > bodyStart) raw.push({ kind: 'clip', f0: bodyStart, f1: bodyEnd, ref });
  }
  raw.sort((a, b) => a.f0 - b.f0);

  // Cut to the range, shift to 0, fill gaps.
  const { rangeF0, rangeF1 } = options;
  const pieces: Piece[] = [];
  let cursor = 0;
  const total = rangeF1 - rangeF0;
  for (const p of raw) {
    const f0 = Math.max(p.f0, rangeF0) - rangeF0;
    const f1 = Math.min(p.f1, rangeF1) - rangeF0;
    if (f1 <= f0) continue;
    if (f0 < cursor) {
      // Overlapping clips on one track (the timeline check rejects these when lengths are known up front).
      warnings.push({
        code: 'CLIP_OVERLAP_TRIMMED',
        message: 'this clip overlaps the previous one on its track; the overlapping frames are left out',
        path: p.kind === 'clip' ? p.ref.path : p.kind === 'transition' ? p.path : '',
      });
      if (f1 <= cursor) continue;
    }
    const start = Math.max(f0, cursor);
    if (start > cursor) pieces.push({ kind: 'gap', f0: cursor, f1: start });
    if (p.kind === 'transition') {
      pieces.push({ ...p, f0: start, f1, w0: p.w0 - rangeF0, w1: p.w1 - rangeF0 });
    } else {
      pieces.push({ ...p, f0: start, f1 });
    }
    cursor = f1;
  }
  if (cursor < total) pieces.push({ kind: 'gap', f0: cursor, f1: total });
  return { pieces, transitions: laid };
}
