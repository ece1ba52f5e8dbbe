import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isCutroomError } from '../../src/errors.js';
import {
  checkTimeline,
  clipTimelineDurationMs,
  parseTimeline,
  TimelineSchema,
  type TimelineInput,
} from '../../src/timeline/index.js';

function videoTrack(clips: unknown[], transitions: unknown[] = []): TimelineInput {
  return { tracks: [{ id: 'v', kind: 'video', clips, transitions }] } as TimelineInput;
}

function issuesOf(fn: () => unknown): Array<{ path: string; message: string }> {
  try {
    fn();
  } catch (err) {
    assert.ok(isCutroomError(err), `expected a coded error, got ${String(err)}`);
    return (err.details.issues as Array<{ path: string; message: string }>) ?? [];
  }
  assert.fail('expected an error');
}

test('defaults fill a minimal clip', () => {
  const t = parseTimeline(videoTrack([{ id: 'a', asset_id: 'ast_1', start_ms: 0, out_ms: 1000 }]));
  const track = t.tracks[0]!;
  assert.equal(track.kind, 'video');
  if (track.kind !== 'video') return;
  const clip = track.clips[0]!;
  assert.equal(clip.speed, 1);
  assert.equal(clip.in_ms, 0);
  assert.deepEqual(clip.transform, { position_x: 0.5, position_y: 0.5, scale: 1, rotation_deg: 0 });
  assert.equal(t.background, '#000000');
});

test('wrong types and negative times: every problem is reported with its full path', () => {
  const issues = issuesOf(() =>
    parseTimeline(
      videoTrack([
        { id: 'a', asset_id: 'ast_1', start_ms: -5, out_ms: 'x' },
        { id: 'b', asset_id: 'ast_1', start_ms: 0, speed: 9 },
      ]),
    ),
  );
  const paths = issues.map((i) => i.path).sort();
  assert.deepEqual(paths, [
    'tracks[0].clips[0].out_ms',
    'tracks[0].clips[0].start_ms',
    'tracks[0].clips[1].speed',
  ]);
});

test('fractional milliseconds are rejected (time is integer ms)', () => {
  const issues = issuesOf(() =>
    parseTimeline(videoTrack([{ id: 'a', asset_id: 'x', start_ms: 1.5, out_ms: 100 }])),
  );
  assert.deepEqual(
    issues.map((i) => i.path),
    ['tracks[0].clips[0].start_ms'],
  );
});

test('overlapping clips on one track are inconsistent', () => {
  const issues = issuesOf(() =>
    parseTimeline(
      videoTrack([
        { id: 'a', asset_id: 'x', start_ms: 0, out_ms: 2000 },
        { id: 'b', asset_id: 'x', start_ms: 1500, out_ms: 1000 },
      ]),
    ),
  );
  assert.equal(issues.length, 1);
  assert.equal(issues[0]!.path, 'tracks[0].clips[1].start_ms');
  assert.match(issues[0]!.message, /overlaps clip "a"/);
});

test('a transition needs butt-joined clips of its own track', () => {
  const issues = issuesOf(() =>
    parseTimeline(
      videoTrack(
        [
          { id: 'a', asset_id: 'x', start_ms: 0, out_ms: 2000 },
          { id: 'b', asset_id: 'x', start_ms: 2500, out_ms: 1000 },
        ],
        [
          { id: 't1', type: 'crossfade', from_clip_id: 'a', to_clip_id: 'b', duration_ms: 500 },
          { id: 't2', type: 'crossfade', from_clip_id: 'a', to_clip_id: 'zz', duration_ms: 500 },
        ],
      ),
    ),
  );
  assert.deepEqual(issues.map((i) => i.path).sort(), [
    'tracks[0].transitions[0].to_clip_id',
    'tracks[0].transitions[1].to_clip_id',
  ]);
});

test('duplicate ids, bad automation references and decreasing keyframes are all reported', () => {
  const issues = issuesOf(() =>
    parseTimeline(
      videoTrack([
        {
          id: 'a',
          asset_id: 'x',
          start_ms: 0,
          out_ms: 1000,
          filters: [{ id: 'f', type: 'blur' }],
          automation: [
            { param: 'filter:nope.sigma', keyframes: [{ t_ms: 0, value: 1 }] },
            {
              param: 'opacity',
              keyframes: [
                { t_ms: 500, value: 1 },
                { t_ms: 100, value: 0 },
              ],
            },
          ],
        },
        { id: 'a', asset_id: 'x', start_ms: 1000, out_ms: 1000 },
      ]),
    ),
  );
  const paths = issues.map((i) => i.path).sort();
  assert.deepEqual(paths, [
    'tracks[0].clips[0].automation[0].param',
    'tracks[0].clips[0].automation[1].keyframes[1].t_ms',
    'tracks[0].clips[1].id',
  ]);
});

test('10 000 clips validate (limits are data, not crashes)', () => {
  const clips = Array.from({ length: 10_000 }, (_, i) => ({
    id: `c${i}`,
    asset_id: 'x',
    start_ms: i * 100,
    out_ms: 100,
  }));
  const t = parseTimeline(videoTrack(clips));
  assert.equal(t.tracks[0]!.kind === 'video' ? t.tracks[0]!.clips.length : 0, 10_000);
});

test('clip length on the timeline accounts for speed and stills', () => {
  const t = TimelineSchema.parse(
    videoTrack([{ id: 'a', asset_id: 'x', start_ms: 0, in_ms: 1000, out_ms: 5000, speed: 2 }]),
  );
  const track = t.tracks[0]!;
  if (track.kind !== 'video') assert.fail();
  assert.equal(clipTimelineDurationMs(track.clips[0]!), 2000);
  assert.equal(clipTimelineDurationMs({ ...track.clips[0]!, out_ms: undefined }, 9000), 4000);
  assert.equal(clipTimelineDurationMs({ ...track.clips[0]!, duration_ms: 1234 }), 1234);
  assert.deepEqual(checkTimeline(t), []);
});

test('hostile strings in text layers are accepted as data (rendering escapes them)', () => {
  const text = `it's "quoted": 50% {\\b1} %{pts} [x];y, back\\slash\nline 2 🎬 مرحبا`;
  const t = parseTimeline({
    tracks: [{ id: 't', kind: 'text', items: [{ id: 'x', start_ms: 0, duration_ms: 1000, text }] }],
  });
  const track = t.tracks[0]!;
  assert.equal(track.kind === 'text' ? track.items[0]!.text : '', text);
});
