// Edit by transcript on real speech (pocketsphinx-testdata LibriVox clips with silences inserted at known
// places), rendered with the normal renderer and checked on the output: removed ranges against the inserted
// silences, recognition of the render, clicks at joins, words not clipped, ducking levels.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createStubAsrBackend } from '../../../src/engines/captions/stub-backend.js';
import { generateCaptions, readTranscript } from '../../../src/engines/captions/index.js';
import { removeSilences, transcriptEdit, type EditResult } from '../../../src/engines/transcript-edit/index.js';
import { transcriptWords, type TranscriptWord } from '../../../src/plan/captions/transcript.js';
import type { KeptSpan } from '../../../src/plan/transcript-edit/index.js';
import { renderToFile } from '../../../src/render/index.js';
import { parseTimeline } from '../../../src/timeline/index.js';
import { durationMs } from '../../helpers/media.js';
import { makeServices, type TestServices } from '../../media/setup.js';
import { integratedLufs, musicBed, pcm, rmsDb, speechDataAvailable, speechWithSilences, type SpeechFixture } from './fixtures.js';

const RATE = 48000;

/** Peak |x[n] - x[n-1]| within ±5 ms of each join, and the clip's own 99th percentile of |x[n] - x[n-1]|. */
function joinSteps(file: string, kept: KeptSpan[]): { peaks: number[]; p99: number } {
  const x = pcm(file, RATE);
  const d = new Float32Array(x.length - 1);
  for (let i = 1; i < x.length; i++) d[i - 1] = Math.abs(x[i]! - x[i - 1]!);
  const sorted = Float32Array.from(d).sort();
  const p99 = sorted[Math.floor(sorted.length * 0.99)]!;
  const peaks = kept.slice(1).map((k) => {
    const c = Math.round((k.start_ms * RATE) / 1000);
    let m = 0;
    for (let i = Math.max(0, c - 240); i < Math.min(d.length, c + 240); i++) m = Math.max(m, d[i]!);
    return m;
  });
  return { peaks, p99 };
}

/** Every derived word kept its full length (no word clipped), moved by its span's shift, and has sound in the render. */
function checkWordsWhole(result: EditResult, source: TranscriptWord[], derived: TranscriptWord[], render: string): void {
  const removed = new Set<number>();
  for (const r of result.plan.removed) if (r.words) for (let i = r.words.start; i <= r.words.end; i++) removed.add(i);
  const kept = source.filter((_, i) => !removed.has(i));
  assert.equal(derived.length, kept.length);
  const x = pcm(render, 16000);
  derived.forEach((w, i) => {
    const orig = kept[i]!;
    assert.equal(w.word, orig.word);
    assert.equal(w.end_ms - w.start_ms, orig.end_ms - orig.start_ms, `word ${w.word} clipped`);
    const span = result.plan.kept.find((k) => orig.start_ms >= k.in_ms && orig.end_ms <= k.out_ms);
    assert.ok(span, `word ${JSON.stringify(orig)} is not inside one kept span`);
    assert.equal(w.start_ms, orig.start_ms + span.start_ms - span.in_ms);
    assert.ok(rmsDb(x, 16000, w.start_ms, w.end_ms) > -45, `no sound at ${w.word} ${w.start_ms}-${w.end_ms} in the render`);
  });
}

describe('edit by transcript on real speech', { skip: !speechDataAvailable() }, () => {
  let services: TestServices;
  let dir: string;
  let fx: SpeechFixture;
  let assetId: string;
  let transcriptId: string;
  let words: TranscriptWord[];
  const ctx = () => services.tenant('dev', 'tedit');

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cutroom-tedit-'));
    fx = speechWithSilences(dir);
    services = await makeServices();
    assetId = (await services.assets.registerAsset(await ctx(), { source: { path: fx.file } })).asset.id;
    const captions = await generateCaptions(services, await ctx(), { asset_id: assetId });
    assert.notEqual(captions.artifact.meta.stub, true, 'these tests need the real pocketsphinx backend');
    transcriptId = captions.artifact.id;
    words = transcriptWords((await readTranscript(services, await ctx(), transcriptId)).transcript);
  });
  after(async () => {
    await services?.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('silence removal: removed ranges match the inserted silences (padding kept) within 50 ms; no clicks, no word clipped', async () => {
    const r = await removeSilences(services, await ctx(), { asset_id: assetId, transcript_artifact_id: transcriptId });
    const pad = 120;
    for (const s of fx.silences) {
      const hit = r.plan.removed.find((x) => x.start_ms < s.end_ms && x.end_ms > s.start_ms);
      assert.ok(hit, `inserted silence ${JSON.stringify(s)} not removed: ${JSON.stringify(r.plan.removed)}`);
      assert.ok(Math.abs(hit.start_ms - (s.start_ms + pad)) <= 50, `start ${hit.start_ms} vs ${s.start_ms + pad}`);
      assert.ok(Math.abs(hit.end_ms - (s.end_ms - pad)) <= 50, `end ${hit.end_ms} vs ${s.end_ms - pad}`);
    }
    const saved = r.plan.removed.reduce((n, x) => n + x.end_ms - x.start_ms, 0);
    assert.ok(Math.abs(r.plan.time_saved_ms - saved) <= 1);
    assert.ok(r.plan.time_saved_ms >= fx.silences.reduce((n, s) => n + s.end_ms - s.start_ms - 2 * pad - 100, 0));
    assert.deepEqual((r.timeline.meta as { time_saved_ms: number }).time_saved_ms, r.plan.time_saved_ms);
    assert.ok(r.project, 'saved as a project');
    // Deterministic: the same request gives the same timeline bytes.
    const again = await removeSilences(services, await ctx(), { asset_id: assetId, transcript_artifact_id: transcriptId, save_project: false });
    assert.equal(JSON.stringify(again.timeline), JSON.stringify(r.timeline));

    const out = join(dir, 'silences.mp4');
    await renderToFile({ services, ctx: await ctx(), timeline: r.timeline, profile: 'draft_360p', output: out });
    assert.ok(Math.abs((await durationMs(out)) - r.plan.output_duration_ms) <= 34, 'render length = planned length');
    const steps = joinSteps(out, r.plan.kept);
    for (const p of steps.peaks) assert.ok(p < steps.p99, `join step ${p} ≥ p99 ${steps.p99}`);
    const derived = transcriptWords((await readTranscript(services, await ctx(), r.transcript_artifact!.id)).transcript);
    assert.equal(derived.length, words.length, 'silence removal keeps every word');
    checkWordsWhole(r, words, derived, out);
  });

  it('transcript edit: the render no longer has the removed word, keeps its neighbours, stays in sync with the derived transcript', async () => {
    const counts = new Map<string, number>();
    for (const w of words) counts.set(w.word, (counts.get(w.word) ?? 0) + 1);
    const ok = (i: number) => words[i] !== undefined && words[i]!.word.length >= 4 && counts.get(words[i]!.word) === 1;
    const k = words.findIndex((_, i) => i > 0 && ok(i) && ok(i - 1) && ok(i + 1) && words[i]!.word.length >= 5);
    assert.ok(k > 0, `no distinctive word with distinctive neighbours in ${words.map((w) => w.word).join(' ')}`);
    const r = await transcriptEdit(services, await ctx(), { asset_id: assetId, transcript_artifact_id: transcriptId, remove: [{ start: k, end: k }], captions: true });
    assert.deepEqual(r.plan.removed.map((x) => [x.reason, x.words?.text]), [['words', words[k]!.word]]);
    const cut = r.plan.removed[0]!;
    assert.ok(cut.start_ms >= words[k - 1]!.end_ms && cut.end_ms <= words[k + 1]!.start_ms, 'cuts inside the gaps');
    assert.equal(r.timeline.tracks[1]!.kind, 'caption');
    const out = join(dir, 'words.mp4');
    await renderToFile({ services, ctx: await ctx(), timeline: r.timeline, profile: 'draft_360p', output: out });
    const derived = transcriptWords((await readTranscript(services, await ctx(), r.transcript_artifact!.id)).transcript);
    assert.equal(derived.length, words.length - 1);
    checkWordsWhole(r, words, derived, out);
    const steps = joinSteps(out, r.plan.kept);
    for (const p of steps.peaks) assert.ok(p < steps.p99, `join step ${p} ≥ p99 ${steps.p99}`);

    const rendered = (await services.assets.registerAsset(await ctx(), { source: { path: out } })).asset;
    const heard = transcriptWords(
      (await readTranscript(services, await ctx(), (await generateCaptions(services, await ctx(), { asset_id: rendered.id })).artifact.id)).transcript,
    );
    const heardWords = heard.map((w) => w.word);
    assert.ok(!heardWords.includes(words[k]!.word), `"${words[k]!.word}" still recognised in: ${heardWords.join(' ')}`);
    assert.ok(heardWords.includes(words[k - 1]!.word) && heardWords.includes(words[k + 1]!.word), `neighbours missing in: ${heardWords.join(' ')}`);
    // In sync: words recognised on the render sit where the derived transcript says (median offset < 100 ms).
    const offsets = heard
      .map((h) => derived.find((d) => d.word === h.word && counts.get(d.word) === 1))
      .map((d, i) => (d ? Math.abs(d.start_ms - heard[i]!.start_ms) : undefined))
      .filter((x): x is number => x !== undefined)
      .sort((a, b) => a - b);
    assert.ok(offsets.length >= 5, `only ${offsets.length} words matched`);
    assert.ok(offsets[offsets.length >> 1]! < 100, `median offset ${offsets[offsets.length >> 1]} ms`);
  });

  it('duck_under speech: the bed is ≥ 10 dB lower during speech than between, the speech loudness unchanged within 0.5 LU', async () => {
    // The speech windows come from the asset's audio_semantic_timeline (made by the silence removal above).
    const bed = (await services.assets.registerAsset(await ctx(), { source: { path: musicBed(dir, fx.duration_ms) } })).asset.id;
    const speechOnly = parseTimeline({ tracks: [{ id: 'talk', kind: 'video', clips: [{ id: 'a', asset_id: assetId, start_ms: 0 }] }] });
    const mixed = parseTimeline({
      tracks: [
        { id: 'talk', kind: 'video', clips: [{ id: 'a', asset_id: assetId, start_ms: 0 }] },
        { id: 'bed', kind: 'audio', duck_under: 'speech', clips: [{ id: 'm', asset_id: bed, start_ms: 0 }] },
      ],
    });
    const a = join(dir, 'speech-only.mp4');
    const b = join(dir, 'ducked.mp4');
    await renderToFile({ services, ctx: await ctx(), timeline: speechOnly, profile: 'draft_360p', output: a });
    let ducking: unknown;
    await renderToFile({ services, ctx: await ctx(), timeline: mixed, profile: 'draft_360p', output: b, onPlan: (p) => (ducking = p.plan.meta.ducking) });
    assert.equal((ducking as Array<{ method: string }>)[0]!.method, 'gain');
    // The bed alone: above 9 kHz (16 kHz speech has nothing there).
    const music = pcm(b, RATE, 'highpass=f=9000:poles=2,highpass=f=9000:poles=2');
    const between = fx.silences.map((s) => rmsDb(music, RATE, s.start_ms + 600, s.end_ms - 600));
    const during = [
      [800, 1800],
      [fx.silences[0]!.end_ms + 500, fx.silences[1]!.start_ms - 500],
    ].map(([s, e]) => rmsDb(music, RATE, s!, e!));
    for (const d of during) for (const q of between) assert.ok(q - d >= 10, `bed ${d.toFixed(1)} dB in speech vs ${q.toFixed(1)} dB between`);
    // The speech: below 7 kHz, ducked mix vs speech alone.
    const speechMixed = integratedLufs(b, 'lowpass=f=7000:poles=2,lowpass=f=7000:poles=2');
    const speechAlone = integratedLufs(a, 'lowpass=f=7000:poles=2,lowpass=f=7000:poles=2');
    assert.ok(Math.abs(speechMixed - speechAlone) <= 0.5, `speech ${speechMixed} vs ${speechAlone} LUFS`);
  });

  it('bad input: unknown index, overlapping ranges, everything, another asset, another tenant, stub and derived transcripts', async () => {
    const c = await ctx();
    const base = { asset_id: assetId, transcript_artifact_id: transcriptId };
    await assert.rejects(transcriptEdit(services, c, { ...base, remove: [{ start: 0, end: words.length }] }), (e: { code: string; details: { issues: Array<{ path: string }> } }) => {
      assert.equal(e.code, 'TRANSCRIPT_EDIT_INVALID');
      assert.equal(e.details.issues[0]!.path, 'remove[0].end');
      return true;
    });
    await assert.rejects(transcriptEdit(services, c, { ...base, remove: [{ start: 1, end: 3 }, { start: 3, end: 4 }] }), { code: 'TRANSCRIPT_EDIT_INVALID', message: /remove\[1\].*overlaps remove\[0\]/ });
    await assert.rejects(transcriptEdit(services, c, { ...base, remove: [{ start: 0, end: words.length - 1 }] }), { code: 'EDIT_REMOVES_EVERYTHING' });
    await assert.rejects(transcriptEdit(services, c, { ...base, text: 'zebra ' + words.map((w) => w.word).join(' ') }), { code: 'TRANSCRIPT_EDIT_INVALID', message: /"zebra"/ });
    await assert.rejects(transcriptEdit(services, c, { asset_id: assetId }), { code: 'VALIDATION_FAILED', message: /remove: nothing to remove/ });
    // A transcript of another asset.
    const other = (await services.assets.registerAsset(c, { source: { path: join(dir, 'clip0.wav') } })).asset.id;
    await assert.rejects(transcriptEdit(services, c, { asset_id: other, transcript_artifact_id: transcriptId, remove: [{ start: 0, end: 0 }] }), {
      code: 'TRANSCRIPT_ASSET_MISMATCH',
      message: /^transcript_artifact_id:/,
    });
    // Another tenant's artifact (and asset) is not found, not readable.
    const intruder = await services.tenant('dev', 'tedit_other');
    const theirs = (await services.assets.registerAsset(intruder, { source: { path: join(dir, 'clip0.wav') } })).asset.id;
    await assert.rejects(transcriptEdit(services, intruder, { asset_id: theirs, transcript_artifact_id: transcriptId, remove: [{ start: 0, end: 0 }] }), {
      code: 'ARTIFACT_NOT_FOUND',
    });
    await assert.rejects(removeSilences(services, intruder, { asset_id: assetId }), { code: 'ASSET_NOT_FOUND' });
    // Stub transcripts have no real timings.
    const stub = await generateCaptions(services, c, { asset_id: other }, { backend: { backend: createStubAsrBackend(), warnings: [] } });
    await assert.rejects(transcriptEdit(services, c, { asset_id: other, transcript_artifact_id: stub.artifact.id, remove_fillers: true }), {
      code: 'TRANSCRIPT_STUB_REFUSED',
    });
    await assert.rejects(transcriptEdit(services, c, { asset_id: other, remove_fillers: true }), { code: 'ARTIFACT_NOT_FOUND', message: /no real asr_transcript/ });
    // The derived transcript of an edit is on that edit's clock: refused as a source.
    const edit = await transcriptEdit(services, c, { ...base, remove: [{ start: 1, end: 1 }], save_project: false });
    await assert.rejects(transcriptEdit(services, c, { asset_id: assetId, transcript_artifact_id: edit.transcript_artifact!.id, remove: [{ start: 0, end: 0 }] }), {
      code: 'TRANSCRIPT_ASSET_MISMATCH',
      message: /derived transcript/,
    });
    // ...and the default transcript is still the source's, not the derived one.
    const byDefault = await transcriptEdit(services, c, { asset_id: assetId, remove: [{ start: 1, end: 1 }], save_project: false });
    assert.equal((byDefault.timeline.meta as { source_transcript_artifact_id: string }).source_transcript_artifact_id, transcriptId);
  });
});
