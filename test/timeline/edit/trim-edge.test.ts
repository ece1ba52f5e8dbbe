import { test } from 'node:test';
import assert from 'node:assert/strict';
import { trimEdge } from '../../../src/timeline/index.js';
import {
  assertCode,
  assertValid,
  clip,
  clipsOf,
  doc,
  itemsOf,
  MEDIA,
  transitionsOf,
  twoClips,
} from './helpers.js';

test('trim past the source end stops at the last frame of the source', () => {
  // "b" shows source 2000..6000 of a 10 s asset from 4000 on the timeline: its end can reach 4000 + 8000.
  const d = twoClips();
  const r = trimEdge(d, { item_id: 'b', edge: 'end', to_ms: 60_000, media: MEDIA });
  assertValid(r.doc);
  assert.equal(r.clamped_by, 'source');
  assert.equal(r.edge_ms, 12_000);
  assert.equal(clipsOf(r.doc, 'v1')[1]!.out_ms, 10_000);
  // Without media info the source end is unknown: no clamp at the source (the planner checks against probes).
  const blind = trimEdge(d, { item_id: 'b', edge: 'end', to_ms: 9000 });
  assert.equal(blind.clamped_by, undefined);
  assert.equal(clipsOf(blind.doc, 'v1')[1]!.out_ms, 7000);
});

test('trim of the start before the source start stops at in_ms = 0; the end stays put', () => {
  const d = doc({ tracks: [{ id: 'v', kind: 'video', clips: [clip('c', 5000, 1000, 3000)] }] });
  const r = trimEdge(d, { item_id: 'c', edge: 'start', to_ms: 0, media: MEDIA });
  assertValid(r.doc);
  assert.equal(r.clamped_by, 'source');
  const [c] = clipsOf(r.doc, 'v');
  assert.deepEqual([c!.start_ms, c!.in_ms, c!.out_ms], [4000, 0, 3000]);
});

test('trim stops at the neighbouring clip and at a minimum length of 1 ms', () => {
  const d = doc({
    tracks: [{ id: 'v', kind: 'video', clips: [clip('a', 0, 0, 2000), clip('b', 3000, 3000, 5000)] }],
  });
  const r = trimEdge(d, { item_id: 'b', edge: 'start', to_ms: 1000, media: MEDIA });
  assertValid(r.doc);
  assert.equal(r.clamped_by, 'neighbour');
  assert.equal(clipsOf(r.doc, 'v')[1]!.start_ms, 2000);
  assert.equal(clipsOf(r.doc, 'v')[1]!.in_ms, 2000);
  const tiny = trimEdge(d, { item_id: 'a', edge: 'end', to_ms: -50 });
  assert.equal(tiny.clamped_by, 'min_length');
  assert.equal(clipsOf(tiny.doc, 'v')[0]!.out_ms, 1);
  assertValid(tiny.doc);
});

test('trimming a butt-joined edge removes the transition at that cut', () => {
  const r = trimEdge(twoClips(), { item_id: 'a', edge: 'end', to_ms: 3000 });
  assertValid(r.doc);
  assert.deepEqual(r.removed_transitions, ['x']);
  assert.equal(transitionsOf(r.doc, 'v1').length, 0);
});

test('trimming the far edge keeps the transition, shortened when the clip gets shorter than its half-window', () => {
  const r = trimEdge(twoClips(), { item_id: 'b', edge: 'end', to_ms: 4300 });
  assertValid(r.doc);
  assert.deepEqual(r.removed_transitions, []);
  assert.deepEqual(r.adjusted_transitions, [{ id: 'x', from_duration_ms: 1000, to_duration_ms: 600 }]);
});

test('trim start at speed 2 moves in_ms by twice the timeline delta; keyframes keep their timeline place', () => {
  const d = doc({
    tracks: [
      {
        id: 'v',
        kind: 'video',
        clips: [
          clip('s', 0, 0, 8000, {
            speed: 2,
            automation: [
              {
                param: 'volume',
                keyframes: [
                  { t_ms: 0, value: 0 },
                  { t_ms: 2000, value: 1 },
                ],
              },
            ],
          }),
        ],
      },
    ],
  });
  const r = trimEdge(d, { item_id: 's', edge: 'start', to_ms: 1000 });
  assertValid(r.doc);
  const [c] = clipsOf(r.doc, 'v');
  assert.deepEqual([c!.start_ms, c!.in_ms], [1000, 2000]);
  assert.deepEqual(
    c!.automation[0]!.keyframes.map((k) => [k.t_ms, k.value]),
    [
      [0, 0.5],
      [1000, 1],
    ],
  );
});

test('fades longer than the trimmed clip shrink in proportion', () => {
  const d = doc({
    tracks: [
      {
        id: 'v',
        kind: 'video',
        clips: [clip('f', 0, 0, 4000, { audio_fade_in_ms: 1000, audio_fade_out_ms: 1000 })],
      },
    ],
  });
  const r = trimEdge(d, { item_id: 'f', edge: 'end', to_ms: 1000 });
  assertValid(r.doc);
  const [c] = clipsOf(r.doc, 'v');
  assert.ok(c!.audio_fade_in_ms + c!.audio_fade_out_ms <= 1000);
  assert.equal(c!.audio_fade_in_ms, 500);
});

test('trim of a still changes its duration without a source limit; text layers trim too', () => {
  const d = doc({
    tracks: [
      { id: 'v', kind: 'video', clips: [{ id: 'img', asset_id: 'png', start_ms: 1000, duration_ms: 1000 }] },
      { id: 't', kind: 'text', items: [{ id: 'ti', start_ms: 1000, duration_ms: 1000, text: 'x' }] },
    ],
  });
  const r = trimEdge(d, { item_id: 'img', edge: 'end', to_ms: 50_000 });
  assert.equal(clipsOf(r.doc, 'v')[0]!.duration_ms, 49_000);
  const s = trimEdge(d, { item_id: 'img', edge: 'start', to_ms: -10 });
  assert.equal(s.clamped_by, 'timeline_start');
  assert.deepEqual([clipsOf(s.doc, 'v')[0]!.start_ms, clipsOf(s.doc, 'v')[0]!.duration_ms], [0, 2000]);
  const t = trimEdge(d, { item_id: 'ti', edge: 'start', to_ms: 1500 });
  assertValid(t.doc);
  assert.deepEqual(
    itemsOf(t.doc, 't').map((i) => [i.start_ms, (i as { duration_ms: number }).duration_ms]),
    [[1500, 500]],
  );
});

test('trim refuses non-integer times and unknown items', () => {
  assertCode(
    () => trimEdge(twoClips(), { item_id: 'a', edge: 'end', to_ms: 10.5 }),
    'EDIT_NOT_APPLICABLE',
    'not_integer',
  );
  assertCode(() => trimEdge(twoClips(), { item_id: 'zz', edge: 'end', to_ms: 10 }), 'EDIT_TARGET_NOT_FOUND');
});
