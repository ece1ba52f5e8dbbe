import { test } from 'node:test';
import assert from 'node:assert/strict';
import { moveItems, snap, snapPoints, addMarker } from '../../../src/timeline/index.js';
import { assertCode, assertValid, clip, clipsOf, doc, itemsOf, MEDIA, transitionsOf } from './helpers.js';

test('snap picks the nearest candidate within tolerance, inclusive, earlier one on a tie', () => {
  const c = [0, 1000, 2000, 5000];
  assert.deepEqual(snap(1040, c, 50), { time_ms: 1000, target_ms: 1000 });
  assert.deepEqual(snap(1050, c, 50), { time_ms: 1000, target_ms: 1000 });
  assert.deepEqual(snap(1051, c, 50), { time_ms: 1051 });
  assert.deepEqual(snap(1500, c, 500), { time_ms: 1000, target_ms: 1000 });
  assert.deepEqual(snap(4990, c, 20), { time_ms: 5000, target_ms: 5000 });
  assert.deepEqual(snap(7000, c, 10), { time_ms: 7000 });
  assert.deepEqual(snap(5, [], 10), { time_ms: 5 });
});

function layout() {
  return doc({
    tracks: [
      { id: 'v1', kind: 'video', clips: [clip('a', 0, 0, 2000), clip('b', 5000, 0, 1000)] },
      { id: 'v2', kind: 'overlay', clips: [clip('o', 3000, 0, 500)] },
      { id: 'a1', kind: 'audio', clips: [{ id: 'm', asset_id: 'song', start_ms: 0, out_ms: 1000 }] },
      { id: 't1', kind: 'text', items: [{ id: 'ti', start_ms: 0, duration_ms: 1000, text: 'x' }] },
    ],
    markers: [{ id: 'mk', time_ms: 7777 }],
  });
}

test('snapPoints lists 0, every cut, the playhead and markers, without the dragged items', () => {
  const pts = snapPoints(layout(), { playhead_ms: 4321, exclude_ids: ['b'] });
  assert.deepEqual(pts, [0, 1000, 2000, 3000, 3500, 4321, 7777]);
});

test('move snaps the start to a cut on another track, or the end to the playhead or a marker', () => {
  const d = layout();
  // b 5000..6000 dragged by -1980 -> start 3020, 20 ms from the overlay's start at 3000.
  const r = moveItems(d, { item_ids: ['b'], delta_ms: -1980, snap: { tolerance_ms: 50 } });
  assertValid(r.doc);
  assert.equal(r.snapped_to, 3000);
  assert.equal(r.delta_ms, -2000);
  assert.equal(clipsOf(r.doc, 'v1')[1]!.start_ms, 3000);
  // End snaps to the playhead: b's end 6000 + 990 = 6990, playhead 7000.
  const p = moveItems(d, { item_ids: ['b'], delta_ms: 990, snap: { tolerance_ms: 50, playhead_ms: 7000 } });
  assert.equal(p.snapped_to, 7000);
  assert.equal(clipsOf(p.doc, 'v1')[1]!.start_ms, 6000);
  // End snaps to the marker at 7777.
  const m = moveItems(d, { item_ids: ['b'], delta_ms: 1760, snap: { tolerance_ms: 50 } });
  assert.equal(m.snapped_to, 7777);
  // Markers can be left out.
  const n = moveItems(d, { item_ids: ['b'], delta_ms: 1760, snap: { tolerance_ms: 50, markers: false } });
  assert.equal(n.snapped_to, undefined);
  assert.equal(n.delta_ms, 1760);
});

test('a marker added by the op is a snap target', () => {
  const d = addMarker(layout(), { time_ms: 9000, label: 'drop' }).doc;
  const r = moveItems(d, { item_ids: ['b'], delta_ms: 3990, snap: { tolerance_ms: 20 } });
  assert.equal(r.snapped_to, 9000);
});

test('move never goes before 0 and refuses overlaps whole', () => {
  const d = layout();
  // Clamped to 0 it would overlap "a": refused, not half-applied.
  assertCode(() => moveItems(d, { item_ids: ['b'], delta_ms: -100_000 }), 'EDIT_OVERLAP');
  const z = moveItems(doc({ tracks: [{ id: 'v', kind: 'video', clips: [clip('q', 500, 0, 100)] }] }), {
    item_ids: ['q'],
    delta_ms: -9000,
  });
  assert.equal(clipsOf(z.doc, 'v')[0]!.start_ms, 0);
  const details = assertCode(() => moveItems(d, { item_ids: ['b'], delta_ms: -4000 }), 'EDIT_OVERLAP');
  assert.equal(details.clip_id, 'b');
  assert.equal(details.overlaps, 'a');
});

test('move to another compatible track; incompatible and locked tracks are refused', () => {
  const d = layout();
  const r = moveItems(d, { item_ids: ['o'], delta_ms: 0, to_track_id: 'v1' });
  assertValid(r.doc);
  assert.deepEqual(
    clipsOf(r.doc, 'v1').map((c) => c.id),
    ['a', 'b', 'o'],
  );
  assert.deepEqual(clipsOf(r.doc, 'v2'), []);
  assertCode(
    () => moveItems(d, { item_ids: ['o'], delta_ms: 0, to_track_id: 't1' }),
    'EDIT_NOT_APPLICABLE',
    'incompatible_track',
  );
  assertCode(
    () => moveItems(d, { item_ids: ['ti'], delta_ms: 0, to_track_id: 'v1' }),
    'EDIT_NOT_APPLICABLE',
    'incompatible_track',
  );
  // An audio-only asset cannot go on a picture track when the media info says so.
  assertCode(
    () => moveItems(d, { item_ids: ['m'], delta_ms: 3000, to_track_id: 'v2', media: MEDIA }),
    'EDIT_NOT_APPLICABLE',
    'incompatible_track',
  );
  const locked = doc({
    ...JSON.parse(JSON.stringify(d)),
    tracks: d.tracks.map((t) => (t.id === 'v1' ? { ...t, locked: true } : t)),
  });
  assertCode(() => moveItems(locked, { item_ids: ['o'], delta_ms: 0, to_track_id: 'v1' }), 'TRACK_LOCKED');
  assertCode(() => moveItems(locked, { item_ids: ['a'], delta_ms: 10 }), 'TRACK_LOCKED');
});

test('moving a multi-selection moves the block; a transition whose clips move together survives', () => {
  const d = doc({
    tracks: [
      {
        id: 'v',
        kind: 'video',
        clips: [clip('a', 0, 0, 1000), clip('b', 1000, 0, 1000), clip('c', 5000, 0, 1000)],
        transitions: [{ id: 'x', type: 'crossfade', from_clip_id: 'a', to_clip_id: 'b', duration_ms: 500 }],
      },
      { id: 't', kind: 'text', items: [{ id: 'ti', start_ms: 0, duration_ms: 500, text: 'x' }] },
    ],
  });
  const r = moveItems(d, { item_ids: ['a', 'b', 'ti'], delta_ms: 2000 });
  assertValid(r.doc);
  assert.deepEqual(
    clipsOf(r.doc, 'v').map((c) => c.start_ms),
    [2000, 3000, 5000],
  );
  assert.equal(itemsOf(r.doc, 't')[0]!.start_ms, 2000);
  assert.equal(transitionsOf(r.doc, 'v').length, 1);
  // Moving only one side of the cut removes the transition and says so.
  const s = moveItems(d, { item_ids: ['b'], delta_ms: 500 });
  assert.deepEqual(s.removed_transitions, ['x']);
  assertValid(s.doc);
  // Items from several tracks cannot all go to one track.
  assertCode(
    () => moveItems(d, { item_ids: ['a', 'ti'], delta_ms: 0, to_track_id: 'v' }),
    'EDIT_NOT_APPLICABLE',
    'multi_track_selection',
  );
});
