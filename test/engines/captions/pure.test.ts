import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  alignmentDictionary,
  alignmentGrammar,
  chunkAudio,
  mapAlignedWords,
  normaliseForWer,
  tokenizeScript,
  whisperModelFormat,
  wordErrorRate,
} from '../../../src/engines/captions/index.js';
import { parseHypsegLine, wordsFromHypseg } from '../../../src/engines/captions/parse-pocketsphinx.js';

// Captured from pocketsphinx_batch -hypseg (5prealpha), shortened.
const HYPSEG =
  'u1 S 0 T -8407754 A -7880704 L -527050 0 -142336 0 <s> 9 -204800 -257 he 20 -376832 -136 was(2) 42 -956416 -261 not 87 -585728 -524288 <sil> 100 -1557504 -512 until 135';

describe('pocketsphinx -hypseg parsing', () => {
  it('reads words with frame times, marks fillers, strips pronunciation variants', () => {
    const p = parseHypsegLine({ line: HYPSEG })!;
    assert.equal(p.uttId, 'u1');
    assert.deepEqual(
      p.words.map((w) => [w.word, w.start_ms, w.end_ms, w.filler]),
      [
        ['<s>', 0, 90, true],
        ['he', 90, 200, false],
        ['was', 200, 420, false],
        ['not', 420, 870, false],
        ['<sil>', 870, 1000, true],
        ['until', 1000, 1350, false],
      ],
    );
  });

  it('shifts utterances by their chunk start and gives 0..1 confidences', () => {
    const words = wordsFromHypseg({ text: `${HYPSEG}\n`, chunkStartsMs: [0, 5000] });
    assert.deepEqual(
      words.map((w) => [w.word, w.start_ms]),
      [
        ['he', 5090],
        ['was', 5200],
        ['not', 5420],
        ['until', 6000],
      ],
    );
    for (const w of words) assert.ok(w.confidence >= 0 && w.confidence <= 1);
  });
});

describe('script alignment helpers', () => {
  it('keeps punctuation on display words and makes dictionary units', () => {
    const t = tokenizeScript('“Well — it’s 42 cold-hearted… Dashwood!”');
    assert.deepEqual(
      t.map((x) => [x.display, x.units]),
      [
        ['“Well —', ['well']],
        ['it’s', ["it's"]],
        ['42', ['four', 'two']],
        ['cold-hearted…', ['cold', 'hearted']],
        ['Dashwood!”', ['dashwood']],
      ],
    );
  });

  it('builds a grammar of exactly the units and a dictionary with letter pronunciations for unknown words', () => {
    assert.equal(
      alignmentGrammar(['he', 'was']),
      '#JSGF V1.0;\ngrammar script;\npublic <script> = he was;\n',
    );
    const d = alignmentDictionary({
      units: ['to', 'zyxq', 'to'],
      lookup: (w) => (w === 'to' ? ['T UW', 'T IH'] : undefined),
    });
    assert.deepEqual(d.outOfVocabulary, ['zyxq']);
    assert.equal(d.text, 'to T UW\nto(2) T IH\nzyxq Z Y K S K\n');
  });

  it('maps aligned units back to display words, or null when the decoder stopped early', () => {
    const tokens = tokenizeScript('Cold-hearted man.');
    const aligned = [
      { word: 'cold', start_ms: 0, end_ms: 200 },
      { word: 'hearted', start_ms: 200, end_ms: 500 },
      { word: 'man', start_ms: 550, end_ms: 900 },
    ];
    assert.deepEqual(mapAlignedWords({ tokens, aligned }), [
      { word: 'Cold-hearted', start_ms: 0, end_ms: 500, confidence: 1 },
      { word: 'man.', start_ms: 550, end_ms: 900, confidence: 1 },
    ]);
    assert.equal(mapAlignedWords({ tokens, aligned: aligned.slice(0, 2) }), null);
  });
});

describe('chunkAudio', () => {
  it('cuts long audio at the quietest point between 8 and 20 s', () => {
    const sr = 16000;
    const pcm = new Float32Array(sr * 45).map((_, i) => 0.3 * Math.sin(i / 5));
    // Silence 13.0–13.5 s and 30.0–30.5 s.
    pcm.fill(0, 13 * sr, 13.5 * sr);
    pcm.fill(0, 30 * sr, 30.5 * sr);
    const chunks = chunkAudio({ pcm, sampleRate: sr });
    assert.equal(chunks[0]!.startFrame, 0);
    assert.equal(chunks.at(-1)!.endFrame, 4500);
    for (let i = 1; i < chunks.length; i += 1) assert.equal(chunks[i]!.startFrame, chunks[i - 1]!.endFrame);
    const cuts = chunks.slice(1).map((c) => c.startFrame);
    assert.ok(cuts[0]! >= 1300 && cuts[0]! <= 1350, `first cut at ${cuts[0]}`);
    assert.ok(cuts[1]! >= 3000 && cuts[1]! <= 3050, `second cut at ${cuts[1]}`);
    for (const c of chunks) assert.ok(c.endFrame - c.startFrame <= 2000);
  });
});

describe('WER and model magic', () => {
  it('counts substitutions, insertions and deletions after normalising', () => {
    const r = wordErrorRate({
      reference: normaliseForWer('<s> He was NOT an ill-disposed man </s> (utt1)'),
      hypothesis: normaliseForWer('he was not an ill disposed young man'),
    });
    // Case, hyphens, <s> and the utterance id normalise away; "young" is the one insertion.
    assert.deepEqual(r, { errors: 1, referenceWords: 7, wer: 1 / 7 });
    const s = wordErrorRate({ reference: ['a', 'b', 'c'], hypothesis: ['a', 'x'] });
    assert.deepEqual(s, { errors: 2, referenceWords: 3, wer: 2 / 3 });
  });

  it('recognises ggml, ggjt and GGUF magic bytes', () => {
    const le = (n: number) => {
      const b = Buffer.alloc(4);
      b.writeUInt32LE(n);
      return b;
    };
    assert.equal(whisperModelFormat(le(0x67676d6c)), 'ggml');
    assert.equal(whisperModelFormat(le(0x67676a74)), 'ggjt');
    assert.equal(whisperModelFormat(Buffer.from('GGUF')), 'gguf');
    assert.equal(whisperModelFormat(Buffer.from('RIFF')), null);
  });
});
