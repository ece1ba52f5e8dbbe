import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  buildAssSubtitles,
  buildCaptionCues,
  escapeAssText,
  formatAssTime,
  groupPhrases,
  parseTranscript,
  type Transcript,
  type TranscriptWord,
} from '../../../src/plan/captions/index.js';
import { isCutroomError } from '../../../src/errors.js';

/** Deterministic pseudo-speech: words of varied length, 180–520 ms each, with occasional pauses and punctuation. */
function speech(count: number, seed = 7): TranscriptWord[] {
  let x = seed;
  const rnd = () => {
    x = (x * 1103515245 + 12345) % 2147483648;
    return x / 2147483648;
  };
  const vocab = [
    'a',
    'to',
    'the',
    'caption',
    'broadcast',
    'internationalisation',
    'is',
    'rather',
    'cold',
    'amiable',
  ];
  const out: TranscriptWord[] = [];
  let t = 200;
  for (let i = 0; i < count; i += 1) {
    const dur = 180 + Math.floor(rnd() * 340);
    let word = vocab[Math.floor(rnd() * vocab.length)]!;
    const r = rnd();
    if (r < 0.08) word += '.';
    else if (r < 0.16) word += ',';
    out.push({ start_ms: t, end_ms: t + dur, word, confidence: 0.9 });
    t += dur + (rnd() < 0.15 ? 350 + Math.floor(rnd() * 900) : Math.floor(rnd() * 120));
  }
  return out;
}

describe('buildCaptionCues (broadcast rules)', () => {
  for (const [name, words] of [
    ['600 varied words', speech(600)],
    [
      'fast speech, no pauses',
      speech(300, 99).map((w, i) => ({ ...w, start_ms: i * 150, end_ms: i * 150 + 140 })),
    ],
    [
      'sparse single words',
      speech(40, 3).map((w, i) => ({ ...w, start_ms: i * 2500, end_ms: i * 2500 + 200 })),
    ],
  ] as const) {
    it(`keeps ≤ 42 chars, ≤ 2 lines, 1–7 s, in order, no overlap, every word once: ${name}`, () => {
      const cues = buildCaptionCues({ words: [...words] });
      assert.ok(cues.length > 0);
      const seen: string[] = [];
      cues.forEach((c, i) => {
        assert.ok(c.lines.length >= 1 && c.lines.length <= 2, `cue ${i} has ${c.lines.length} lines`);
        for (const l of c.lines) assert.ok(l.length <= 42, `cue ${i} line "${l}" is ${l.length} chars`);
        const d = c.end_ms - c.start_ms;
        assert.ok(d >= 1000 && d <= 7000, `cue ${i} lasts ${d} ms`);
        const next = cues[i + 1];
        if (next) assert.ok(next.start_ms >= c.end_ms, `cue ${i + 1} overlaps cue ${i}`);
        assert.equal(c.lines.join(' '), c.words.map((w) => w.word).join(' '));
        seen.push(...c.words.map((w) => w.word));
      });
      assert.deepEqual(
        seen,
        words.map((w) => w.word),
      );
    });
  }

  it('breaks after a sentence end and at a pause, and never splits a word', () => {
    const w = (word: string, s: number, e: number) => ({ word, start_ms: s, end_ms: e, confidence: 1 });
    const cues = buildCaptionCues({
      words: [
        w('Hello', 0, 500),
        w('there.', 500, 1200),
        w('General', 1250, 1800),
        w('Kenobi', 1800, 2400),
        w('you', 3100, 3400), // 700 ms pause before
        w('are', 3400, 3600),
        w('bold', 3600, 4400),
      ],
    });
    assert.deepEqual(
      cues.map((c) => c.lines.join(' | ')),
      ['Hello there.', 'General Kenobi', 'you are bold'],
    );
  });

  it('keeps a word longer than a line whole, alone on its line', () => {
    const long = 'x'.repeat(60);
    const cues = buildCaptionCues({
      words: [
        { word: 'short', start_ms: 0, end_ms: 500, confidence: 1 },
        { word: long, start_ms: 500, end_ms: 1500, confidence: 1 },
      ],
    });
    assert.ok(cues.flatMap((c) => c.lines).includes(long));
  });
});

describe('groupPhrases (bold_pop)', () => {
  it('gives 2–4 words per phrase, every word once in order', () => {
    // Pauses of at most 1 s: nothing forces a lone word.
    const words = speech(200).map((w, i, all) => {
      const shift = all
        .slice(0, i)
        .reduce((s, x, k) => s + Math.max(0, (all[k + 1]?.start_ms ?? 0) - x.end_ms - 900), 0);
      return { ...w, start_ms: w.start_ms - shift, end_ms: w.end_ms - shift };
    });
    const phrases = groupPhrases({ words });
    for (const p of phrases) assert.ok(p.length >= 2 && p.length <= 4, `phrase of ${p.length}`);
    assert.deepEqual(phrases.flat(), words);
  });

  it('cuts at a silence over 1 s even after one word', () => {
    const w = (word: string, s: number) => ({ word, start_ms: s, end_ms: s + 300, confidence: 1 });
    const phrases = groupPhrases({ words: [w('Wait', 0), w('for', 3000), w('it', 3300), w('now', 3600)] });
    assert.deepEqual(
      phrases.map((p) => p.map((x) => x.word).join(' ')),
      ['Wait', 'for it now'],
    );
  });
});

describe('escapeAssText', () => {
  it('neutralises override blocks, \\N and newlines', () => {
    const e = escapeAssText('{\\b1}bold\\Nline\nnext}');
    assert.ok(!/(^|[^\\])\{/.test(e), `an unescaped { remains: ${e}`);
    assert.ok(!e.includes('\\N'), 'a \\N line break remains');
    assert.ok(!e.includes('\n'));
    assert.equal(e, '\\{\\\u2060b1\\}bold\\\u2060Nline next\\}');
  });
});

const transcript: Transcript = {
  language: 'en-US',
  segments: [
    {
      start_ms: 1000,
      end_ms: 2500,
      text: 'hello brave new world',
      words: [
        { word: 'hello', start_ms: 1000, end_ms: 1400, confidence: 1 },
        { word: 'brave', start_ms: 1450, end_ms: 1800, confidence: 1 },
        { word: 'new', start_ms: 1850, end_ms: 2100, confidence: 1 },
        { word: 'world', start_ms: 2150, end_ms: 2500, confidence: 1 },
      ],
    },
  ],
};

function dialogues(ass: string): Array<{ start: string; end: string; text: string }> {
  return ass
    .split('\n')
    .filter((l) => l.startsWith('Dialogue: '))
    .map((l) => {
      const f = l.slice('Dialogue: '.length).split(',');
      return { start: f[1]!, end: f[2]!, text: f.slice(9).join(',') };
    });
}

describe('buildAssSubtitles', () => {
  it('clean: a boxed bottom style (BorderStyle 3, Alignment 2) and one event per cue, shifted by offsetMs', () => {
    const ass = buildAssSubtitles({
      transcript,
      style: 'clean',
      canvas: { width: 640, height: 360 },
      offsetMs: 500,
    });
    assert.match(ass, /^\[Script Info\]\n/);
    assert.match(ass, /PlayResX: 640\nPlayResY: 360/);
    const style = ass
      .split('\n')
      .find((l) => l.startsWith('Style: '))!
      .slice(7)
      .split(',');
    assert.equal(style[15], '3', 'BorderStyle');
    assert.equal(style[18], '2', 'Alignment bottom centre');
    assert.deepEqual(dialogues(ass), [
      { start: '0:00:01.50', end: '0:00:03.00', text: 'hello brave new world' },
    ]);
  });

  it('bold_pop: large bold outlined, 2–4 word phrases', () => {
    const ass = buildAssSubtitles({ transcript, style: 'bold_pop', canvas: { width: 1080, height: 1920 } });
    const style = ass
      .split('\n')
      .find((l) => l.startsWith('Style: '))!
      .slice(7)
      .split(',');
    const clean = buildAssSubtitles({ transcript, style: 'clean', canvas: { width: 1080, height: 1920 } });
    const cleanStyle = clean
      .split('\n')
      .find((l) => l.startsWith('Style: '))!
      .slice(7)
      .split(',');
    assert.ok(Number(style[2]) > Number(cleanStyle[2]), 'larger than clean');
    assert.equal(style[7], '-1', 'bold');
    assert.equal(style[15], '1', 'outline, no box');
    const ev = dialogues(ass);
    const all: string[] = [];
    for (const e of ev) {
      assert.match(e.text, /^\{\\fscx118\\fscy118\\t\(0,120,\\fscx100\\fscy100\)\}/, 'pops in');
      const words = e.text.replace(/\{[^}]*\}/g, '').split(' ');
      assert.ok(words.length >= 2 && words.length <= 4);
      all.push(...words);
    }
    assert.deepEqual(all, ['hello', 'brave', 'new', 'world']);
  });

  it('karaoke: one event per word, the current word coloured', () => {
    const ev = dialogues(
      buildAssSubtitles({ transcript, style: 'karaoke', canvas: { width: 640, height: 360 } }),
    );
    assert.equal(ev.length, 4);
    ['hello', 'brave', 'new', 'world'].forEach((w, i) => {
      assert.ok(ev[i]!.text.includes(`{\\1c&H00FFFF&}${w}{\\r}`), ev[i]!.text);
    });
    // Events abut: each ends where the next starts.
    for (let i = 0; i + 1 < ev.length; i += 1) assert.equal(ev[i]!.end, ev[i + 1]!.start);
  });

  it('is deterministic and escapes hostile words and font names', () => {
    const hostile: Transcript = {
      language: 'en',
      segments: [
        {
          start_ms: 0,
          end_ms: 1000,
          text: '',
          words: [{ word: '{\\c&H0000FF&}x\\N', start_ms: 0, end_ms: 1000, confidence: 1 }],
        },
      ],
    };
    const input = {
      transcript: hostile,
      style: 'clean' as const,
      canvas: { width: 320, height: 240 },
      fontFamily: 'Evil,Font\nX',
    };
    const a = buildAssSubtitles(input);
    assert.equal(a, buildAssSubtitles(input));
    assert.ok(a.includes('Style: Default,Evil Font X,'));
    assert.equal(dialogues(a)[0]!.text, escapeAssText('{\\c&H0000FF&}x\\N'));
  });

  it('formats ASS time in centiseconds', () => {
    assert.equal(formatAssTime(3_723_456), '1:02:03.46');
    assert.equal(formatAssTime(0), '0:00:00.00');
  });
});

describe('parseTranscript', () => {
  it('names the path of a bad field', () => {
    assert.throws(
      () =>
        parseTranscript({
          language: 'en',
          segments: [
            {
              start_ms: 0,
              end_ms: 1,
              text: '',
              words: [{ word: 'x', start_ms: -1, end_ms: 2, confidence: 1 }],
            },
          ],
        }),
      (e: unknown) =>
        isCutroomError(e, 'VALIDATION_FAILED') &&
        /transcript\.segments\.0\.words\.0\.start_ms/.test(e.message),
    );
  });
});
