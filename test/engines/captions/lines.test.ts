import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  captionCuesOf,
  parseSrt,
  parseVtt,
  segmentWords,
  writeSrt,
  writeVtt,
} from '../../../src/engines/captions/index.js';
import type { Transcript } from '../../../src/plan/captions/index.js';

function transcript(): Transcript {
  const text =
    'and mister john dashwood had then leisure to consider how much there might be prudently in his power to do for them. ' +
    'he was not an ill disposed young man, unless to be rather cold hearted and rather selfish is to be ill disposed; ' +
    'had he married a more amiable woman <he> might have been made still more respectable than he was & so --> on.';
  let t = 300;
  const words = text.split(' ').map((word, i) => {
    const w = { word, start_ms: t, end_ms: t + 200 + (i % 5) * 60, confidence: 0.8 };
    t = w.end_ms + (i % 11 === 10 ? 450 : 40);
    return w;
  });
  return { language: 'en-US', segments: [{ start_ms: 300, end_ms: t, text, words }] };
}

describe('SRT and WebVTT', () => {
  const cues = captionCuesOf({ transcript: transcript() });

  it('SRT: numbered, comma milliseconds, round-trips within the broadcast rules', () => {
    const srt = writeSrt(cues);
    assert.match(srt, /^1\n00:00:00,300 --> 00:00:0\d,\d{3}\n/);
    const back = parseSrt(srt);
    assert.equal(back.length, cues.length);
    back.forEach((c, i) => {
      assert.equal(c.start_ms, cues[i]!.start_ms);
      assert.equal(c.end_ms, cues[i]!.end_ms);
      assert.ok(c.lines.length >= 1 && c.lines.length <= 2);
      for (const l of c.lines) assert.ok(l.length <= 42, l);
      assert.ok(c.end_ms - c.start_ms >= 1000 && c.end_ms - c.start_ms <= 7000);
      if (i > 0) assert.ok(c.start_ms >= back[i - 1]!.end_ms, 'ordered, no overlap');
    });
    assert.ok(!back.some((c) => c.lines.some((l) => l.includes('-->'))), 'no timing arrow inside text');
    assert.throws(() => parseVtt(srt), /WEBVTT/);
  });

  it('VTT: header, dot milliseconds, entities escaped and decoded', () => {
    const vtt = writeVtt(cues);
    assert.match(vtt, /^WEBVTT\n\n00:00:00\.300 --> /);
    assert.ok(vtt.includes('&lt;he&gt;') && vtt.includes('&amp;'));
    const back = parseVtt(vtt);
    assert.deepEqual(
      back.map((c) => [c.start_ms, c.end_ms]),
      cues.map((c) => [c.start_ms, c.end_ms]),
    );
    assert.ok(
      back
        .flatMap((c) => c.lines)
        .join(' ')
        .includes('<he>'),
    );
    for (const c of back) for (const l of c.lines) assert.ok(l.length <= 42);
    assert.throws(() => parseSrt(vtt.replace(/\./g, '.')), /needs ","/);
  });
});

describe('segmentWords', () => {
  it('cuts at long pauses, sentence ends and before 15 s, keeping every word in order', () => {
    const words = Array.from({ length: 120 }, (_, i) => ({
      word: i === 10 ? 'end.' : `w${i}`,
      start_ms: i * 300 + (i === 11 ? 400 : 0) + (i > 11 ? 400 : 0) + (i >= 50 ? 800 : 0),
      end_ms: i * 300 + 250 + (i >= 11 ? 400 : 0) + (i >= 50 ? 800 : 0),
      confidence: 1,
    }));
    const segs = segmentWords({ words });
    assert.deepEqual(
      segs.flatMap((s) => s.words),
      words,
    );
    assert.equal(segs[0]!.words.at(-1)!.word, 'end.');
    assert.ok(
      segs.some((s) => s.words[0]!.word === 'w50'),
      'a 850 ms pause starts a segment',
    );
    for (const s of segs) assert.ok(s.end_ms - s.start_ms <= 15000);
  });
});
