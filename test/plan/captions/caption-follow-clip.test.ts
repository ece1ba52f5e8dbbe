// A caption item linked to its clip (`source_clip_id`) follows it: moving the clip moves the captions, trimming
// it drops the words outside its source range, speed scales their times, and splitting the clip (edit op)
// keeps captions on both pieces. Measured on the .ass file the plan writes (the events libass draws).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compile } from '../../../src/plan/compile.js';
import { splitAt } from '../../../src/timeline/edit/index.js';
import { fakeVideoInfo, source, timeline } from '../helpers/plan-fixtures.js';

const words = ['alpha', 'bravo', 'charlie', 'delta'].map((word, i) => ({
  // Source times: alpha at 1 s, bravo at 4 s, charlie at 7 s, delta at 10 s (long pauses: one cue each).
  start_ms: 1000 + 3000 * i,
  end_ms: 1500 + 3000 * i,
  word,
  confidence: 1,
}));
const artifacts = {
  tr: {
    id: 'tr',
    kind: 'asr_transcript',
    asset_id: 'talk',
    backend_version: 'test',
    cache_key: 'k',
    meta: {},
    data: {
      language: 'en',
      segments: words.map((w) => ({ start_ms: w.start_ms, end_ms: w.end_ms, text: w.word, words: [w] })),
    },
  },
};

function doc(clip: Record<string, unknown>, link = true) {
  return timeline({
    tracks: [
      {
        id: 'v',
        kind: 'video',
        clips: [{ id: 'talk1', asset_id: 'talk', start_ms: 0, in_ms: 0, out_ms: 11000, ...clip }],
      },
      {
        id: 'cc',
        kind: 'caption',
        items: [{ id: 'cap', transcript_artifact_id: 'tr', ...(link ? { source_clip_id: 'talk1' } : {}) }],
      },
    ],
  });
}

/** [start_s, word] of every Dialogue event in the plan's caption files. */
function events(t: ReturnType<typeof doc>): Array<[number, string]> {
  const plan = compile({
    timeline: t,
    sources: { talk: source('talk', '/media/talk.mp4', fakeVideoInfo({ durationMs: 12000 })) },
    profile: 'draft_360p',
    artifacts,
    fonts: { 'DejaVu Sans': '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf' },
    work_dir: '/work-dir',
  });
  assert.deepEqual(plan.warnings, []);
  const out: Array<[number, string]> = [];
  for (const f of plan.files.filter((x) => x.path.endsWith('.ass'))) {
    for (const m of f.content.matchAll(
      /^Dialogue: \d+,(\d+):(\d\d):(\d\d)\.(\d\d),[^,]*,[^,]*,[^,]*,[^,]*,[^,]*,[^,]*,[^,]*,(.*)$/gm,
    )) {
      const s = Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3]) + Number(m[4]) / 100;
      out.push([s, m[5]!.replace(/\{[^}]*\}/g, '').trim()]);
    }
  }
  return out.sort((a, b) => a[0] - b[0]);
}

test('linked captions move with their clip', () => {
  assert.deepEqual(
    events(doc({})).map((e) => e[1]),
    ['alpha', 'bravo', 'charlie', 'delta'],
  );
  const at0 = events(doc({}));
  const moved = events(doc({ start_ms: 3000 }));
  assert.deepEqual(
    moved.map(([s, w]) => [Math.round((s - 3) * 100), w]),
    at0.map(([s, w]) => [Math.round(s * 100), w]),
  );
  // Unlinked, the same move leaves the captions where start_ms (0) puts them.
  assert.deepEqual(events(doc({ start_ms: 3000 }, false)), at0);
});

test('linked captions are trimmed with their clip and follow its speed', () => {
  // in 3.5 s .. out 8 s: only bravo (4 s) and charlie (7 s), at timeline 0.5 s and 3.5 s.
  const trimmed = events(doc({ in_ms: 3500, out_ms: 8000 }));
  assert.deepEqual(
    trimmed.map((e) => e[1]),
    ['bravo', 'charlie'],
  );
  assert.equal(trimmed[0]![0], 0.5);
  // Twice as fast: bravo at (4 - 3.5) / 2 = 0.25 s.
  const fast = events(doc({ in_ms: 3500, out_ms: 8000, speed: 2 }));
  // (the pause halves too, so the two words may share one cue)
  assert.deepEqual(
    fast.flatMap((e) => e[1].split(' ')),
    ['bravo', 'charlie'],
  );
  assert.equal(fast[0]![0], 0.25);
});

test('splitting a linked clip keeps captions on both pieces, in place', () => {
  const before = events(doc({}));
  const { doc: split, right_id } = splitAt(doc({}), { item_id: 'talk1', at_ms: 5500 });
  const cc = split.tracks[1]!;
  assert.equal(cc.kind, 'caption');
  assert.deepEqual(
    (cc as Extract<typeof cc, { kind: 'caption' }>).items.map((i) => i.source_clip_id),
    ['talk1', right_id],
  );
  assert.deepEqual(events(split), before);
  // Moving the right piece later moves only its words.
  const moved = structuredClone(split);
  const v = moved.tracks[0] as unknown as { clips: Array<{ start_ms: number }> };
  v.clips[1]!.start_ms += 1000;
  const after = events(moved);
  assert.deepEqual(
    after.map(([s, w]) => [s, w]),
    before.map(([s, w]) => [w === 'charlie' || w === 'delta' ? s + 1 : s, w]),
  );
});

test('a link to a missing clip warns and falls back to start_ms', () => {
  const t = doc({});
  const cc = t.tracks[1] as Extract<(typeof t.tracks)[1], { kind: 'caption' }>;
  cc.items[0]!.source_clip_id = 'nope';
  const plan = compile({
    timeline: t,
    sources: { talk: source('talk', '/media/talk.mp4', fakeVideoInfo({ durationMs: 12000 })) },
    profile: 'draft_360p',
    artifacts,
    fonts: { 'DejaVu Sans': '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf' },
    work_dir: '/work-dir',
  });
  assert.deepEqual(
    plan.warnings.map((w) => [w.code, w.path]),
    [['CAPTION_LINK_IGNORED', 'tracks[1].items[0].source_clip_id']],
  );
});
