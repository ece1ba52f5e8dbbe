// OpenTimelineIO: cutroom -> OTIO -> cutroom is byte-identical; a hand-written OTIO file (from the published
// schema docs) imports with the listed warnings; bad files fail with coded errors and paths.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { exportOtio, importOtio } from '../../src/interchange/otio.js';
import { isCutroomError } from '../../src/errors.js';
import { SAMPLE_MEDIA, sampleTimeline } from './sample-timeline.js';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

test('cutroom -> OTIO -> cutroom gives the same timeline bytes', () => {
  const timeline = sampleTimeline();
  const out = exportOtio({ timeline, media: SAMPLE_MEDIA, fps: 30 });
  const doc = JSON.parse(out.text);
  assert.equal(doc.OTIO_SCHEMA, 'Timeline.1');
  assert.equal(doc.tracks.children.length, 5);
  const v1 = doc.tracks.children[0];
  assert.equal(v1.kind, 'Video');
  assert.deepEqual(
    v1.children.map((c: { OTIO_SCHEMA: string }) => c.OTIO_SCHEMA),
    ['Clip.2', 'Transition.1', 'Clip.2', 'Gap.1', 'Clip.2', 'Clip.2', 'Gap.1', 'Clip.2', 'Clip.2'],
  );
  // c1 starts at source 500 ms = frame 15 at 30 fps, lasts 4000 ms = 120 frames.
  assert.deepEqual(v1.children[0].source_range.start_time, { OTIO_SCHEMA: 'RationalTime.1', rate: 30, value: 15 });
  assert.equal(v1.children[0].source_range.duration.value, 120);
  assert.equal(v1.children[0].media_references.DEFAULT_MEDIA.target_url, '/media/a.mp4');
  assert.equal(v1.children[1].transition_type, 'SMPTE_Dissolve');
  assert.equal(v1.children[1].in_offset.value + v1.children[1].out_offset.value, 15);
  assert.deepEqual(out.warnings.map((w) => w.path), ['tracks[4]']);

  const back = importOtio({ text: out.text });
  assert.equal(JSON.stringify(back.timeline), JSON.stringify(timeline));
  assert.deepEqual(back.warnings, []);
});

test('an edit made in another tool (trim on the frame grid) wins over the saved milliseconds', () => {
  const timeline = sampleTimeline();
  const doc = JSON.parse(exportOtio({ timeline, media: SAMPLE_MEDIA, fps: 30 }).text);
  // Trim c2 (third child) by 30 frames at the end.
  doc.tracks.children[0].children[2].source_range.duration.value -= 30;
  const back = importOtio({ text: JSON.stringify(doc) });
  const v1 = back.timeline.tracks[0];
  const c2 = v1?.kind === 'video' ? v1.clips.find((c) => c.id === 'c2') : undefined;
  assert.equal(c2?.out_ms, 2000);
  assert.equal(c2?.in_ms, 1000);
});

test('a hand-written OTIO file imports with gaps, transition, time warp and the unmapped parts as warnings', () => {
  const r = importOtio({
    text: fixture('two-tracks-24fps.otio'),
    assets: { 'file:///footage/interview.mov': 'ast_int', 'file:///footage/broll.mov': 'ast_broll', 'file:///footage/music.wav': 'ast_mus' },
  });
  const [v, o, a] = r.timeline.tracks;
  assert.equal(v?.kind, 'video');
  assert.equal(o?.kind, 'overlay');
  assert.equal(a?.kind, 'audio');
  if (v?.kind !== 'video' || a?.kind !== 'audio' || o?.kind !== 'overlay') return;
  // available_range starts at 01:00:00:00 (86400 frames at 24 fps); source_range.start_time is 86424 -> 1000 ms in.
  assert.deepEqual(
    v.clips.map((c) => [c.asset_id, c.start_ms, c.in_ms, c.out_ms]),
    [
      ['ast_int', 0, 1000, 5000],
      ['ast_int', 4000, 10000, 13000],
    ],
  );
  assert.deepEqual(v.transitions.map((t) => [t.type, t.duration_ms, t.from_clip_id, t.to_clip_id]), [['crossfade', 1000, v.clips[0]!.id, v.clips[1]!.id]]);
  assert.deepEqual(o.clips.map((c) => [c.start_ms, c.in_ms, c.out_ms, c.speed]), [[2000, 0, 4000, 2]]);
  assert.equal(a.clips[0]?.out_ms, 7000);
  const paths = r.warnings.map((w) => w.path).sort();
  assert.deepEqual(paths, [
    'tracks.children[0].children[0].markers[0]',
    'tracks.children[0].children[0].metadata.resolve',
    'tracks.children[1].children[1].effects[1]',
  ]);
  assert.ok(r.warnings.every((w) => w.code === 'INTERCHANGE_UNMAPPED'));
});

test('bad OTIO: unmapped media, unknown schema version, fractional frames, malformed JSON, deep nesting', () => {
  const text = fixture('two-tracks-24fps.otio');
  assert.throws(() => importOtio({ text, assets: {} }), (err: unknown) => {
    assert.ok(isCutroomError(err, 'INTERCHANGE_MEDIA_UNMAPPED'));
    const refs = (err.details.issues as Array<{ reference: string; path: string }>).map((i) => i.reference);
    assert.ok(refs.includes('file:///footage/interview.mov'));
    assert.ok(refs.includes('file:///footage/music.wav'));
    return true;
  });
  const traversal = text.replace('file:///footage/music.wav', '../../etc/passwd');
  assert.throws(
    () => importOtio({ text: traversal, assets: { 'file:///footage/interview.mov': 'a', 'file:///footage/broll.mov': 'b' } }),
    (err: unknown) => isCutroomError(err, 'INTERCHANGE_MEDIA_UNMAPPED') && JSON.stringify(err.details).includes('../../etc/passwd'),
  );
  assert.throws(() => importOtio({ text: text.replace('"Clip.2"', '"Clip.7"') }), (err: unknown) => isCutroomError(err, 'INTERCHANGE_UNSUPPORTED_VERSION') && err.details.found === 'Clip.7');
  const all = { 'file:///footage/interview.mov': 'a', 'file:///footage/broll.mov': 'b', 'file:///footage/music.wav': 'm' };
  assert.throws(() => importOtio({ text: text.replace('"value": 96,', '"value": 96.5,'), assets: all }), (err: unknown) => {
    assert.ok(isCutroomError(err, 'INTERCHANGE_INVALID'));
    assert.match(JSON.stringify(err.details.issues), /not a whole number of frames/);
    return true;
  });
  assert.throws(() => importOtio({ text: text.slice(0, 200) }), (err: unknown) => isCutroomError(err, 'INTERCHANGE_PARSE_FAILED') && typeof err.details.line === 'number');
  let deep = '{"OTIO_SCHEMA":"Timeline.1","tracks":{"OTIO_SCHEMA":"Stack.1","children":[';
  for (let i = 0; i < 200; i++) deep += '{"OTIO_SCHEMA":"Stack.1","children":[';
  deep += ']}'.repeat(200) + ']}}';
  assert.throws(() => importOtio({ text: deep }), (err: unknown) => isCutroomError(err, 'INTERCHANGE_TOO_LARGE'));
  const many = { OTIO_SCHEMA: 'Timeline.1', tracks: { OTIO_SCHEMA: 'Stack.1', children: [{ OTIO_SCHEMA: 'Track.1', kind: 'Video', children: Array.from({ length: 100_000 }, () => ({ OTIO_SCHEMA: 'Gap.1', source_range: { OTIO_SCHEMA: 'TimeRange.1', start_time: { OTIO_SCHEMA: 'RationalTime.1', value: 0, rate: 24 }, duration: { OTIO_SCHEMA: 'RationalTime.1', value: 1, rate: 24 } } })) }] } };
  assert.throws(() => importOtio({ text: JSON.stringify(many) }), (err: unknown) => isCutroomError(err, 'INTERCHANGE_TOO_LARGE'));
});
