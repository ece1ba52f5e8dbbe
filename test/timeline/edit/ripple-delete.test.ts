import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deleteItems, rippleDelete } from '../../../src/timeline/index.js';
import { assertCode, assertValid, clip, clipsOf, doc, itemsOf, transitionsOf } from './helpers.js';

function threeTracks(locked = false) {
  return doc({
    tracks: [
      {
        id: 'v',
        kind: 'video',
        clips: [clip('a', 0, 0, 2000), clip('b', 2000, 0, 3000), clip('c', 5000, 0, 1000)],
        transitions: [
          { id: 'ab', type: 'crossfade', from_clip_id: 'a', to_clip_id: 'b', duration_ms: 400 },
          { id: 'bc', type: 'crossfade', from_clip_id: 'b', to_clip_id: 'c', duration_ms: 400 },
        ],
      },
      {
        id: 'au',
        kind: 'audio',
        ...(locked ? { locked: true } : {}),
        clips: [clip('sa', 0, 0, 2000), clip('sb', 2000, 0, 3000), clip('sc', 6000, 0, 1000)],
      },
      { id: 't', kind: 'text', items: [{ id: 'late', start_ms: 5500, duration_ms: 500, text: 'x' }] },
    ],
    markers: [
      { id: 'm1', time_ms: 1000 },
      { id: 'm2', time_ms: 3000 },
      { id: 'm3', time_ms: 8000 },
    ],
  });
}

test('lift delete leaves a gap and removes the transitions of the deleted clip', () => {
  const r = deleteItems(threeTracks(), { item_ids: ['b'] });
  assertValid(r.doc);
  assert.deepEqual(
    clipsOf(r.doc, 'v').map((c) => [c.id, c.start_ms]),
    [
      ['a', 0],
      ['c', 5000],
    ],
  );
  assert.deepEqual(r.removed_transitions.sort(), ['ab', 'bc']);
});

test('ripple delete on one track closes the gap there only', () => {
  const d = threeTracks();
  const r = rippleDelete(d, { item_ids: ['b'], scope: 'track' });
  assertValid(r.doc);
  assert.deepEqual(
    clipsOf(r.doc, 'v').map((c) => [c.id, c.start_ms]),
    [
      ['a', 0],
      ['c', 2000],
    ],
  );
  assert.equal(r.doc.tracks[1], d.tracks[1], 'other tracks untouched');
  assert.deepEqual(r.doc.markers, d.markers);
  assert.equal(transitionsOf(r.doc, 'v').length, 0);
});

test('ripple delete across all tracks cuts the span out of every track and the markers', () => {
  // Delete b (2000..5000) together with its sound sb (2000..5000): the span is removed once.
  const r = rippleDelete(threeTracks(), { item_ids: ['b', 'sb'], scope: 'all' });
  assertValid(r.doc);
  assert.deepEqual(
    clipsOf(r.doc, 'v').map((c) => [c.id, c.start_ms]),
    [
      ['a', 0],
      ['c', 2000],
    ],
  );
  assert.deepEqual(
    clipsOf(r.doc, 'au').map((c) => [c.id, c.start_ms]),
    [
      ['sa', 0],
      ['sc', 3000],
    ],
  );
  assert.deepEqual(
    itemsOf(r.doc, 't').map((i) => i.start_ms),
    [2500],
  );
  // m1 before the span stays, m2 inside goes to the span start, m3 after moves left by 3000.
  assert.deepEqual(
    r.doc.markers!.map((m) => m.time_ms),
    [1000, 2000, 5000],
  );
  assert.deepEqual(r.removed_transitions.sort(), ['ab', 'bc']);
});

test('ripple delete across tracks refuses when another track has something inside the span', () => {
  const details = assertCode(
    () => rippleDelete(threeTracks(), { item_ids: ['b'], scope: 'all' }),
    'EDIT_NOT_APPLICABLE',
    'gap_not_empty',
  );
  assert.equal(details.item_id, 'sb');
});

test('ripple delete across tracks refuses to move a locked track', () => {
  const d = threeTracks(true);
  const details = assertCode(() => rippleDelete(d, { item_ids: ['c'], scope: 'all' }), 'TRACK_LOCKED');
  assert.equal(details.track_id, 'au');
  // Deleting on the locked track itself is refused too.
  assertCode(() => rippleDelete(d, { item_ids: ['sa'], scope: 'track' }), 'TRACK_LOCKED');
});

test('ripple delete of several clips on one track closes every gap', () => {
  const d = doc({
    tracks: [
      {
        id: 'v',
        kind: 'video',
        clips: [
          clip('a', 0, 0, 1000),
          clip('b', 1000, 0, 1000),
          clip('c', 3000, 0, 1000),
          clip('d', 4000, 0, 1000),
        ],
      },
    ],
  });
  const r = rippleDelete(d, { item_ids: ['a', 'c'], scope: 'track' });
  assertValid(r.doc);
  assert.deepEqual(
    clipsOf(r.doc, 'v').map((c) => [c.id, c.start_ms]),
    [
      ['b', 0],
      ['d', 2000],
    ],
  );
});
