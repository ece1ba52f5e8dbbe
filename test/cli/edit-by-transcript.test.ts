// cutroom cut-words / trim-silence: the real CLI in a child process on a small real recording (LibriVox speech
// from pocketsphinx-testdata with 1.5 s and 2 s pauses inserted, under a 160x120 testsrc video), recognised by
// the real pocketsphinx backend and rendered; the output is checked with ffprobe and against the transcript.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { speechDataAvailable, speechWithSilences, type SpeechFixture } from '../engines/transcript-edit/fixtures.js';
import { durationMs } from '../helpers/media.js';
import { cutroomIn, type Run } from './run-cli.js';

interface Summary {
  output: string;
  project: { id: string } | null;
  removed: Array<{ start_ms: number; end_ms: number; reason: string; words?: { start: number; end: number; text: string } }>;
  time_saved_ms: number;
  output_duration_ms: number;
  warnings: Array<{ code: string }>;
}

describe('cutroom cut-words and trim-silence', { skip: !speechDataAvailable() }, () => {
  let dir: string;
  let fx: SpeechFixture;
  let words: Array<{ index: number; start_ms: number; end_ms: number; word: string }>;
  const cutroom = (args: string[]): Run => cutroomIn(dir, args);

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'cutroom-cli-tedit-'));
    fx = speechWithSilences(dir);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('cut-words --list prints the numbered words; --remove cuts one out and renders the edit', async () => {
    const list = cutroom(['cut-words', fx.file, '--list']);
    assert.equal(list.status, 0, list.stderr);
    words = list.stdout
      .trim()
      .split('\n')
      .map((l) => {
        const [i, s, e, w] = l.split('\t');
        return { index: Number(i), start_ms: Number(s), end_ms: Number(e), word: w! };
      });
    assert.ok(words.length >= 10, list.stdout);
    assert.deepEqual(words.map((w) => w.index), words.map((_, i) => i));
    const k = 3;
    const out = join(dir, 'cut.mp4');
    const r = cutroom(['cut-words', fx.file, '--remove', String(k), '-o', out, '--json']);
    assert.equal(r.status, 0, r.stderr);
    const s = JSON.parse(r.stdout) as Summary;
    assert.equal(s.output, out);
    assert.deepEqual(s.removed.map((x) => [x.reason, x.words]), [['words', { start: k, end: k, text: words[k]!.word }]]);
    assert.ok(s.removed[0]!.start_ms >= words[k - 1]!.end_ms && s.removed[0]!.end_ms <= words[k + 1]!.start_ms);
    assert.ok(s.project?.id);
    const rendered = await durationMs(out);
    assert.ok(Math.abs(rendered - s.output_duration_ms) <= 34, `render ${rendered} ms vs planned ${s.output_duration_ms} ms`);
    assert.ok(Math.abs(fx.duration_ms - s.time_saved_ms - rendered) <= 60, 'the render is shorter by the time saved');
  });

  it('cut-words --text: the words left out of the edited text are removed (plain output)', () => {
    const text = join(dir, 'edited.txt');
    writeFileSync(text, words.filter((w) => w.index !== 1 && w.index !== 2).map((w) => w.word).join(' '));
    const r = cutroom(['cut-words', fx.file, '--text', text]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`^removed \\d+-\\d+ ms \\(words: "${words[1]!.word} ${words[2]!.word}"\\)$`, 'm'));
    assert.match(r.stdout, /^1 range\(s\) removed, [\d.]+ s saved: [\d.]+ s -> [\d.]+ s; project prj_\w+$/m);
  });

  it('trim-silence -o: the inserted pauses shrink to their padding, the render is as long as planned', async () => {
    const out = join(dir, 'trimmed.mp4');
    const r = cutroom(['trim-silence', fx.file, '--words', '-o', out, '--json']);
    assert.equal(r.status, 0, r.stderr);
    const s = JSON.parse(r.stdout) as Summary;
    for (const p of fx.silences) {
      const hit = s.removed.find((x) => x.start_ms < p.end_ms && x.end_ms > p.start_ms);
      assert.ok(hit, `pause ${JSON.stringify(p)} not removed: ${JSON.stringify(s.removed)}`);
      assert.equal(hit.reason, 'silence');
      assert.ok(Math.abs(hit.start_ms - (p.start_ms + 120)) <= 50 && Math.abs(hit.end_ms - (p.end_ms - 120)) <= 50, JSON.stringify(hit));
    }
    for (const x of s.removed)
      for (const w of words) assert.ok(x.end_ms <= w.start_ms || x.start_ms >= w.end_ms, `${JSON.stringify(x)} cuts into ${JSON.stringify(w)}`);
    assert.ok(!s.warnings.some((w) => w.code === 'EDIT_WORDS_UNCHECKED'), 'checked against the transcript');
    const rendered = await durationMs(out);
    assert.ok(Math.abs(rendered - s.output_duration_ms) <= 34, `render ${rendered} ms vs planned ${s.output_duration_ms} ms`);
    // --preset tight removes at least as much.
    const tight = cutroom(['trim-silence', fx.file, '--preset', 'tight', '--json']);
    assert.equal(tight.status, 0, tight.stderr);
    assert.ok((JSON.parse(tight.stdout) as Summary).time_saved_ms >= s.time_saved_ms);
  });

  it('bad input: non-zero exit and one readable line', () => {
    const cases: Array<[string[], number, RegExp]> = [
      [['cut-words', fx.file, '--remove', 'three'], 2, /^cutroom: CLI_USAGE: --remove takes word index ranges like 3-5,9; got "three"$/],
      [['cut-words', fx.file], 2, /^cutroom: CLI_USAGE: give --remove, --text or --fillers/],
      [['cut-words', fx.file, '--remove', `0-${words.length + 5}`], 1, /^cutroom: TRANSCRIPT_EDIT_INVALID: .*remove\[0\]\.end: unknown word index/],
      [['cut-words', fx.file, '--remove', `0-${words.length - 1}`], 1, /^cutroom: EDIT_REMOVES_EVERYTHING: /],
      [['cut-words', fx.file, '--remove', '2-4,4-6'], 1, /^cutroom: TRANSCRIPT_EDIT_INVALID: .*overlaps/],
      [['cut-words', fx.file, '--remove', '1', '--crossfade', 'soft'], 2, /^cutroom: CLI_USAGE: --crossfade must be an integer/],
      [['trim-silence', fx.file, '--preset', 'fast'], 2, /^cutroom: CLI_USAGE: --preset must be natural, tight or jumpcut, got "fast"$/],
      [['trim-silence', fx.file, '--padding', '-5'], 2, /^cutroom: VALIDATION_FAILED: .*padding_ms/],
      [['trim-silence', join(dir, 'nope.mp4')], 1, /^cutroom: INVALID_PATH: .*nope\.mp4/],
    ];
    for (const [args, status, line] of cases) {
      const r = cutroom(args);
      assert.equal(r.status, status, `${args.join(' ')}: ${r.stderr}`);
      assert.equal(r.errLines.length, 1, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.errLines[0]!, line);
      assert.equal(r.stdout, '', args.join(' '));
    }
  });
});
