// Real pocketsphinx on its own LibriVox test data (read speech, 16 kHz). Bounds come from bench/captions.ts:
// measured WER 22.9 % on these three utterances (28.2 % on all five); the bound leaves margin for nothing else.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { findPocketsphinx, normaliseForWer, wordErrorRate } from '../../../src/engines/captions/index.js';
import { readPcm } from '../../../src/ffmpeg/index.js';

const DIR = '/usr/share/pocketsphinx/test/data/librivox';
const REFS = new Map(
  readFileSync(join(DIR, 'transcription'), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => [/\(([^)]+)\)\s*$/.exec(l)![1]!, normaliseForWer(l)] as const),
);
const ps = findPocketsphinx(process.env);
if ('missing' in ps) throw new Error(`these tests need pocketsphinx: ${ps.missing}`);

describe('pocketsphinx backend (real)', () => {
  it('recognises LibriVox utterances with WER below 35 %', async () => {
    let errors = 0;
    let words = 0;
    for (const id of ['0880', '0920', '0930'].map((n) => `sense_and_sensibility_01_austen_64kb-${n}`)) {
      const pcm16k = await readPcm({ path: join(DIR, `${id}.wav`), sampleRate: 16000 });
      const r = await ps.transcribe({ pcm16k, language: 'en-US' });
      const durationMs = (pcm16k.length / 16000) * 1000;
      for (const w of r.words) {
        assert.ok(w.start_ms >= 0 && w.end_ms > w.start_ms && w.end_ms <= durationMs + 20, JSON.stringify(w));
        assert.ok(w.confidence >= 0 && w.confidence <= 1);
      }
      assert.deepEqual(
        r.words,
        r.segments.flatMap((s) => s.words),
      );
      const wer = wordErrorRate({
        reference: REFS.get(id)!,
        hypothesis: normaliseForWer(r.words.map((w) => w.word).join(' ')),
      });
      errors += wer.errors;
      words += wer.referenceWords;
    }
    assert.ok(errors / words < 0.35, `WER ${((errors / words) * 100).toFixed(1)} %`);
  });

  it('aligns a known script: every word, in order, monotonic times inside the audio', async () => {
    const id = 'sense_and_sensibility_01_austen_64kb-0870';
    const pcm16k = await readPcm({ path: join(DIR, `${id}.wav`), sampleRate: 16000 });
    const durationMs = (pcm16k.length / 16000) * 1000;
    const script =
      'And Mister John Dashwood had then leisure to consider how much there might be prudently in his power to do for them.';
    const words = await ps.align!({ pcm16k, text: script, language: 'en-US' });
    assert.deepEqual(
      words.map((w) => w.word),
      script.split(' '),
    );
    let prevEnd = 0;
    for (const w of words) {
      assert.ok(
        w.start_ms >= prevEnd && w.end_ms > w.start_ms,
        `${w.word} ${w.start_ms}-${w.end_ms} after ${prevEnd}`,
      );
      prevEnd = w.end_ms;
    }
    assert.ok(prevEnd <= durationMs);
    // Speech fills the clip: the script spans most of it.
    assert.ok(
      words[0]!.start_ms < 1000 && prevEnd > durationMs - 1500,
      `${words[0]!.start_ms}..${prevEnd} of ${durationMs}`,
    );
    // Where the free decode heard the same word, the aligner puts it at nearly the same place.
    const free = await ps.transcribe({ pcm16k, language: 'en-US' });
    const consider = free.words.find((w) => w.word === 'consider');
    const aligned = words.find((w) => w.word === 'consider')!;
    assert.ok(consider, 'the decoder heard "consider"');
    assert.ok(
      Math.abs(consider.start_ms - aligned.start_ms) <= 100,
      `${consider.start_ms} vs ${aligned.start_ms}`,
    );
  });

  it('fails with a coded error when the script is not in the audio', async () => {
    const pcm16k = new Float32Array(16000); // 1 s of silence
    await assert.rejects(
      ps.align!({
        pcm16k,
        text: 'a much longer sentence that nobody said in this silent second at all',
        language: 'en',
      }),
      (e: unknown) => (e as { code?: string }).code === 'CAPTIONS_ASR_FAILED',
    );
  });
});
