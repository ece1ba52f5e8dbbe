// Pure mapping of a sequence (clips = ranges of several assets) onto one clock for the edit planners, and of the
// planned cuts back into each clip's source range: exact values computed by hand.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Transcript, TranscriptWord } from '../../../src/plan/captions/transcript.js';
import { transcriptWords } from '../../../src/plan/captions/transcript.js';
import {
  GAP_LEVEL_DB,
  mapKeptToClips,
  planSilenceRemoval,
  planWordCuts,
  sequenceEditTimeline,
  sequenceSource,
  shiftTranscript,
  sourcesOfRange,
  type SequenceClipSource,
} from '../../../src/plan/transcript-edit/index.js';
import { parseTimeline, TimelineSchema } from '../../../src/timeline/index.js';

const FPS = { num: 30, den: 1 };
const w = (word: string, start_ms: number, end_ms: number): TranscriptWord => ({ word, start_ms, end_ms, confidence: 0.9 });
const tx = (words: TranscriptWord[]): Transcript => ({
  language: 'en',
  segments: [{ start_ms: words[0]!.start_ms, end_ms: words[words.length - 1]!.end_ms, text: words.map((x) => x.word).join(' '), words }],
});
const flat = (step: number, len: number, db: number) => ({ step_ms: step, levels: Array.from({ length: len }, () => db) });

// Asset A: "one two three four" (words at 1000..); clip a plays A [1000, 3000) at sequence 0.
// Asset B: "five six seven"; clip b plays B [500, 2000) at sequence 2500 (a 500 ms gap after a).
const A = tx([w('zero', 200, 700), w('one', 1000, 1300), w('two', 1500, 1800), w('three', 2100, 2400), w('four', 2800, 3200)]);
const B = tx([w('five', 600, 900), w('six', 1100, 1400), w('seven', 1600, 1900)]);
const CLIPS: SequenceClipSource[] = [
  { clip_id: 'b', asset_id: 'B', start_ms: 2500, in_ms: 500, out_ms: 2000, transcript: B, speech: [{ start_ms: 600, end_ms: 1900 }], envelope: flat(5, 300, -30) },
  { clip_id: 'a', asset_id: 'A', start_ms: 0, in_ms: 1000, out_ms: 3000, transcript: A, speech: [{ start_ms: 900, end_ms: 3300 }], envelope: flat(5, 400, -20) },
];

test('sequence clock: clip words in timeline order, clipped to the clip range; speech and levels placed; gaps silent', () => {
  const src = sequenceSource({ clips: CLIPS, step_ms: 5 });
  assert.equal(src.duration_ms, 4000);
  // "zero" is outside a's range; "four" (2800..3200) is clipped to a's out point 3000 -> sequence 1800..2000.
  assert.deepEqual(
    transcriptWords(src.transcript).map((x) => [x.word, x.start_ms, x.end_ms]),
    [
      ['one', 0, 300],
      ['two', 500, 800],
      ['three', 1100, 1400],
      ['four', 1800, 2000],
      ['five', 2600, 2900],
      ['six', 3100, 3400],
      ['seven', 3600, 3900],
    ],
  );
  assert.deepEqual(src.speech, [{ start_ms: 0, end_ms: 2000 }, { start_ms: 2600, end_ms: 3900 }]);
  assert.equal(src.envelope.levels.length, 800);
  assert.equal(src.envelope.levels[0], -20);
  assert.equal(src.envelope.levels[399], -20);
  assert.equal(src.envelope.levels[400], GAP_LEVEL_DB, 'the gap 2000..2500 is silent');
  assert.equal(src.envelope.levels[499], GAP_LEVEL_DB);
  assert.equal(src.envelope.levels[500], -30);
});

test('a word cut in clip b maps back into B: pieces, source ranges, cut fades, removed sources, derived transcript', () => {
  const src = sequenceSource({ clips: CLIPS, step_ms: 5 });
  const words = transcriptWords(src.transcript);
  // Remove "six" (sequence word 5); no envelope dips: cuts at the middle of each gap, snapped to 30 fps.
  const { plan } = planWordCuts({ words, durationMs: src.duration_ms, fps: FPS, ranges: [{ start: 5, end: 5 }] });
  // Gap 2900..3100 -> mid 3000 = frame 90; gap 3400..3600 -> 3500 ms = frame 105.
  assert.deepEqual(plan.removed.map((r) => [r.start_frame, r.end_frame, r.start_ms, r.end_ms]), [[90, 105, 3000, 3500]]);
  assert.deepEqual(sourcesOfRange({ start_ms: 3000, end_ms: 3500, clips: CLIPS }), [{ clip_id: 'b', asset_id: 'B', in_ms: 1000, out_ms: 1500 }]);
  const pieces = mapKeptToClips({ kept: plan.kept, clips: CLIPS });
  assert.deepEqual(
    pieces.map((p) => [p.source_clip_id, p.asset_id, p.start_ms, p.in_ms, p.out_ms, p.cut_before, p.cut_after, p.clip_start, p.clip_end]),
    [
      ['a', 'A', 0, 1000, 3000, false, false, true, true],
      // The gap 2000..2500 stays a gap: b's first piece is placed at 2500 of the edit.
      ['b', 'B', 2500, 500, 1000, false, true, true, false],
      ['b', 'B', 3000, 1500, 2000, true, false, false, true],
    ],
  );
  const derived = transcriptWords(shiftTranscript({ transcript: src.transcript, kept: plan.kept }));
  assert.deepEqual(
    derived.slice(4).map((x) => [x.word, x.start_ms, x.end_ms]),
    [
      ['five', 2600, 2900],
      ['seven', 3100, 3400],
    ],
  );

  const parsed = TimelineSchema.parse({
    tracks: [
      {
        id: 'talk',
        kind: 'video',
        volume: 0.8,
        clips: [
          { id: 'a', asset_id: 'A', start_ms: 0, in_ms: 1000, out_ms: 3000, volume: 0.5, audio_fade_in_ms: 40 },
          { id: 'b', asset_id: 'B', start_ms: 2500, in_ms: 500, out_ms: 2000, audio_fade_out_ms: 60 },
        ],
      },
    ],
  });
  const track = parsed.tracks[0] as Extract<(typeof parsed.tracks)[number], { kind: 'video' | 'overlay' }>;
  const doc = sequenceEditTimeline({
    plan,
    pieces,
    clips: CLIPS,
    track,
    sourceClips: new Map(track.clips.map((c) => [c.id, c])),
    crossfadeMs: 20,
    name: 'seq edit',
    meta: {},
  });
  const tl = parseTimeline(doc);
  const clips = (tl.tracks[0] as { clips: Array<Record<string, unknown>> }).clips;
  assert.equal((tl.tracks[0] as { volume: number }).volume, 0.8, 'track props kept');
  assert.deepEqual(
    clips.map((c) => [c.asset_id, c.start_ms, c.in_ms, c.out_ms, c.volume, c.audio_fade_in_ms, c.audio_fade_out_ms]),
    [
      ['A', 0, 1000, 3000, 0.5, 40, 0],
      ['B', 2500, 500, 1000, 1, 0, 10],
      ['B', 3000, 1500, 2000, 1, 10, 60],
    ],
  );
  assert.deepEqual((tl.meta as { removed: unknown[] }).removed, [
    { start_ms: 3000, end_ms: 3500, reason: 'words', sources: [{ clip_id: 'b', asset_id: 'B', in_ms: 1000, out_ms: 1500 }], words: { start: 5, end: 5, text: 'six' } },
  ]);
  assert.equal(tl.duration_ms, 3500);
});

test('silence removal on a sequence takes out the gap between clips with the pause around it, in clip a only', () => {
  const src = sequenceSource({ clips: CLIPS, step_ms: 5 });
  const r = planSilenceRemoval({ speech: src.speech, durationMs: src.duration_ms, fps: FPS, min_silence_ms: 400, padding_ms: 100 });
  // Pause 2000..2600 (a's end + gap + b's lead-in) minus 100 ms padding each side -> 2100..2500 = frames 63..75.
  assert.deepEqual(r.plan.removed.map((x) => [x.start_ms, x.end_ms]), [[2100, 2500]]);
  assert.deepEqual(sourcesOfRange({ start_ms: 2100, end_ms: 2500, clips: CLIPS }), [], 'the removed part is all gap');
  const pieces = mapKeptToClips({ kept: r.plan.kept, clips: CLIPS });
  assert.deepEqual(
    pieces.map((p) => [p.source_clip_id, p.start_ms, p.in_ms, p.out_ms]),
    [
      ['a', 0, 1000, 3000],
      // The 100 ms of gap left after a's end stays a gap.
      ['b', 2100, 500, 2000],
    ],
  );
});
