// Pure planning of edits by transcript and by pauses: exact cut frames, errors naming the field, determinism.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { TranscriptWord } from '../../../src/plan/captions/transcript.js';
import {
  alignEditedText,
  cutFrameInGap,
  editTimeline,
  findFillers,
  indexRuns,
  planSilenceRemoval,
  planWordCuts,
  quietestPoint,
  shiftTranscript,
  SILENCE_PRESETS,
  WORD_GUARD_MS,
} from '../../../src/plan/transcript-edit/index.js';
import { parseTimeline } from '../../../src/timeline/index.js';

const FPS = { num: 30, den: 1 };
const w = (word: string, start_ms: number, end_ms: number): TranscriptWord => ({ word, start_ms, end_ms, confidence: 0.9 });
// "the quick um brown fox jumps over" with gaps of 200 ms; the quietest point of each gap is placed on purpose.
const WORDS = [
  w('The', 100, 400),
  w('quick', 600, 900),
  w('um', 1100, 1300),
  w('brown', 1500, 1800),
  w('fox', 2000, 2300),
  w('jumps', 2500, 2900),
  w('over.', 3100, 3500),
];
const DURATION = 4000;
/** 5 ms levels: -20 dB in words, -50 dB in gaps, and -70 dB dips at chosen times. */
function envelope(dips: number[]): { step_ms: number; levels: number[] } {
  const levels: number[] = Array.from({ length: DURATION / 5 }, (_, i) => {
    const t = i * 5 + 2.5;
    return WORDS.some((x) => t >= x.start_ms && t < x.end_ms) ? -20 : -50;
  });
  for (const d of dips) levels[Math.floor(d / 5)] = -70;
  return { step_ms: 5, levels };
}

test('fillers: um/uh/erm with punctuation and case, recogniser tokens and a user list; not inside words', () => {
  const words = [w('Um,', 0, 100), w('umbrella', 100, 200), w('[NOISE]', 200, 300), w('uh', 300, 400), w('like', 400, 500), w('ERM', 500, 600)];
  assert.deepEqual(
    findFillers({ words }).map((f) => [f.index, f.kind]),
    [[0, 'list'], [2, 'token'], [3, 'list'], [5, 'list']],
  );
  assert.deepEqual(findFillers({ words, extra: ['Like'] }).map((f) => f.index), [0, 2, 3, 4, 5]);
});

test('edited text aligns back to words: deletions found, case and punctuation ignored, insertions reported', () => {
  const words = WORDS.map((x) => x.word);
  const r = alignEditedText({ words, text: 'the QUICK brown fox, over' });
  assert.deepEqual(r.removed, [2, 5]);
  assert.deepEqual(r.inserted, []);
  assert.deepEqual(indexRuns([2, 3, 4, 9]), [{ start: 2, end: 4 }, { start: 9, end: 9 }]);
  const bad = alignEditedText({ words, text: 'the quick red fox jumps over' });
  assert.deepEqual(bad.inserted, [{ position: 2, token: 'red' }]);
  assert.deepEqual(bad.removed, [2, 3]);
});

test('quietest point and frame snapping stay inside the gap; a sub-frame gap keeps the kept word whole', () => {
  const env = envelope([1412]);
  assert.equal(quietestPoint({ envelope: env, lo: 1300, hi: 1500 }), 1412.5);
  // 1412.5 ms -> frame 42 (1400 ms) is nearer than 43 (1433.3 ms).
  assert.deepEqual(cutFrameInGap({ fps: FPS, lo: 1300, hi: 1500, envelope: env, keep: 'before' }), { frame: 42, inside: true });
  // [1005, 1030] holds no frame start (1000, 1033.3): round up when the word before is kept, down otherwise.
  assert.deepEqual(cutFrameInGap({ fps: FPS, lo: 1005, hi: 1030, keep: 'before' }), { frame: 31, inside: false });
  assert.deepEqual(cutFrameInGap({ fps: FPS, lo: 1005, hi: 1030, keep: 'after' }), { frame: 30, inside: false });
});

test('word cuts land on the quietest frame of each gap; kept spans butt-join; fillers merge with touching ranges', () => {
  const env = envelope([1020, 1905]);
  const { plan, tight_cuts } = planWordCuts({ words: WORDS, durationMs: DURATION, fps: FPS, ranges: [{ start: 3, end: 3 }], fillers: [2], envelope: env });
  assert.equal(tight_cuts, 0);
  // "um brown" goes as one range: from the gap after "quick" (dip 1020 -> frame 31) to the gap after "brown"
  // (dip 1905 -> frame 57).
  assert.equal(plan.removed.length, 1);
  const r = plan.removed[0]!;
  assert.deepEqual([r.start_frame, r.end_frame, r.reason], [31, 57, 'words']);
  assert.deepEqual(r.words, { start: 2, end: 3, text: 'um brown' });
  assert.ok(r.start_ms >= WORDS[1]!.end_ms && r.start_ms <= WORDS[2]!.start_ms);
  assert.ok(r.end_ms >= WORDS[3]!.end_ms && r.end_ms <= WORDS[4]!.start_ms);
  assert.deepEqual(
    plan.kept.map((k) => [k.in_frame, k.out_frame, k.start_frame]),
    [[0, 31, 0], [57, 120, 31]],
  );
  assert.equal(plan.time_saved_ms, 867);
  assert.equal(plan.output_duration_ms, 3133);
  // Deterministic: same input, same plan bytes.
  const again = planWordCuts({ words: WORDS, durationMs: DURATION, fps: FPS, ranges: [{ start: 3, end: 3 }], fillers: [2], envelope: env });
  assert.equal(JSON.stringify(again), JSON.stringify({ plan, tight_cuts }));
});

test('word ranges at the ends extend to the ends of the recording', () => {
  const { plan } = planWordCuts({ words: WORDS, durationMs: DURATION, fps: FPS, ranges: [{ start: 0, end: 0 }, { start: 6, end: 6 }] });
  assert.equal(plan.removed[0]!.start_frame, 0);
  assert.equal(plan.removed[1]!.end_frame, 120);
  assert.equal(plan.kept.length, 1);
});

test('bad word ranges: unknown index, reversed, overlapping, everything removed — coded and naming the field', () => {
  const base = { words: WORDS, durationMs: DURATION, fps: FPS };
  assert.throws(() => planWordCuts({ ...base, ranges: [{ start: 2, end: 7 }] }), (e: { code: string; details: { issues: Array<{ path: string }> } }) => {
    assert.equal(e.code, 'TRANSCRIPT_EDIT_INVALID');
    assert.deepEqual(e.details.issues.map((i) => i.path), ['remove[0].end']);
    return true;
  });
  assert.throws(() => planWordCuts({ ...base, ranges: [{ start: -1, end: 1 }] }), { code: 'TRANSCRIPT_EDIT_INVALID' });
  assert.throws(() => planWordCuts({ ...base, ranges: [{ start: 4, end: 3 }] }), /remove\[0\]\.end: must be ≥ start/);
  assert.throws(
    () => planWordCuts({ ...base, ranges: [{ start: 1, end: 3 }, { start: 5, end: 5 }, { start: 3, end: 4 }] }),
    (e: { code: string; details: { issues: Array<{ path: string; message: string }> } }) => {
      assert.equal(e.code, 'TRANSCRIPT_EDIT_INVALID');
      assert.equal(e.details.issues[0]!.path, 'remove[2]');
      assert.match(e.details.issues[0]!.message, /overlaps remove\[0\]/);
      return true;
    },
  );
  assert.throws(() => planWordCuts({ ...base, ranges: [{ start: 0, end: 6 }] }), { code: 'EDIT_REMOVES_EVERYTHING' });
  // Errors name the field the ranges came from (edited text).
  assert.throws(() => planWordCuts({ ...base, ranges: [{ start: 0, end: 9 }], rangesPath: 'text' }), /text\[0\]\.end/);
});

test('silence removal: pauses over the threshold lose their middle, padding kept, snapped inward to frames', () => {
  const speech = [
    { start_ms: 500, end_ms: 2000 },
    { start_ms: 2400, end_ms: 4000 }, // a 400 ms pause: below the 600 ms threshold, kept
    { start_ms: 6000, end_ms: 9000 }, // a 2 s pause
  ];
  const { min_silence_ms, padding_ms } = SILENCE_PRESETS.natural;
  const r = planSilenceRemoval({ speech, durationMs: 10_000, fps: FPS, min_silence_ms, padding_ms });
  assert.deepEqual(r.pauses, [{ start_ms: 0, end_ms: 500 }, { start_ms: 4000, end_ms: 6000 }, { start_ms: 9000, end_ms: 10_000 }].filter((p) => p.end_ms - p.start_ms > 600));
  // [4120, 5880] -> frames ceil(123.6)=124 .. floor(176.4)=176; trailing [9120, end] -> 274 .. 300.
  assert.deepEqual(r.plan.removed.map((x) => [x.start_frame, x.end_frame, x.reason]), [[124, 176, 'silence'], [274, 300, 'silence']]);
  for (const x of r.plan.removed) {
    assert.ok(x.start_ms >= x.pause!.start_ms + padding_ms || x.pause!.start_ms === 0);
    assert.ok(x.end_ms <= x.pause!.end_ms - padding_ms || x.pause!.end_ms === 10_000);
  }
  assert.equal(r.plan.time_saved_ms, Math.round((52 + 26) * (1000 / 30)));
  const jump = planSilenceRemoval({ speech, durationMs: 10_000, fps: FPS, ...SILENCE_PRESETS.jumpcut });
  assert.ok(jump.plan.time_saved_ms > r.plan.time_saved_ms, 'jumpcut removes more');
});

test('silence removal never touches a word: a word inside a pause splits or shrinks the removed range', () => {
  const speech = [{ start_ms: 0, end_ms: 1000 }, { start_ms: 4000, end_ms: 5000 }];
  const words = [w('hello', 200, 900), w('mumbled', 2400, 2700), w('end', 4100, 4900)];
  const r = planSilenceRemoval({ speech, durationMs: 5000, fps: FPS, min_silence_ms: 600, padding_ms: 120, words });
  assert.equal(r.words_protected, 1);
  assert.equal(r.plan.removed.length, 2);
  for (const x of r.plan.removed)
    for (const word of words) assert.ok(x.end_ms <= word.start_ms - WORD_GUARD_MS || x.start_ms >= word.end_ms + WORD_GUARD_MS, JSON.stringify({ x, word }));
});

test('derived transcript: kept words shift onto the edit clock, removed words are gone', () => {
  const { plan } = planWordCuts({ words: WORDS, durationMs: DURATION, fps: FPS, ranges: [{ start: 2, end: 3 }], envelope: envelope([1020, 1905]) });
  const shifted = shiftTranscript({ transcript: { language: 'en-US', segments: [{ start_ms: 100, end_ms: 3500, text: '', words: WORDS }] }, kept: plan.kept });
  const words = shifted.segments.flatMap((s) => s.words);
  assert.deepEqual(words.map((x) => x.word), ['The', 'quick', 'fox', 'jumps', 'over.']);
  const shift = plan.kept[1]!.start_ms - plan.kept[1]!.in_ms;
  assert.equal(words[2]!.start_ms, 2000 + shift);
  assert.equal(words[0]!.start_ms, 100);
  assert.equal(shifted.segments[0]!.text, 'The quick fox jumps over.');
});

test('edit timeline: butt-joined clips on frame boundaries with join fades, valid, meta records the removal', () => {
  const { plan } = planWordCuts({ words: WORDS, durationMs: DURATION, fps: FPS, ranges: [{ start: 2, end: 3 }], envelope: envelope([1020, 1905]) });
  const doc = editTimeline({ assetId: 'a1', hasVideo: true, plan, crossfadeMs: 20, name: 'x', meta: { assist: 'transcript_edit' } });
  const tl = parseTimeline(doc);
  const track = tl.tracks[0]!;
  assert.equal(track.kind, 'video');
  if (track.kind !== 'video') return;
  assert.deepEqual(track.clips.map((c) => [c.start_ms, c.in_ms, c.out_ms, c.audio_fade_in_ms, c.audio_fade_out_ms]), [
    [0, 0, 1033, 0, 10],
    [1033, 1900, 4000, 10, 0],
  ]);
  assert.equal(tl.duration_ms, plan.output_duration_ms);
  const meta = tl.meta as { time_saved_ms: number; removed: Array<{ reason: string }> };
  assert.equal(meta.time_saved_ms, plan.time_saved_ms);
  assert.deepEqual(meta.removed.map((m) => m.reason), ['words']);
  const audioOnly = editTimeline({ assetId: 'a1', hasVideo: false, plan, name: 'x', meta: {}, captionsArtifactId: 'art_1' });
  assert.deepEqual(audioOnly.tracks!.map((t) => t.kind), ['audio', 'caption']);
});

test('many cuts on 30 and 29.97 fps grids: every clip ends exactly where the next starts (no 1 ms rounding overlap)', () => {
  // Word times that fall on every phase of the frame grid (found by the silence-removal bench: ms rounded per
  // source frame made clips overlap their neighbour by 1 ms, and the timeline was refused).
  const words = Array.from({ length: 300 }, (_, i) => w(`w${i}`, i * 517 + 37, i * 517 + 377));
  const durationMs = 300 * 517 + 200;
  const ranges = Array.from({ length: 100 }, (_, i) => ({ start: i * 3 + 1, end: i * 3 + 1 }));
  for (const fps of [FPS, { num: 30000, den: 1001 }]) {
    const { plan } = planWordCuts({ words, durationMs, fps, ranges });
    const tl = parseTimeline(editTimeline({ assetId: 'a1', hasVideo: true, plan, name: 'x', meta: {} }));
    const track = tl.tracks[0]!;
    if (track.kind !== 'video') throw new Error('video track expected');
    assert.equal(track.clips.length, 101);
    track.clips.forEach((c, i) => {
      const next = track.clips[i + 1];
      const end = c.start_ms + c.out_ms! - c.in_ms;
      if (next) assert.equal(end, next.start_ms, `clip ${i} at ${fps.num}/${fps.den}`);
      else assert.equal(end, plan.output_duration_ms);
    });
  }
});
