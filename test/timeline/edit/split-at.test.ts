import { test } from 'node:test';
import assert from 'node:assert/strict';
import { splitAt } from '../../../src/timeline/index.js';
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

test('split cuts source times so the picture continues, and keeps the pieces butt-joined', () => {
  const d = twoClips();
  const r = splitAt(d, { item_id: 'a', at_ms: 1500 });
  assertValid(r.doc);
  const clips = clipsOf(r.doc, 'v1');
  assert.deepEqual(
    clips.map((c) => [c.id, c.start_ms, c.in_ms, c.out_ms]),
    [
      ['a', 0, 1000, 2500],
      ['a_2', 1500, 2500, 5000],
      ['b', 4000, 2000, 6000],
    ],
  );
  assert.equal(r.right_id, 'a_2');
  assert.equal(r.cut_ms, 1500);
  // The outgoing transition moves to the right piece; the input is untouched (frozen).
  assert.equal(transitionsOf(r.doc, 'v1')[0]!.from_clip_id, 'a_2');
  assert.equal(transitionsOf(d, 'v1')[0]!.from_clip_id, 'a');
  // Untouched tracks are shared, not copied.
  assert.equal(r.doc.tracks[1], d.tracks[1]);
});

test('split inside the incoming transition window shortens the transition to end at the split point', () => {
  // Crossfade of 1000 ms centred on the cut at 4000 reaches 500 ms into "b"; split "b" at 4200.
  const r = splitAt(twoClips(), { item_id: 'b', at_ms: 4200 });
  assertValid(r.doc);
  assert.deepEqual(r.adjusted_transitions, [{ id: 'x', from_duration_ms: 1000, to_duration_ms: 400 }]);
  const [tr] = transitionsOf(r.doc, 'v1');
  assert.equal(tr!.to_clip_id, 'b');
  assert.equal(tr!.duration_ms, 400);
  assert.equal(4000 + tr!.duration_ms / 2, r.cut_ms, 'the window ends exactly at the new cut');
});

test('split inside the outgoing transition window shortens the transition on the right piece', () => {
  const r = splitAt(twoClips(), { item_id: 'a', at_ms: 3700 });
  assertValid(r.doc);
  assert.deepEqual(r.adjusted_transitions, [{ id: 'x', from_duration_ms: 1000, to_duration_ms: 600 }]);
  assert.equal(transitionsOf(r.doc, 'v1')[0]!.from_clip_id, 'a_2');
});

test('split outside the transition window leaves it alone', () => {
  const r = splitAt(twoClips(), { item_id: 'b', at_ms: 4600 });
  assert.deepEqual(r.adjusted_transitions, []);
  assert.equal(transitionsOf(r.doc, 'v1')[0]!.duration_ms, 1000);
});

test('split at speed 2 cuts the source at twice the timeline offset; fades go to the outer pieces', () => {
  const d = doc({
    tracks: [
      {
        id: 'v',
        kind: 'video',
        clips: [clip('s', 1000, 0, 8000, { speed: 2, audio_fade_in_ms: 300, audio_fade_out_ms: 500 })],
      },
    ],
  });
  const r = splitAt(d, { item_id: 's', at_ms: 3000 });
  assertValid(r.doc);
  const [l, rt] = clipsOf(r.doc, 'v');
  assert.equal(l!.out_ms, 4000);
  assert.equal(rt!.in_ms, 4000);
  assert.equal(rt!.start_ms, 3000);
  assert.deepEqual(
    [l!.audio_fade_in_ms, l!.audio_fade_out_ms, rt!.audio_fade_in_ms, rt!.audio_fade_out_ms],
    [300, 0, 0, 500],
  );
});

test('split of a reversed clip gives the left piece the end of the source range', () => {
  const d = doc({
    tracks: [{ id: 'v', kind: 'video', clips: [clip('r', 0, 1000, 5000, { reverse: true })] }],
  });
  const r = splitAt(d, { item_id: 'r', at_ms: 1000 });
  assertValid(r.doc);
  const [l, rt] = clipsOf(r.doc, 'v');
  assert.deepEqual([l!.in_ms, l!.out_ms], [4000, 5000]);
  assert.deepEqual([rt!.in_ms, rt!.out_ms], [1000, 4000]);
});

test('split of a still cuts only its duration; a clip without out_ms needs media info', () => {
  const d = doc({
    tracks: [
      {
        id: 'v',
        kind: 'video',
        clips: [
          { id: 'img', asset_id: 'png', start_ms: 0, duration_ms: 3000 },
          { id: 'open', asset_id: 'src', start_ms: 3000 },
        ],
      },
    ],
  });
  const r = splitAt(d, { item_id: 'img', at_ms: 1000 });
  assertValid(r.doc);
  assert.deepEqual(
    clipsOf(r.doc, 'v')
      .slice(0, 2)
      .map((c) => [c.start_ms, c.duration_ms, c.out_ms]),
    [
      [0, 1000, undefined],
      [1000, 2000, undefined],
    ],
  );
  assertCode(() => splitAt(d, { item_id: 'open', at_ms: 4000 }), 'EDIT_NOT_APPLICABLE', 'length_unknown');
  const withMedia = splitAt(d, { item_id: 'open', at_ms: 4000, media: MEDIA });
  assertValid(withMedia.doc);
  assert.equal(clipsOf(withMedia.doc, 'v')[1]!.out_ms, 1000);
  assert.equal(
    clipsOf(withMedia.doc, 'v')[2]!.out_ms,
    undefined,
    'the right piece still runs to the asset end',
  );
});

test('split keeps automation continuous with a keyframe at the cut', () => {
  const d = doc({
    tracks: [
      {
        id: 'v',
        kind: 'video',
        clips: [
          clip('k', 0, 0, 4000, {
            automation: [
              {
                param: 'opacity',
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
  const r = splitAt(d, { item_id: 'k', at_ms: 1000 });
  assertValid(r.doc);
  const [l, rt] = clipsOf(r.doc, 'v');
  assert.deepEqual(
    l!.automation[0]!.keyframes.map((k) => [k.t_ms, k.value]),
    [
      [0, 0],
      [1000, 0.5],
    ],
  );
  assert.deepEqual(
    rt!.automation[0]!.keyframes.map((k) => [k.t_ms, k.value]),
    [
      [0, 0.5],
      [1000, 1],
    ],
  );
});

test('split of a text layer splits its animation; captions and outside points are refused', () => {
  const d = doc({
    tracks: [
      {
        id: 't',
        kind: 'text',
        items: [
          { id: 'title', start_ms: 0, duration_ms: 2000, text: 'Hi', animation: { in: 'fade', out: 'pop' } },
        ],
      },
      { id: 'c', kind: 'caption', items: [{ id: 'cap', transcript_artifact_id: 'art_1' }] },
    ],
  });
  const r = splitAt(d, { item_id: 'title', at_ms: 500 });
  assertValid(r.doc);
  const items = itemsOf(r.doc, 't') as Array<{
    start_ms: number;
    duration_ms: number;
    animation: { in: string; out: string };
  }>;
  assert.deepEqual(
    items.map((i) => [i.start_ms, i.duration_ms, i.animation.in, i.animation.out]),
    [
      [0, 500, 'fade', 'none'],
      [500, 1500, 'none', 'pop'],
    ],
  );
  assertCode(
    () => splitAt(d, { item_id: 'cap', at_ms: 10 }),
    'EDIT_NOT_APPLICABLE',
    'caption_not_splittable',
  );
  assertCode(() => splitAt(d, { item_id: 'title', at_ms: 2000 }), 'EDIT_NOT_APPLICABLE', 'split_outside');
  assertCode(() => splitAt(d, { item_id: 'title', at_ms: 0 }), 'EDIT_NOT_APPLICABLE', 'split_outside');
  assertCode(() => splitAt(d, { item_id: 'nope', at_ms: 10 }), 'EDIT_TARGET_NOT_FOUND');
  assertCode(
    () => splitAt(d, { item_id: 'title', at_ms: 100, new_id: 'cap' }),
    'EDIT_NOT_APPLICABLE',
    'id_taken',
  );
});

test('fresh ids skip taken ones deterministically', () => {
  const d = doc({
    tracks: [{ id: 'v', kind: 'video', clips: [clip('a', 0, 0, 4000), clip('a_2', 4000, 0, 1000)] }],
  });
  const r1 = splitAt(d, { item_id: 'a', at_ms: 1000 });
  const r2 = splitAt(d, { item_id: 'a', at_ms: 1000 });
  assert.equal(r1.right_id, 'a_3');
  assert.equal(JSON.stringify(r1.doc), JSON.stringify(r2.doc));
});
