/**
 * `npm run bench -- studio-ops [--iterations N]`: the pure timeline edit ops the Studio runs on every gesture,
 * timed on a 500-clip document (300 video clips with a crossfade at every cut, 100 overlay clips, 100 audio
 * clips, 20 markers). Baseline, measured in the same run: `structuredClone(doc)` — what an editor that copies the
 * whole document per edit would pay. The drag-update figure is what one pointer-move costs in the engine
 * (collect snap points + moveItems with snapping); the UI's rendering is measured by `npm run bench -- studio`.
 */
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { TRANSITIONS } from '../src/plan/index.js';
import {
  addTransition,
  createHistory,
  moveItems,
  parseTimeline,
  pushHistory,
  rippleDelete,
  setItemProperties,
  snapPoints,
  splitAt,
  trimEdge,
  undo,
  type Timeline,
} from '../src/timeline/index.js';

const arg = (name: string) =>
  process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : undefined;
const iterations = Number(arg('--iterations')) || 300;

function buildDoc(): Timeline {
  const video = Array.from({ length: 300 }, (_, i) => ({
    id: `v${i}`,
    asset_id: `asset_${i % 7}`,
    start_ms: i * 2000,
    in_ms: 500,
    out_ms: 2500,
  }));
  const transitions = Array.from({ length: 299 }, (_, i) => ({
    id: `x${i}`,
    type: 'crossfade',
    from_clip_id: `v${i}`,
    to_clip_id: `v${i + 1}`,
    duration_ms: 400,
  }));
  const overlay = Array.from({ length: 100 }, (_, i) => ({
    id: `o${i}`,
    asset_id: 'logo',
    start_ms: i * 6000 + 1000,
    duration_ms: 1500,
  }));
  const audio = Array.from({ length: 100 }, (_, i) => ({
    id: `a${i}`,
    asset_id: 'music',
    start_ms: i * 6000,
    out_ms: 5000,
  }));
  return parseTimeline({
    tracks: [
      { id: 'V1', kind: 'video', clips: video, transitions },
      { id: 'V2', kind: 'overlay', clips: overlay },
      { id: 'A1', kind: 'audio', clips: audio },
    ],
    markers: Array.from({ length: 20 }, (_, i) => ({ id: `m${i}`, time_ms: i * 30_000 + 777 })),
  });
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function time(fn: (i: number) => unknown): number {
  for (let i = 0; i < 20; i++) fn(i); // warm-up (JIT)
  const samples: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const t0 = performance.now();
    fn(i);
    samples.push(performance.now() - t0);
  }
  return median(samples);
}

const doc = buildDoc();
const clipCount = doc.tracks.reduce((n, t) => n + ('clips' in t ? t.clips.length : 0), 0);
const load = loadavg()[0]!.toFixed(2);
const baseline = time(() => structuredClone(doc));
const rows: Array<[string, number]> = [
  ['baseline: structuredClone(doc)', baseline],
  ['parseTimeline(doc) (full validation)', time(() => parseTimeline(doc))],
  [
    'drag update: snapPoints + moveItems(snap) of one clip',
    time((i) => {
      const points = snapPoints(doc, { exclude_ids: ['o50'], playhead_ms: 123_456 });
      moveItems(doc, {
        item_ids: ['o50'],
        delta_ms: (i % 40) * 10 - 200,
        snap: { tolerance_ms: 80, points },
      });
    }),
  ],
  [
    'moveItems(snap) with points collected once per drag',
    (() => {
      const points = snapPoints(doc, { exclude_ids: ['o50'], playhead_ms: 123_456 });
      return time((i) =>
        moveItems(doc, {
          item_ids: ['o50'],
          delta_ms: (i % 40) * 10 - 200,
          snap: { tolerance_ms: 80, points },
        }),
      );
    })(),
  ],
  ['splitAt (clip with transitions)', time(() => splitAt(doc, { item_id: 'v150', at_ms: 301_000 }))],
  ['trimEdge end', time(() => trimEdge(doc, { item_id: 'a40', edge: 'end', to_ms: 244_000 }))],
  ['rippleDelete scope=track', time(() => rippleDelete(doc, { item_ids: ['a10'], scope: 'track' }))],
  [
    'setItemProperties volume',
    time(() => setItemProperties(doc, { item_id: 'v10', props: { volume: 0.5 } })),
  ],
  [
    'addTransition (replace)',
    time(() =>
      addTransition(doc, {
        from_clip_id: 'v7',
        to_clip_id: 'v8',
        type: 'wipe_left',
        duration_ms: 500,
        catalog: TRANSITIONS,
      }),
    ),
  ],
  [
    'history push + undo',
    (() => {
      const next = setItemProperties(doc, { item_id: 'v10', props: { volume: 0.5 } }).doc;
      return time(() => undo(pushHistory(createHistory(doc), next)));
    })(),
  ],
];

console.log(
  `studio-ops: ${clipCount} clips, ${iterations} iterations per op, median; load average (1 min) ${load}`,
);
for (const [name, ms] of rows) {
  const ratio = ms / baseline;
  const faster = ratio < 1 ? `  (${(1 / ratio).toFixed(0)}× faster)` : '';
  console.log(
    `  ${name.padEnd(56)} ${(ms * 1000).toFixed(0).padStart(7)} µs   ${ratio.toFixed(3)}× baseline${faster}`,
  );
}
