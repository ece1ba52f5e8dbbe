// Labelled gradual-transition sets, rendered by cutroom's own planner: every catalog transition once per set,
// between shots of real footage from Debian packages (opencv-doc, pd-extendedview, python3-imageio), with hard
// cuts between different shots and jump cuts (a time jump inside one static shot) in between.
//
// Ground truth comes from how compile() lays a transition out: a window [w0, w1) of D frames where xfade runs
// with offset 0 — frame w0 is still all outgoing picture, frames w0+1 … w1-1 are partial, w1 is the incoming
// clip. A label runs from the first partial frame to the first frame of the new shot (w1), like the detector's. meta.transitions gives w0 (start_ms) and D (duration_ms) on the profile's 30 fps grid.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import { probeMedia } from '../src/ffmpeg/probe.js';
import { runFfmpeg } from '../src/ffmpeg/run.js';
import { compile } from '../src/plan/compile.js';
import { listTransitions } from '../src/plan/transitions/catalog.js';
import type { PlanSource } from '../src/plan/types.js';
import { parseTimeline } from '../src/timeline/index.js';

const CACHE = resolve('.cache/bench');
const FPS = 30;

/** Cut-free ranges (ms) of real footage, from the frame-labelled shots in test/engines/visual-meta/labels.json. */
export const FOOTAGE: Array<{ id: string; path: string; shots: Array<[number, number]>; static?: boolean }> =
  [
    {
      id: 'diver',
      path: '/usr/share/doc/pd-extendedview/media/diver.mov',
      shots: [
        [0, 10640],
        [10680, 13520],
      ],
    },
    {
      id: 'megamind',
      path: '/usr/share/doc/opencv-doc/examples/data/Megamind.avi',
      shots: [
        [42, 4046],
        [4088, 6382],
        [6423, 8300],
        [8342, 11220],
      ],
    },
    // A fixed surveillance camera: the source of jump cuts.
    {
      id: 'vtest',
      path: '/usr/share/doc/opencv-doc/examples/data/vtest.avi',
      shots: [[0, 79400]],
      static: true,
    },
    {
      id: 'cockatoo',
      path: '/usr/lib/python3/dist-packages/imageio/resources/images/cockatoo.mp4',
      shots: [[0, 13900]],
    },
  ];

export type TransitionFamily = 'fade' | 'dissolve' | 'wipe' | 'push' | 'other';

/** What a detector can be expected to tell apart, by catalog tag. */
export function familyOf(tags: readonly string[]): TransitionFamily {
  if (tags.includes('dip')) return 'fade';
  if (tags.includes('push')) return 'push';
  if (tags.includes('wipe') || tags.includes('shape')) return 'wipe';
  if (tags.includes('fade')) return 'dissolve';
  return 'other';
}

export interface LabelledTransition {
  type: string;
  family: TransitionFamily;
  start_frame: number;
  end_frame: number;
}

export interface TransitionSet {
  path: string;
  frame_count: number;
  transitions: LabelledTransition[];
  /** First frame of the new shot. */
  cuts: number[];
  jump_cuts: number[];
}

function lcg(seed: number): () => number {
  let x = seed >>> 0;
  return () => {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    return x / 2 ** 32;
  };
}

const DURATIONS_MS = [400, 500, 600, 800, 1000];

export async function transitionSet(seed: number): Promise<TransitionSet> {
  const rnd = lcg(seed * 104729 + 17);
  const specs = [...listTransitions()];
  // Shuffle the catalog order per seed (Fisher–Yates).
  for (let i = specs.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [specs[i], specs[j]] = [specs[j]!, specs[i]!];
  }
  type Boundary = { kind: 'transition'; type: string; d: number } | { kind: 'cut' } | { kind: 'jump' };
  const boundaries: Boundary[] = [];
  specs.forEach((s, i) => {
    boundaries.push({
      kind: 'transition',
      type: s.id,
      d: DURATIONS_MS[Math.floor(rnd() * DURATIONS_MS.length)]!,
    });
    if (i % 3 === 2) boundaries.push({ kind: 'cut' });
    if (i % 5 === 4) boundaries.push({ kind: 'jump' });
  });
  const sources: Record<string, PlanSource> = {};
  for (const f of FOOTAGE) {
    if (!existsSync(f.path)) throw new Error(`missing footage ${f.path}`);
    sources[f.id] = {
      asset_id: f.id,
      path: f.path,
      content_hash: createHash('sha256').update(f.path).digest('hex'),
      info: await probeMedia({ path: f.path }),
    };
  }
  const half = (b: Boundary | undefined) => (b?.kind === 'transition' ? b.d / 2 : 0);
  const clips: Array<{ id: string; asset_id: string; start_ms: number; in_ms: number; out_ms: number }> = [];
  let t = 0;
  let prev: { src: number; shot: number; out: number } | undefined;
  for (let i = 0; i <= boundaries.length; i++) {
    const before = boundaries[i - 1];
    const after = boundaries[i];
    const hIn = half(before);
    const hOut = half(after);
    // At least 0.6 s of steady picture between transitions, rounded to whole frames.
    const len = Math.round(((hIn + hOut + 600 + Math.floor(rnd() * 400)) * FPS) / 1000) * (1000 / FPS);
    let pick: { src: number; shot: number; in: number } | undefined;
    for (let tries = 0; tries < 200 && !pick; tries++) {
      let src: number;
      let shot: number;
      if (before?.kind === 'jump') {
        src = prev!.src;
        shot = prev!.shot;
      } else {
        src = Math.floor(rnd() * FOOTAGE.length);
        // Jump cuts need the static camera next.
        if (after?.kind === 'jump') src = FOOTAGE.findIndex((f) => f.static);
        shot = Math.floor(rnd() * FOOTAGE[src]!.shots.length);
        if (prev && prev.src === src && prev.shot === shot) continue; // a change of shot
        // The clip before the static camera's first clip of a jump pair must be another shot.
        if (boundaries[i + 1]?.kind === 'jump' && FOOTAGE[src]!.static) continue;
      }
      const [a, b] = FOOTAGE[src]!.shots[shot]!;
      const lo = a + hIn + 100;
      const hi = b - len - hOut - 100;
      if (hi <= lo) continue;
      const at = lo + Math.floor(rnd() * (hi - lo));
      // A jump cut jumps at least 3 s (people visibly jump) but stays in the shot.
      if (before?.kind === 'jump' && Math.abs(at - prev!.out) < 3000) continue;
      pick = { src, shot, in: Math.round(at) };
    }
    if (!pick) throw new Error(`no footage fits clip ${i}`);
    clips.push({
      id: `c${i}`,
      asset_id: FOOTAGE[pick.src]!.id,
      start_ms: Math.round(t),
      in_ms: pick.in,
      out_ms: Math.round(pick.in + len),
    });
    prev = { src: pick.src, shot: pick.shot, out: pick.in + len };
    t += len;
  }
  // Clip starts must chain exactly: derive each from the previous clip's rounded length.
  for (let i = 1; i < clips.length; i++) {
    const p = clips[i - 1]!;
    clips[i]!.start_ms = p.start_ms + (p.out_ms - p.in_ms);
  }
  const transitions = boundaries.flatMap((b, i) =>
    b.kind === 'transition'
      ? [{ id: `t${i}`, type: b.type, from_clip_id: `c${i}`, to_clip_id: `c${i + 1}`, duration_ms: b.d }]
      : [],
  );
  const timeline = parseTimeline({ tracks: [{ id: 'v', kind: 'video', clips, transitions }] });
  const plan = compile({ timeline, sources, profile: 'draft_360p' });
  const frameOf = (ms: number) => Math.round((ms * FPS) / 1000);
  const catalog = listTransitions();
  const labels: LabelledTransition[] = plan.meta.transitions.map((m) => {
    const w0 = frameOf(m.start_ms);
    const d = frameOf(m.duration_ms);
    return {
      type: m.type,
      family: familyOf(catalog.find((c) => c.id === m.type)!.tags),
      start_frame: w0 + 1,
      end_frame: w0 + d,
    };
  });
  const cuts: number[] = [];
  const jumps: number[] = [];
  boundaries.forEach((b, i) => {
    if (b.kind === 'transition') return;
    const f = frameOf(clips[i + 1]!.start_ms);
    (b.kind === 'jump' ? jumps : cuts).push(f);
  });
  const out = resolve(CACHE, `transition-set-v1-${seed}.mp4`);
  if (!existsSync(out)) {
    mkdirSync(CACHE, { recursive: true });
    const tmp = `${out}.tmp.mp4`;
    await runFfmpeg({
      stage: 'encode',
      args: plan.args.map((a) => (a === 'veryfast' ? 'ultrafast' : a)),
      output: tmp,
    });
    renameSync(tmp, out);
  }
  const set: TransitionSet = {
    path: out,
    frame_count: plan.meta.frame_count,
    transitions: labels,
    cuts,
    jump_cuts: jumps,
  };
  writeFileSync(`${out}.labels.json`, `${JSON.stringify(set, null, 1)}\n`);
  return set;
}

export function readSet(path: string): TransitionSet {
  return JSON.parse(readFileSync(`${path}.labels.json`, 'utf8')) as TransitionSet;
}

export interface DetectedTransition {
  start_frame: number;
  end_frame: number;
  kind: string;
}

export interface SetScore {
  /** Per family: labelled, found (a detected range whose ends are both within ±tolerance), kind right. */
  families: Record<
    TransitionFamily,
    { n: number; found: number; kindOk: number; startErr: number[]; endErr: number[] }
  >;
  /** Detected kinds that matched no label, per kind: false positives. */
  spurious: Record<string, number>;
  cuts: { tp: number; fp: number; fn: number };
  jumps: { n: number; found: number };
  missed: Array<{ type: string; start_frame: number; end_frame: number }>;
}

const KIND_OF_FAMILY: Record<TransitionFamily, string> = {
  fade: 'fade',
  dissolve: 'dissolve',
  wipe: 'wipe',
  push: 'push',
  other: '',
};

/**
 * Match detections to labels: a transition is found when one detected range has both ends within ±tol frames
 * of the label's; a hard cut when a detected cut is within ±1 frame. A cut reported inside a labelled
 * transition is the wrong kind of boundary, not a false shot change: it is neither a hit nor a false cut.
 */
export function scoreSet(
  set: TransitionSet,
  det: { cuts: number[]; transitions: DetectedTransition[] },
  tol = 3,
): SetScore {
  const fam = () => ({ n: 0, found: 0, kindOk: 0, startErr: [] as number[], endErr: [] as number[] });
  const families = { fade: fam(), dissolve: fam(), wipe: fam(), push: fam(), other: fam() };
  const used = new Set<number>();
  const missed: SetScore['missed'] = [];
  for (const t of set.transitions) {
    const b = families[t.family];
    b.n++;
    const j = det.transitions.findIndex(
      (d, i) =>
        !used.has(i) &&
        Math.abs(d.start_frame - t.start_frame) <= tol &&
        Math.abs(d.end_frame - t.end_frame) <= tol,
    );
    if (j < 0) {
      missed.push({ type: t.type, start_frame: t.start_frame, end_frame: t.end_frame });
      continue;
    }
    used.add(j);
    b.found++;
    b.startErr.push(det.transitions[j]!.start_frame - t.start_frame);
    b.endErr.push(det.transitions[j]!.end_frame - t.end_frame);
    if (det.transitions[j]!.kind === KIND_OF_FAMILY[t.family]) b.kindOk++;
  }
  const spurious: Record<string, number> = {};
  det.transitions.forEach((d, i) => {
    if (used.has(i)) return;
    // Overlapping a labelled transition (found or not) is a bad range, not an invented transition.
    if (set.transitions.some((t) => d.start_frame <= t.end_frame + tol && d.end_frame >= t.start_frame - tol))
      return;
    spurious[d.kind] = (spurious[d.kind] ?? 0) + 1;
  });
  const inTransition = (c: number) =>
    set.transitions.some((t) => c >= t.start_frame - 1 && c <= t.end_frame + 1);
  const cutsSeen = det.cuts.filter((c) => !inTransition(c));
  const all = [...set.cuts, ...set.jump_cuts];
  const usedC = new Set<number>();
  let tp = 0;
  for (const l of all) {
    const k = cutsSeen.findIndex((d, i) => !usedC.has(i) && Math.abs(d - l) <= 1);
    if (k >= 0) {
      usedC.add(k);
      tp++;
    }
  }
  const jumpsFound = set.jump_cuts.filter((l) => cutsSeen.some((d) => Math.abs(d - l) <= 1)).length;
  return {
    families,
    spurious,
    cuts: { tp, fp: cutsSeen.length - tp, fn: all.length - tp },
    jumps: { n: set.jump_cuts.length, found: jumpsFound },
    missed,
  };
}
