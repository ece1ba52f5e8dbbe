import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TRANSITIONS } from '../../../src/plan/index.js';
import {
  addCaptionTrack,
  addClip,
  addMarker,
  addTextLayer,
  addTrack,
  addTransition,
  copyItems,
  pasteItems,
  pruneSelection,
  removeKeyframe,
  removeMarker,
  removeTrack,
  removeTransition,
  selectAfter,
  selectInRange,
  selectionBounds,
  setItemProperties,
  setKeyframe,
  setTrackFlags,
  toggleSelected,
  updateMarker,
} from '../../../src/timeline/index.js';
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

test('add transition between butt-joined clips, validated against the catalog, capped at the shorter clip', () => {
  const d = doc({
    tracks: [
      {
        id: 'v',
        kind: 'video',
        clips: [clip('a', 0, 0, 3000), clip('b', 3000, 0, 800), clip('c', 5000, 0, 100)],
      },
    ],
  });
  const r = addTransition(d, {
    from_clip_id: 'a',
    to_clip_id: 'b',
    type: 'wipe_left',
    duration_ms: 2000,
    catalog: TRANSITIONS,
  });
  assertValid(r.doc);
  assert.equal(r.transition_id, 'tr_a');
  assert.equal(r.duration_ms, 800);
  assert.equal(r.clamped, true);
  const details = assertCode(
    () =>
      addTransition(d, {
        from_clip_id: 'a',
        to_clip_id: 'b',
        type: 'star_wipe',
        duration_ms: 500,
        catalog: TRANSITIONS,
      }),
    'UNKNOWN_TRANSITION',
  );
  assert.ok((details.valid as string[]).includes('crossfade'));
  assertCode(
    () =>
      addTransition(d, {
        from_clip_id: 'b',
        to_clip_id: 'c',
        type: 'crossfade',
        duration_ms: 50,
        catalog: TRANSITIONS,
      }),
    'EDIT_NOT_APPLICABLE',
    'not_butt_joined',
  );
  // Replacing the transition at a cut keeps its id; removing it works; removing again is not found.
  const again = addTransition(r.doc, {
    from_clip_id: 'a',
    to_clip_id: 'b',
    type: 'crossfade',
    duration_ms: 300,
    catalog: ['crossfade'],
  });
  assert.equal(again.replaced_id, 'tr_a');
  assert.deepEqual(
    transitionsOf(again.doc, 'v').map((t) => [t.id, t.type, t.duration_ms]),
    [['tr_a', 'crossfade', 300]],
  );
  const removed = removeTransition(again.doc, { transition_id: 'tr_a' });
  assert.equal(transitionsOf(removed.doc, 'v').length, 0);
  assertCode(() => removeTransition(removed.doc, { transition_id: 'tr_a' }), 'EDIT_TARGET_NOT_FOUND');
});

test('copy/paste gives fresh deterministic ids and carries transitions between copied clips', () => {
  const d = twoClips();
  const cb = copyItems(d, { item_ids: ['a', 'b'] });
  assert.equal(cb.transitions.length, 1);
  const r = pasteItems(d, { clipboard: JSON.parse(JSON.stringify(cb)), at_ms: 10_000 });
  assertValid(r.doc);
  assert.deepEqual(r.id_map, { a: 'a_2', b: 'b_2', x: 'x_2' });
  assert.deepEqual(
    clipsOf(r.doc, 'v1').map((c) => [c.id, c.start_ms]),
    [
      ['a', 0],
      ['b', 4000],
      ['a_2', 10_000],
      ['b_2', 14_000],
    ],
  );
  assert.deepEqual(transitionsOf(r.doc, 'v1')[1], {
    ...transitionsOf(d, 'v1')[0],
    id: 'x_2',
    from_clip_id: 'a_2',
    to_clip_id: 'b_2',
  });
  const r2 = pasteItems(d, { clipboard: cb, at_ms: 10_000 });
  assert.equal(JSON.stringify(r2.doc), JSON.stringify(r.doc));
  // Pasting on top of existing clips is refused; a text layer cannot paste onto a video track.
  assertCode(() => pasteItems(d, { clipboard: cb, at_ms: 1000 }), 'EDIT_OVERLAP');
  const tb = copyItems(d, { item_ids: ['title'] });
  assertCode(
    () => pasteItems(d, { clipboard: tb, at_ms: 0, track_id: 'v1' }),
    'EDIT_NOT_APPLICABLE',
    'incompatible_track',
  );
  const t = pasteItems(d, { clipboard: tb, at_ms: 3000 });
  assert.deepEqual(
    itemsOf(t.doc, 't1').map((i) => [i.id, i.start_ms]),
    [
      ['title', 500],
      ['title_2', 3000],
    ],
  );
});

test('add clip, text layer, caption track and tracks parse through the schema', () => {
  const d = twoClips();
  const c = addClip(d, {
    track_id: 'v1',
    clip: { asset_id: 'src', start_ms: 8000, out_ms: 1000 },
    media: MEDIA,
  });
  assertValid(c.doc);
  assert.equal(c.clip_id, 'clip_src');
  assert.equal(clipsOf(c.doc, 'v1')[2]!.volume, 1, 'defaults are filled');
  assertCode(
    () => addClip(d, { track_id: 'v1', clip: { asset_id: 'src', start_ms: 7000, out_ms: 1000 } }),
    'EDIT_OVERLAP',
  );
  assertCode(
    () => addClip(d, { track_id: 'v1', clip: { asset_id: 'song', start_ms: 9000 }, media: MEDIA }),
    'EDIT_NOT_APPLICABLE',
    'incompatible_track',
  );
  const bad = assertCode(
    () => addClip(d, { track_id: 'v1', clip: { asset_id: 'src', start_ms: 9000, volume: 9 } }),
    'VALIDATION_FAILED',
  );
  assert.equal((bad.issues as Array<{ path: string }>)[0]!.path, 'tracks[0].clips[2].volume');

  const t = addTextLayer(d, { layer: { start_ms: 100, duration_ms: 900, text: "It's 50% off: [x]; $HOME" } });
  assertValid(t.doc);
  assert.equal(t.track_id, 't1');
  assert.equal(t.layer_id, 'text');
  const noText = doc({ tracks: [] });
  const t2 = addTextLayer(noText, { layer: { start_ms: 0, duration_ms: 100, text: 'x' } });
  assertValid(t2.doc);
  assert.deepEqual(
    t2.doc.tracks.map((x) => [x.id, x.kind]),
    [['text', 'text']],
  );

  const cap = addCaptionTrack(d, { caption: { transcript_artifact_id: 'art_9', style: 'karaoke' } });
  assertValid(cap.doc);
  assert.equal(cap.doc.tracks.at(-1)!.kind, 'caption');
  assert.equal(itemsOf(cap.doc, cap.track_id)[0]!.id, 'cap_art_9');
  assertCode(
    () => addCaptionTrack(d, { caption: { transcript_artifact_id: 'art_9', style: 'loud' as 'clean' } }),
    'VALIDATION_FAILED',
  );

  const o = addTrack(d, { kind: 'overlay', index: 1 });
  assertValid(o.doc);
  assert.deepEqual(
    o.doc.tracks.map((x) => x.id),
    ['v1', 'overlay', 'a1', 't1'],
  );
  assert.deepEqual(removeTrack(o.doc, { track_id: 'overlay' }).doc, d);
});

test('set clip properties through the schema; errors carry the document path', () => {
  const d = twoClips();
  const r = setItemProperties(d, {
    item_id: 'a',
    props: { volume: 0.5, opacity: 0.25, transform: { scale: 0.5 }, fit: 'fill' },
  });
  assertValid(r.doc);
  const a = clipsOf(r.doc, 'v1')[0]!;
  assert.deepEqual(
    [a.volume, a.opacity, a.transform.scale, a.transform.position_x, a.fit],
    [0.5, 0.25, 0.5, 0.5, 'fill'],
  );
  const unset = setItemProperties(r.doc, { item_id: 'a', props: { fit: null } });
  assert.equal(clipsOf(unset.doc, 'v1')[0]!.fit, undefined);
  const bad = assertCode(
    () => setItemProperties(d, { item_id: 'b', props: { opacity: 2 } }),
    'VALIDATION_FAILED',
  );
  assert.equal((bad.issues as Array<{ path: string }>)[0]!.path, 'tracks[0].clips[1].opacity');
  // Slowing "a" down makes it overlap "b".
  assertCode(() => setItemProperties(d, { item_id: 'a', props: { speed: 0.5 } }), 'EDIT_OVERLAP');
  // Fades longer than the clip are inconsistent.
  assertCode(
    () => setItemProperties(d, { item_id: 'a', props: { audio_fade_in_ms: 3000, audio_fade_out_ms: 3000 } }),
    'TIMELINE_INVALID',
  );
  assertCode(
    () => setItemProperties(d, { item_id: 'a', props: { id: 'zz' } }),
    'EDIT_NOT_APPLICABLE',
    'id_immutable',
  );
  // Speeding "a" up shortens it: its cut with "b" opens and the transition goes.
  const fast = setItemProperties(d, { item_id: 'a', props: { speed: 2 } });
  assert.deepEqual(fast.removed_transitions, ['x']);
  assertValid(fast.doc);
  const text = setItemProperties(d, { item_id: 'title', props: { color: '#FF0000', font: { size: 96 } } });
  assertValid(text.doc);
  assertCode(() => setItemProperties(d, { item_id: 'title', props: { color: 'red' } }), 'VALIDATION_FAILED');
});

test('keyframes: set inserts sorted or replaces, checks ranges and clip length; remove drops empty automation', () => {
  const d = twoClips();
  let r = setKeyframe(d, { clip_id: 'a', param: 'opacity', t_ms: 2000, value: 1 });
  r = setKeyframe(r.doc, { clip_id: 'a', param: 'opacity', t_ms: 0, value: 0, easing: 'ease_in' });
  r = setKeyframe(r.doc, { clip_id: 'a', param: 'opacity', t_ms: 2000, value: 0.8 });
  assertValid(r.doc);
  assert.deepEqual(clipsOf(r.doc, 'v1')[0]!.automation, [
    {
      param: 'opacity',
      keyframes: [
        { t_ms: 0, value: 0, easing: 'ease_in' },
        { t_ms: 2000, value: 0.8, easing: 'linear' },
      ],
    },
  ]);
  assertCode(
    () => setKeyframe(d, { clip_id: 'a', param: 'opacity', t_ms: 0, value: 3 }),
    'VALIDATION_FAILED',
  );
  assertCode(() => setKeyframe(d, { clip_id: 'a', param: 'bogus', t_ms: 0, value: 1 }), 'VALIDATION_FAILED');
  assertCode(
    () => setKeyframe(d, { clip_id: 'a', param: 'volume', t_ms: 4001, value: 1 }),
    'EDIT_NOT_APPLICABLE',
    'keyframe_outside',
  );
  // A filter param needs a filter with that id on the clip.
  assertCode(
    () => setKeyframe(d, { clip_id: 'a', param: 'filter:f1.amount', t_ms: 0, value: 1 }),
    'EDIT_TARGET_NOT_FOUND',
  );
  let g = setItemProperties(d, {
    item_id: 'a',
    props: { filters: [{ id: 'f1', type: 'brightness', params: { amount: 0 } }] },
  }).doc;
  g = setKeyframe(g, { clip_id: 'a', param: 'filter:f1.amount', t_ms: 100, value: 0.3 }).doc;
  assertValid(g);
  const one = removeKeyframe(r.doc, { clip_id: 'a', param: 'opacity', t_ms: 0 });
  assert.equal(clipsOf(one.doc, 'v1')[0]!.automation[0]!.keyframes.length, 1);
  const none = removeKeyframe(one.doc, { clip_id: 'a', param: 'opacity', t_ms: 2000 });
  assert.deepEqual(clipsOf(none.doc, 'v1')[0]!.automation, []);
  assertCode(
    () => removeKeyframe(none.doc, { clip_id: 'a', param: 'opacity', t_ms: 2000 }),
    'EDIT_TARGET_NOT_FOUND',
  );
});

test('track mute/hide/lock; a locked track refuses every edit until unlocked', () => {
  const d = twoClips();
  const locked = setTrackFlags(d, { track_id: 'v1', locked: true, hidden: true, muted: true }).doc;
  assertValid(locked);
  const v1 = locked.tracks[0]!;
  assert.deepEqual([v1.locked, 'hidden' in v1 && v1.hidden, 'muted' in v1 && v1.muted], [true, true, true]);
  const refused: Array<() => unknown> = [
    () => setItemProperties(locked, { item_id: 'a', props: { volume: 0.1 } }),
    () => setKeyframe(locked, { clip_id: 'a', param: 'opacity', t_ms: 0, value: 1 }),
    () =>
      addTransition(locked, {
        from_clip_id: 'a',
        to_clip_id: 'b',
        type: 'crossfade',
        duration_ms: 100,
        catalog: TRANSITIONS,
      }),
    () => removeTransition(locked, { transition_id: 'x' }),
    () => addClip(locked, { track_id: 'v1', clip: { asset_id: 'src', start_ms: 9000, out_ms: 100 } }),
    () => removeTrack(locked, { track_id: 'v1' }),
    () => pasteItems(locked, { clipboard: copyItems(locked, { item_ids: ['a'] }), at_ms: 20_000 }),
  ];
  for (const fn of refused) assertCode(fn, 'TRACK_LOCKED');
  const unlocked = setTrackFlags(locked, { track_id: 'v1', locked: false }).doc;
  assertValid(setItemProperties(unlocked, { item_id: 'a', props: { volume: 0.1 } }).doc);
  assertCode(
    () => setTrackFlags(d, { track_id: 'a1', hidden: true }),
    'EDIT_NOT_APPLICABLE',
    'flag_not_supported',
  );
  assertCode(
    () => setTrackFlags(d, { track_id: 't1', muted: true }),
    'EDIT_NOT_APPLICABLE',
    'flag_not_supported',
  );
  assertCode(() => setTrackFlags(d, { track_id: 'a1', volume: 7 }), 'VALIDATION_FAILED');
  assertCode(() => setTrackFlags(d, { track_id: 'nope', locked: true }), 'EDIT_TARGET_NOT_FOUND');
});

test('markers: add (sorted, fresh ids), update, remove', () => {
  let d = twoClips();
  const m1 = addMarker(d, { time_ms: 5000, label: 'chorus' });
  const m2 = addMarker(m1.doc, { time_ms: 1000 });
  d = m2.doc;
  assertValid(d);
  assert.deepEqual([m1.marker_id, m2.marker_id], ['marker', 'marker_2']);
  assert.deepEqual(
    d.markers!.map((m) => [m.id, m.time_ms, m.label]),
    [
      ['marker_2', 1000, ''],
      ['marker', 5000, 'chorus'],
    ],
  );
  d = updateMarker(d, { marker_id: 'marker', time_ms: 100 }).doc;
  assert.deepEqual(
    d.markers!.map((m) => m.id),
    ['marker', 'marker_2'],
  );
  assertCode(() => updateMarker(d, { marker_id: 'marker', time_ms: -1 }), 'VALIDATION_FAILED');
  d = removeMarker(d, { marker_id: 'marker' }).doc;
  assert.deepEqual(
    d.markers!.map((m) => m.id),
    ['marker_2'],
  );
  assertCode(() => removeMarker(d, { marker_id: 'marker' }), 'EDIT_TARGET_NOT_FOUND');
});

test('selection helpers', () => {
  const d = twoClips();
  assert.deepEqual(selectInRange(d, { start_ms: 3000, end_ms: 4500 }), ['a', 'b', 'music']);
  assert.deepEqual(selectInRange(d, { start_ms: 3000, end_ms: 4500, track_ids: ['v1'], add_to: ['title'] }), [
    'a',
    'b',
    'title',
  ]);
  assert.deepEqual(toggleSelected(['b'], 'a'), ['a', 'b']);
  assert.deepEqual(toggleSelected(['a', 'b'], 'a'), ['b']);
  assert.deepEqual(selectAfter(d, { from_ms: 500 }), ['b', 'title']);
  assert.deepEqual(pruneSelection(d, ['a', 'gone']), ['a']);
  assert.deepEqual(selectionBounds(d, ['b', 'title']), { start_ms: 500, end_ms: 8000 });
  assert.equal(selectionBounds(d, []), undefined);
});
