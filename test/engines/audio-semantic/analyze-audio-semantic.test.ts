// Real speech (LibriVox recordings from pocketsphinx-testdata) framed by inserted silence, a music-like chord,
// sine levels checked against ffmpeg's own ebur128 meter, and the stub fallback.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { analyzeAudioSemantic } from '../../../src/engines/audio-semantic/analyze-audio-semantic.js';
import { parseEbur128Log } from '../../../src/engines/audio-semantic/parse-ebur128.js';
import { defaultVadModelPath } from '../../../src/engines/audio-semantic/vad-backend.js';
import { probeMedia } from '../../../src/ffmpeg/probe.js';
import { runFfmpeg } from '../visual-meta/fixtures.js';
import {
  chordThenSilence,
  paddedSpeech,
  sineAt,
  SPEECH_WAV,
  SPEECH_WAV_2,
  speechAvailable,
} from './fixtures.js';

const noModel = existsSync(defaultVadModelPath())
  ? false
  : 'Silero model missing: run scripts/fetch-vad-model.sh';
const noSpeech = speechAvailable() ? false : 'Debian package pocketsphinx-testdata is not installed';

/**
 * Independent reference for where the words start and end: ffmpeg's silencedetect with a -30 dB gate (the words
 * run at -20..-28 dB per 32 ms; the recordings' own room tone and breaths sit at -39..-47 dB, measured with
 * volumedetect). Between the end of the inserted silence and the first word there is room tone and a breath,
 * which are silence for an editor, so a correct leading silence ends between the two.
 */
async function wordsReference(path: string): Promise<{ firstWordMs: number; lastWordEndMs: number }> {
  const log = await runFfmpeg(
    ['-i', path, '-af', 'silencedetect=noise=-30dB:d=0.2', '-f', 'null', '-'],
    'info',
  );
  const ends = [...log.matchAll(/silence_end: ([\d.]+)/g)].map((m) => Math.round(Number(m[1]) * 1000));
  const starts = [...log.matchAll(/silence_start: ([\d.]+)/g)].map((m) => Math.round(Number(m[1]) * 1000));
  return { firstWordMs: ends[0]!, lastWordEndMs: starts.at(-1)! };
}

async function analyse(path: string, modelPath?: string) {
  const info = await probeMedia({ path });
  return analyzeAudioSemantic({ path, info, ...(modelPath ? { modelPath } : {}) });
}

for (const [src, speechMs] of [
  [SPEECH_WAV, 7100],
  [SPEECH_WAV_2, 5300],
] as const) {
  test(
    `silence inserted around real speech is found within ±150 ms (${src.split('/').pop()})`,
    { skip: noModel || noSpeech },
    async () => {
      const f = await paddedSpeech(src, speechMs);
      const { timeline, backend, warnings } = await analyse(f.path);
      assert.equal(backend.stub, false);
      assert.deepEqual(warnings, []);
      assert.equal(timeline.duration_ms, f.durationMs);
      const ref = await wordsReference(f.path);
      // The reference itself must see the inserted silence (else the fixture is wrong, not the engine).
      assert.ok(
        ref.firstWordMs >= f.speechStartMs && ref.lastWordEndMs <= f.speechEndMs,
        JSON.stringify(ref),
      );
      const first = timeline.windows[0]!;
      const last = timeline.windows.at(-1)!;
      assert.equal(first.kind, 'silence');
      assert.equal(first.start_ms, 0);
      assert.ok(
        first.end_ms >= f.speechStartMs - 150 && first.end_ms <= ref.firstWordMs + 150,
        `leading silence ends at ${first.end_ms}; inserted silence ends at ${f.speechStartMs}, first word at ${ref.firstWordMs}`,
      );
      assert.equal(last.kind, 'silence');
      assert.ok(
        last.start_ms <= f.speechEndMs + 150 && last.start_ms >= ref.lastWordEndMs - 150,
        `trailing silence starts at ${last.start_ms}; inserted at ${f.speechEndMs}, last word ends ${ref.lastWordEndMs}`,
      );
      // The recording is continuous read speech: speech windows cover most of it, and none lies in the padding.
      const speech = timeline.windows.filter((w) => w.kind === 'speech');
      const covered = speech.reduce((a, w) => a + w.end_ms - w.start_ms, 0);
      assert.ok(covered >= 0.75 * speechMs, `speech covers ${covered} of ${speechMs} ms`);
      for (const w of speech) {
        assert.ok(w.start_ms >= f.speechStartMs - 150 && w.end_ms <= f.speechEndMs + 150, JSON.stringify(w));
        assert.ok(w.confidence > 0.5);
      }
      // Windows tile the whole duration without gaps.
      timeline.windows.forEach((w, i) => i > 0 && assert.equal(w.start_ms, timeline.windows[i - 1]!.end_ms));
    },
  );
}

test(
  'a music-like chord is not speech; its tail of digital silence is silence',
  { skip: noModel },
  async () => {
    const path = await chordThenSilence();
    const { timeline } = await analyse(path);
    assert.deepEqual(
      timeline.windows.filter((w) => w.kind === 'speech'),
      [],
    );
    const music = timeline.windows.filter((w) => w.kind === 'music');
    assert.equal(music.length, 1, JSON.stringify(timeline.windows));
    assert.ok(music[0]!.start_ms === 0 && Math.abs(music[0]!.end_ms - 4000) <= 100, JSON.stringify(music[0]));
    assert.equal(timeline.windows.at(-1)!.kind, 'silence');
  },
);

test('loudness of a sine matches ffmpeg ebur128 within 0.5 LU (integrated and momentary)', async () => {
  for (const amplitude of [0.5, 0.05]) {
    const path = await sineAt(amplitude);
    const { timeline } = await analyse(path, '/nonexistent/model.onnx');
    const log = parseEbur128Log(await runFfmpeg(['-i', path, '-af', 'ebur128', '-f', 'null', '-'], 'info'));
    assert.ok(log.integrated_lufs !== null && log.points.length > 50);
    assert.ok(
      Math.abs(timeline.integrated_lufs! - log.integrated_lufs) <= 0.5,
      `ours ${timeline.integrated_lufs} vs ebur128 ${log.integrated_lufs}`,
    );
    // Stereo 1 kHz sine of peak A: -3.01 + 3.01 (two channels) + 20·log10(A) ≈ 20·log10(A) LUFS (K-weighting is
    // ~0 dB at 1 kHz; a full-scale mono sine reads -3.01 LUFS by the standard's definition).
    assert.ok(Math.abs(timeline.integrated_lufs! - 20 * Math.log10(amplitude)) <= 0.5);
    const at = (t: number) => timeline.loudness.find((p) => p.t_ms === t)!;
    const theirs = log.points.find((p) => Math.abs(p.t_ms - 3000) <= 50)!;
    assert.ok(Math.abs(at(3000).momentary_lufs! - theirs.momentary_lufs) <= 0.5);
    assert.ok(Math.abs(at(3000).short_term_lufs! - theirs.short_term_lufs) <= 0.5);
    assert.ok(Math.abs(timeline.sample_peak_dbfs! - 20 * Math.log10(amplitude)) <= 0.2);
  }
});

test(
  'without the model the energy stub runs, says so, and still finds the inserted silence',
  { skip: noSpeech },
  async () => {
    const f = await paddedSpeech(SPEECH_WAV, 7100);
    const { timeline, backend, warnings } = await analyse(f.path, '/nonexistent/silero.onnx');
    assert.equal(backend.stub, true);
    assert.deepEqual(
      warnings.map((w) => w.code),
      ['AUDIO_SEMANTIC_STUB_BACKEND'],
    );
    assert.equal(timeline.windows[0]!.kind, 'silence');
    assert.ok(
      Math.abs(timeline.windows[0]!.end_ms - f.speechStartMs) <= 300,
      JSON.stringify(timeline.windows[0]),
    );
    assert.equal(timeline.windows.at(-1)!.kind, 'silence');
    assert.ok(timeline.windows.some((w) => w.kind === 'speech'));
  },
);

test('a file without audio is a coded error', async () => {
  const path = await sineAt(0.5);
  const info = await probeMedia({ path });
  const { audio: _drop, ...noAudio } = info;
  await assert.rejects(analyzeAudioSemantic({ path, info: noAudio }), { code: 'UNSUPPORTED_MEDIA' });
});

test('an aborted analysis rejects', async () => {
  const path = await sineAt(0.5);
  const info = await probeMedia({ path });
  const ac = new AbortController();
  ac.abort(new Error('user cancelled'));
  await assert.rejects(
    analyzeAudioSemantic({ path, info, modelPath: '/nonexistent', signal: ac.signal }),
    /user cancelled/,
  );
});
