// Edit by transcript and silence removal of a SEQUENCE on real speech (pocketsphinx-testdata LibriVox clips):
// clip "a" plays a range of one recording (speech, 1.5 s of inserted silence, speech, 1 s of the next silence),
// clip "b" a second recording, after an 800 ms gap on the track. Each asset has its own real pocketsphinx
// transcript. Results are rendered with the normal renderer and checked on the output (duration, recognition,
// sound at every derived word, no click at joins).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { generateCaptions, readTranscript } from '../../../src/engines/captions/index.js';
import { removeSilences, transcriptEdit, type EditResult } from '../../../src/engines/transcript-edit/index.js';
import { transcriptWords, type TranscriptWord } from '../../../src/plan/captions/transcript.js';
import { renderToFile } from '../../../src/render/index.js';
import type { TimelineInput } from '../../../src/timeline/index.js';
import { durationMs } from '../../helpers/media.js';
import { makeServices, type TestServices } from '../../media/setup.js';
import { ff, pcm, rmsDb, speechDataAvailable, speechWithSilences, type SpeechFixture } from './fixtures.js';

const RATE = 48000;
const GAP_MS = 800;

/** Peak |x[n] - x[n-1]| within ±5 ms of each edit join vs the render's own 99th percentile. */
function joinSteps(file: string, joinsMs: number[]): { peaks: number[]; p99: number } {
  const x = pcm(file, RATE);
  const d = new Float32Array(x.length - 1);
  for (let i = 1; i < x.length; i++) d[i - 1] = Math.abs(x[i]! - x[i - 1]!);
  const p99 = Float32Array.from(d).sort()[Math.floor(d.length * 0.99)]!;
  const peaks = joinsMs.map((t) => {
    const c = Math.round((t * RATE) / 1000);
    let m = 0;
    for (let i = Math.max(0, c - 240); i < Math.min(d.length, c + 240); i++) m = Math.max(m, d[i]!);
    return m;
  });
  return { peaks, p99 };
}

/** Edit joins: where a clip starting at a cut begins on the edit's clock. */
function cutJoins(r: EditResult): number[] {
  return r.plan.kept.slice(1).map((k) => k.start_ms);
}

describe('edit by transcript of a sequence of two recordings', { skip: !speechDataAvailable() }, () => {
  let services: TestServices;
  let dir: string;
  let fx: SpeechFixture;
  let assetA: string;
  let assetB: string;
  let trA: string;
  let trB: string;
  let wordsA: TranscriptWord[];
  let wordsB: TranscriptWord[];
  let aOut: number;
  let bLen: number;
  let timeline: TimelineInput;
  const ctx = () => services.tenant('dev', 'tedit_seq');

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cutroom-tedit-seq-'));
    fx = speechWithSilences(dir);
    // Recording B: the third clip alone (trimmed to its speech by the fixture), under testsrc2.
    const b = join(dir, 'b.mkv');
    const bWav = join(dir, 'clip2.wav');
    bLen = Math.floor((pcm(bWav, 16000).length / 16000) * 1000);
    ff([
      '-f', 'lavfi', '-i', `testsrc2=s=160x120:r=30:d=${(bLen / 1000).toFixed(3)}`,
      '-i', bWav, '-map', '0:v', '-map', '1:a', '-c:v', 'libx264', '-preset', 'ultrafast', '-g', '30', '-pix_fmt', 'yuv420p',
      '-c:a', 'pcm_s16le', '-shortest', b,
    ]);
    services = await makeServices();
    const c = await ctx();
    assetA = (await services.assets.registerAsset(c, { source: { path: fx.file } })).asset.id;
    assetB = (await services.assets.registerAsset(c, { source: { path: b } })).asset.id;
    bLen = (await services.assets.getAsset(c, assetB)).media_info.video!.duration_ms;
    const capA = await generateCaptions(services, c, { asset_id: assetA });
    const capB = await generateCaptions(services, c, { asset_id: assetB });
    assert.notEqual(capA.artifact.meta.stub, true, 'these tests need the real pocketsphinx backend');
    trA = capA.artifact.id;
    trB = capB.artifact.id;
    wordsA = transcriptWords((await readTranscript(services, c, trA)).transcript);
    wordsB = transcriptWords((await readTranscript(services, c, trB)).transcript);
    aOut = Math.round(fx.silences[1]!.start_ms + 1000);
    timeline = {
      tracks: [
        {
          id: 'talk',
          kind: 'video',
          clips: [
            { id: 'a', asset_id: assetA, start_ms: 0, in_ms: 0, out_ms: aOut },
            { id: 'b', asset_id: assetB, start_ms: aOut + GAP_MS, in_ms: 0 },
          ],
        },
      ],
    };
  });
  after(async () => {
    await services?.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('silence removal: the inserted silence and the pause + gap between the clips go, padding kept; clip and source times in the meta', async () => {
    const r = await removeSilences(services, await ctx(), { timeline });
    const pad = 120;
    const s0 = fx.silences[0]!;
    const inA = r.plan.removed.find((x) => x.start_ms < s0.end_ms && x.end_ms > s0.start_ms);
    assert.ok(inA, `inserted silence ${JSON.stringify(s0)} not removed: ${JSON.stringify(r.plan.removed)}`);
    assert.ok(Math.abs(inA.start_ms - (s0.start_ms + pad)) <= 50, `start ${inA.start_ms} vs ${s0.start_ms + pad}`);
    assert.ok(Math.abs(inA.end_ms - (s0.end_ms - pad)) <= 50, `end ${inA.end_ms} vs ${s0.end_ms - pad}`);
    // Clip a's last second is silence, then the gap: one pause from silence 2's start to b's first sound.
    const s1Start = fx.silences[1]!.start_ms;
    const bStart = aOut + GAP_MS;
    const across = r.plan.removed.find((x) => x.start_ms < bStart && x.end_ms > aOut);
    assert.ok(across, `the pause across the gap is not removed: ${JSON.stringify(r.plan.removed)}`);
    assert.ok(Math.abs(across.start_ms - (s1Start + pad)) <= 50, `start ${across.start_ms} vs ${s1Start + pad}`);
    assert.ok(across.end_ms <= bStart + 100 && across.end_ms >= bStart - pad - 50, `end ${across.end_ms} vs b at ${bStart}`);
    const meta = r.timeline.meta as { removed: Array<{ start_ms: number; sources: Array<{ clip_id: string; asset_id: string; in_ms: number; out_ms: number }> }> };
    const m0 = meta.removed.find((x) => x.start_ms === inA.start_ms)!;
    assert.deepEqual(m0.sources, [{ clip_id: 'a', asset_id: assetA, in_ms: inA.start_ms, out_ms: inA.end_ms }], 'a starts at 0 with in 0');
    const m1 = meta.removed.find((x) => x.start_ms === across.start_ms)!;
    assert.equal(m1.sources[0]!.clip_id, 'a');
    assert.equal(m1.sources[0]!.in_ms, across.start_ms);
    assert.equal(m1.sources[0]!.out_ms, aOut, 'the part in clip a runs to its out point; the rest is the gap');
    for (const src of m1.sources.slice(1)) assert.deepEqual([src.clip_id, src.in_ms], ['b', 0]);
    // Deterministic.
    const again = await removeSilences(services, await ctx(), { timeline, save_project: false });
    assert.equal(JSON.stringify(again.timeline), JSON.stringify(r.timeline));

    const out = join(dir, 'seq-silences.mp4');
    await renderToFile({ services, ctx: await ctx(), timeline: r.timeline, profile: 'draft_360p', output: out });
    assert.ok(Math.abs((await durationMs(out)) - r.plan.output_duration_ms) <= 34, 'render length = planned length');
    const steps = joinSteps(out, cutJoins(r));
    for (const p of steps.peaks) assert.ok(p < steps.p99, `join step ${p} ≥ p99 ${steps.p99}`);
    // Every word of both clips survives, with sound where the derived transcript puts it.
    const derived = transcriptWords((await readTranscript(services, await ctx(), r.transcript_artifact!.id)).transcript);
    const inRange = wordsA.filter((w) => w.end_ms > 0 && w.start_ms < aOut).length + wordsB.length;
    assert.equal(derived.length, inRange);
    const x = pcm(out, 16000);
    for (const w of derived.filter((d) => !d.word.startsWith('[') && !d.word.startsWith('+')))
      assert.ok(rmsDb(x, 16000, w.start_ms, w.end_ms) > -45, `no sound at ${w.word} ${w.start_ms}-${w.end_ms}`);
  });

  it('transcript edit: a word of clip b addressed by its sequence index is gone from the render, its neighbours stay', async () => {
    const aWords = wordsA.filter((w) => w.end_ms > 0 && w.start_ms < aOut);
    const counts = new Map<string, number>();
    for (const w of [...aWords, ...wordsB]) counts.set(w.word, (counts.get(w.word) ?? 0) + 1);
    const unique = (i: number, len: number) => wordsB[i] !== undefined && wordsB[i]!.word.length >= len && counts.get(wordsB[i]!.word) === 1;
    // The removed word (unique, ≥ 5 letters) and the nearest unique word (≥ 4 letters) within 3 on each side.
    const near = (j: number, dir: -1 | 1) => [1, 2, 3].map((d) => j + dir * d).find((i) => unique(i, 4));
    const j = wordsB.findIndex((_, i) => unique(i, 5) && near(i, -1) !== undefined && near(i, 1) !== undefined);
    assert.ok(j > 0, `no distinctive word in clip b: ${wordsB.map((w) => w.word).join(' ')}`);
    const [before, after] = [wordsB[near(j, -1)!]!.word, wordsB[near(j, 1)!]!.word];
    const k = aWords.length + j;
    const r = await transcriptEdit(services, await ctx(), { timeline, remove: [{ start: k, end: k }], captions: true });
    assert.deepEqual(r.plan.removed.map((x) => [x.reason, x.words?.text]), [['words', wordsB[j]!.word]]);
    const meta = r.timeline.meta as { removed: Array<{ sources: Array<{ clip_id: string; asset_id: string; in_ms: number; out_ms: number }> }> };
    const src = meta.removed[0]!.sources;
    assert.equal(src.length, 1);
    assert.deepEqual([src[0]!.clip_id, src[0]!.asset_id], ['b', assetB]);
    assert.ok(src[0]!.in_ms >= wordsB[j - 1]!.end_ms && src[0]!.out_ms <= wordsB[j + 1]!.start_ms, `cut ${JSON.stringify(src[0])} not in B's gaps`);
    // The result: a's range whole, then b in two pieces around the cut, both of asset B.
    const clips = (r.timeline.tracks[0] as { clips: Array<{ asset_id: string; in_ms: number; out_ms: number; start_ms: number }> }).clips;
    assert.deepEqual(clips.map((c) => c.asset_id), [assetA, assetB, assetB]);
    assert.deepEqual([clips[0]!.in_ms, clips[0]!.out_ms], [0, aOut]);
    assert.equal(clips[1]!.start_ms, aOut + GAP_MS, 'the gap stays a gap');
    assert.deepEqual([clips[1]!.out_ms, clips[2]!.in_ms], [src[0]!.in_ms, src[0]!.out_ms]);
    assert.equal(r.timeline.tracks[1]!.kind, 'caption');

    const out = join(dir, 'seq-words.mp4');
    await renderToFile({ services, ctx: await ctx(), timeline: r.timeline, profile: 'draft_360p', output: out });
    assert.ok(Math.abs((await durationMs(out)) - r.plan.output_duration_ms) <= 34, 'render length = planned length');
    const derived = transcriptWords((await readTranscript(services, await ctx(), r.transcript_artifact!.id)).transcript);
    assert.equal(derived.length, aWords.length + wordsB.length - 1);
    // b's words after the cut moved earlier by exactly the removed length.
    const cutLen = src[0]!.out_ms - src[0]!.in_ms;
    const next = derived.find((d) => d.word === wordsB[j + 1]!.word && d.start_ms > aOut + GAP_MS)!;
    assert.equal(next.start_ms, aOut + GAP_MS + wordsB[j + 1]!.start_ms - cutLen);
    const steps = joinSteps(out, cutJoins(r));
    for (const p of steps.peaks) assert.ok(p < steps.p99, `join step ${p} ≥ p99 ${steps.p99}`);
    const rendered = (await services.assets.registerAsset(await ctx(), { source: { path: out } })).asset;
    const heard = transcriptWords(
      (await readTranscript(services, await ctx(), (await generateCaptions(services, await ctx(), { asset_id: rendered.id })).artifact.id)).transcript,
    ).map((w) => w.word);
    assert.ok(!heard.includes(wordsB[j]!.word), `"${wordsB[j]!.word}" still recognised in: ${heard.join(' ')}`);
    assert.ok(heard.includes(before) && heard.includes(after), `neighbours "${before}", "${after}" missing in: ${heard.join(' ')}`);
  });

  it('a stored project sequence gives the same edit as the inline timeline', async () => {
    const c = await ctx();
    const project = await services.projects.createProject(c, { document: { name: 'two talks', sequences: [{ id: 'cut1', ...timeline }] } });
    const inline = await transcriptEdit(services, c, { timeline, remove: [{ start: 1, end: 1 }], save_project: false });
    const stored = await transcriptEdit(services, c, { project_id: project.id, sequence_id: 'cut1', remove: [{ start: 1, end: 1 }], save_project: false });
    const strip = (t: EditResult['timeline']) => JSON.stringify({ ...t, meta: { ...t.meta, source_sequence: null } });
    assert.equal(strip(stored.timeline), strip(inline.timeline));
    assert.deepEqual((stored.timeline.meta as { source_sequence: unknown }).source_sequence, { project_id: project.id, sequence_id: 'cut1', track_id: 'talk' });
  });

  it('bad input: coded errors naming the field path', async () => {
    const c = await ctx();
    const tl = (clips: unknown[], extra: Record<string, unknown> = {}) => ({ tracks: [{ id: 'talk', kind: 'video', clips, ...extra }] });
    const clipA = { id: 'a', asset_id: assetA, start_ms: 0, in_ms: 0, out_ms: aOut };
    const clipB = { id: 'b', asset_id: assetB, start_ms: aOut + GAP_MS };
    const expect = async (p: Promise<unknown>, code: string, path: string) =>
      assert.rejects(p, (e: { code: string; details: { path?: string; issues?: Array<{ path: string }> } }) => {
        assert.equal(e.code, code);
        const paths = [e.details.path, ...(e.details.issues ?? []).map((i) => i.path)];
        assert.ok(paths.includes(path), `${path} not in ${JSON.stringify(paths)}`);
        return true;
      });
    const total = wordsA.filter((w) => w.end_ms > 0 && w.start_ms < aOut).length + wordsB.length;
    await expect(transcriptEdit(services, c, { timeline, remove: [{ start: 0, end: total }] }), 'TRANSCRIPT_EDIT_INVALID', 'remove[0].end');
    // A clip whose asset has no transcript.
    const bare = (await services.assets.registerAsset(c, { source: { path: join(dir, 'clip1.wav') } })).asset.id;
    await expect(
      transcriptEdit(services, c, { timeline: tl([clipA, { id: 'c', asset_id: bare, start_ms: aOut }]) as never, remove: [{ start: 0, end: 0 }] }),
      'ARTIFACT_NOT_FOUND',
      'timeline.tracks[0].clips[1].asset_id',
    );
    // transcripts: unknown clip; a transcript of another asset; another tenant's artifact and asset.
    await expect(transcriptEdit(services, c, { timeline, transcripts: { zz: trA }, remove: [{ start: 0, end: 0 }] }), 'EDIT_SEQUENCE_INVALID', 'transcripts.zz');
    await expect(transcriptEdit(services, c, { timeline, transcripts: { b: trA }, remove: [{ start: 0, end: 0 }] }), 'TRANSCRIPT_ASSET_MISMATCH', 'transcripts.b');
    const intruder = await services.tenant('dev', 'tedit_seq_other');
    const theirs = (await services.assets.registerAsset(intruder, { source: { path: join(dir, 'clip1.wav') } })).asset.id;
    await expect(
      transcriptEdit(services, intruder, { timeline: tl([{ id: 'x', asset_id: theirs, start_ms: 0 }]) as never, transcripts: { x: trA }, remove: [{ start: 0, end: 0 }] }),
      'ARTIFACT_NOT_FOUND',
      'transcripts.x',
    );
    await expect(removeSilences(services, intruder, { timeline }), 'ASSET_NOT_FOUND', 'timeline.tracks[0].clips[0].asset_id');
    await assert.rejects(transcriptEdit(services, intruder, { project_id: 'prj_nope', remove: [{ start: 0, end: 0 }] }), { code: 'PROJECT_NOT_FOUND' });
    // Clips the edit cannot cut: speed, overlap, a transition; an unknown track.
    await expect(removeSilences(services, c, { timeline: tl([{ ...clipA, speed: 2 }, clipB]) as never }), 'EDIT_SEQUENCE_INVALID', 'timeline.tracks[0].clips[0].speed');
    await expect(removeSilences(services, c, { timeline: tl([clipA, { ...clipB, start_ms: aOut - 500 }]) as never }), 'EDIT_SEQUENCE_INVALID', 'timeline.tracks[0].clips[1].start_ms');
    await expect(
      removeSilences(services, c, {
        timeline: tl([clipA, { ...clipB, start_ms: aOut }], { transitions: [{ id: 't', type: 'crossfade', from_clip_id: 'a', to_clip_id: 'b', duration_ms: 300 }] }) as never,
      }),
      'EDIT_SEQUENCE_INVALID',
      'timeline.tracks[0].transitions[0]',
    );
    await expect(removeSilences(services, c, { timeline, track_id: 'music' }), 'EDIT_SEQUENCE_INVALID', 'track_id');
    // One source only; transcript_artifact_id is for one asset.
    await expect(transcriptEdit(services, c, { asset_id: assetA, timeline, remove: [{ start: 0, end: 0 }] }), 'VALIDATION_FAILED', 'timeline');
    await expect(transcriptEdit(services, c, { timeline, transcript_artifact_id: trA, remove: [{ start: 0, end: 0 }] }), 'VALIDATION_FAILED', 'transcript_artifact_id');
  });
});
