import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TRANSITIONS } from '../../../src/plan/index.js';
import {
  addMarker,
  addTextLayer,
  addTransition,
  canRedo,
  canUndo,
  createHistory,
  moveItems,
  pushHistory,
  redo,
  replacePresent,
  rippleDelete,
  setKeyframe,
  splitAt,
  trimEdge,
  undo,
  type Timeline,
} from '../../../src/timeline/index.js';
import { assertValid, doc, MEDIA, twoClips } from './helpers.js';

test('undo and redo walk the documents back and forth; a new edit clears the redo branch', () => {
  const d0 = twoClips();
  let h = createHistory(d0);
  assert.equal(canUndo(h), false);
  const d1 = splitAt(d0, { item_id: 'a', at_ms: 1000 }).doc;
  h = pushHistory(h, d1, 'Split');
  const d2 = moveItems(d1, { item_ids: ['title'], delta_ms: 100 }).doc;
  h = pushHistory(h, d2, 'Move');
  assert.equal(h.present.label, 'Move');
  h = undo(h);
  assert.equal(h.present.doc, d1);
  h = undo(h);
  assert.equal(h.present.doc, d0);
  assert.equal(undo(h), h, 'nothing more to undo: same history');
  h = redo(h);
  assert.equal(h.present.doc, d1);
  assert.equal(canRedo(h), true);
  const d3 = addMarker(d1, { time_ms: 10 }).doc;
  h = pushHistory(h, d3);
  assert.equal(canRedo(h), false);
  assert.equal(redo(h), h);
  assert.equal(pushHistory(h, d3), h, 'pushing the present again is not an edit');
  const saved = replacePresent(h, structuredClone(d3));
  assert.equal(saved.past.length, h.past.length);
});

test('history is bounded: the oldest entries go first', () => {
  let h = createHistory(twoClips(), 3);
  const docs: Timeline[] = [];
  for (let i = 1; i <= 5; i++) {
    const d = addMarker(h.present.doc, { time_ms: i }).doc;
    docs.push(d);
    h = pushHistory(h, d);
  }
  assert.equal(h.past.length, 3);
  h = undo(undo(undo(h)));
  assert.equal(h.present.doc, docs[1]);
  assert.equal(canUndo(h), false);
});

function script(d: Timeline): Timeline {
  let t = splitAt(d, { item_id: 'b', at_ms: 4200, media: MEDIA }).doc;
  t = trimEdge(t, { item_id: 'b_2', edge: 'end', to_ms: 99_999, media: MEDIA }).doc;
  t = moveItems(t, {
    item_ids: ['title'],
    delta_ms: 1480,
    snap: { tolerance_ms: 30, playhead_ms: 2000 },
  }).doc;
  t = addTransition(t, {
    from_clip_id: 'b',
    to_clip_id: 'b_2',
    type: 'dip_to_black',
    duration_ms: 300,
    catalog: TRANSITIONS,
  }).doc;
  t = setKeyframe(t, { clip_id: 'a', param: 'scale', t_ms: 500, value: 1.5, easing: 'ease_in_out' }).doc;
  t = addTextLayer(t, { layer: { start_ms: 0, duration_ms: 1000, text: 'Title' } }).doc;
  t = addMarker(t, { time_ms: 4000, label: 'cut' }).doc;
  t = rippleDelete(t, { item_ids: ['a'], scope: 'track', media: MEDIA }).doc;
  return t;
}

test('determinism: the same edits on the same document give the same bytes, and the result is valid', () => {
  const a = JSON.stringify(script(twoClips()));
  const b = JSON.stringify(script(twoClips()));
  assert.equal(a, b);
  assertValid(JSON.parse(a) as Timeline);
});

test('ops scale: a move with snapping on a 500-clip document stays valid and touches one track', () => {
  const clips = Array.from({ length: 500 }, (_, i) => ({
    id: `c${i}`,
    asset_id: 'src',
    start_ms: i * 2000,
    out_ms: 1500,
  }));
  const d = doc({
    tracks: [
      { id: 'v', kind: 'video', clips },
      { id: 'a', kind: 'audio', clips: [] },
    ],
  });
  const r = moveItems(d, { item_ids: ['c250'], delta_ms: 480, snap: { tolerance_ms: 40, playhead_ms: 0 } });
  assert.equal(r.snapped_to, 502_000);
  assert.equal(r.doc.tracks[1], d.tracks[1]);
  assertValid(r.doc);
});
