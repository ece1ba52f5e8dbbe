// The whisper.cpp adapter without weights: option mapping, PCM conversion, and conversion of a binding result
// shaped like @fugood/whisper.node 1.1.3's (per-token segments, t0/t1 in ms; hand-made from its C++ source,
// not recorded from a run: no model is installed here). A real-speech run needs VIDEO_CAPTIONS_MODEL.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  pcmToS16le,
  whisperLanguage,
  whisperTranscribeOptions,
  whisperWords,
} from '../../../src/engines/captions/whisper-adapter.js';

test('options: language subtag or auto, token timestamps one token per segment, threads bounded', () => {
  assert.equal(whisperLanguage('en-US'), 'en');
  assert.equal(whisperLanguage('auto'), 'auto');
  const o = whisperTranscribeOptions({ language: 'de-DE', threads: 64 });
  assert.deepEqual(o, {
    language: 'de',
    translate: false,
    tokenTimestamps: true,
    maxLen: 1,
    temperature: 0,
    beamSize: 5,
    maxThreads: 8,
  });
});

test('PCM: floats become clamped s16le', () => {
  const v = new DataView(pcmToS16le(Float32Array.from([0, 1, -1, 2, 0.5])));
  assert.deepEqual(
    [0, 1, 2, 3, 4].map((i) => v.getInt16(i * 2, true)),
    [0, 32767, -32768, 32767, 16384],
  );
});

test('result: tokens join into words, non-speech tokens dropped, zero-length words get a duration', () => {
  const words = whisperWords({
    result: {
      language: 'en',
      result: ' And so my fellow Americans',
      isAborted: false,
      segments: [
        { text: '[BLANK_AUDIO]', t0: 0, t1: 300 },
        { text: ' And', t0: 320, t1: 510 },
        { text: ' so', t0: 510, t1: 510 },
        { text: ' my', t0: 800, t1: 1010 },
        { text: ' fel', t0: 1010, t1: 1200 },
        { text: 'low', t0: 1200, t1: 1390 },
        { text: ' Americans', t0: 1390, t1: 2100 },
      ],
    },
  });
  assert.deepEqual(
    words.map((w) => [w.word, w.start_ms, w.end_ms]),
    [
      ['And', 320, 510],
      ['so', 510, 710],
      ['my', 800, 1010],
      ['fellow', 1010, 1390],
      ['Americans', 1390, 2100],
    ],
  );
});

test(
  'real speech through whisper.cpp',
  {
    skip: process.env.VIDEO_CAPTIONS_MODEL
      ? false
      : 'SKIPPED LOUDLY: set VIDEO_CAPTIONS_MODEL to a whisper.cpp model (and install @fugood/whisper.node) to run it',
  },
  async () => {
    const { createWhisperBackend } = await import('../../../src/engines/captions/whisper-backend.js');
    const backend = await createWhisperBackend({ modelPath: process.env.VIDEO_CAPTIONS_MODEL! });
    assert.match(backend.version, /model-sha256:[0-9a-f]{64}$/);
    const r = await backend.transcribe({ pcm16k: new Float32Array(16000), language: 'auto' });
    assert.ok(Array.isArray(r.words));
  },
);
