// Recogniser filler tokens on real pocketsphinx output: on LibriVox clip 0870 the en-us model ends with a
// `[SPEECH]` token (its noise dictionary's "spoken noise" entry). The transcript keeps it with its times and
// marks it as a filler, captions never show it, remove_fillers cuts it out, and edited text (which never holds it)
// leaves it alone.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { captionCuesOf, generateCaptions, readTranscript } from '../../../src/engines/captions/index.js';
import { transcriptEdit } from '../../../src/engines/transcript-edit/index.js';
import { isRecogniserToken, transcriptWords, type TranscriptWord } from '../../../src/plan/captions/transcript.js';
import { makeServices, type TestServices } from '../../media/setup.js';

const CLIP = '/usr/share/pocketsphinx/test/data/librivox/sense_and_sensibility_01_austen_64kb-0870.wav';

describe('pocketsphinx filler tokens in transcripts', { skip: !existsSync(CLIP) }, () => {
  let services: TestServices;
  let dir: string;
  let assetId: string;
  let transcriptId: string;
  let words: TranscriptWord[];
  let meta: Record<string, unknown>;
  const ctx = () => services.tenant('dev', 'tfill');

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cutroom-fillers-'));
    services = await makeServices();
    assetId = (await services.assets.registerAsset(await ctx(), { source: { path: CLIP } })).asset.id;
    const captions = await generateCaptions(services, await ctx(), { asset_id: assetId });
    assert.notEqual(captions.artifact.meta.stub, true, 'these tests need the real pocketsphinx backend');
    transcriptId = captions.artifact.id;
    meta = captions.artifact.meta;
    words = transcriptWords((await readTranscript(services, await ctx(), transcriptId)).transcript);
  });
  after(async () => {
    await services?.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('the token stays in the transcript with its times, is marked as a filler, and is not in the captions', async () => {
    const tokens = words.map((w, i) => ({ w, i })).filter(({ w }) => isRecogniserToken(w.word));
    assert.ok(tokens.length >= 1, `no recogniser token in: ${words.map((w) => w.word).join(' ')}`);
    assert.ok(!words.some((w) => /^<.*>$/.test(w.word)), 'silence markers are not words');
    for (const { w } of tokens) assert.ok(w.end_ms > w.start_ms);
    const fillers = meta.fillers as Array<{ index: number; word: string; kind: string }>;
    for (const { w, i } of tokens) assert.ok(fillers.some((f) => f.index === i && f.word === w.word && f.kind === 'token'), JSON.stringify(fillers));
    const { transcript } = await readTranscript(services, await ctx(), transcriptId);
    const text = captionCuesOf({ transcript }).flatMap((c) => c.lines).join(' ');
    assert.ok(!/[[\]<>+]/.test(text), `captions show a token: ${text}`);
    for (const s of transcript.segments) assert.ok(!/[[\]<>]|\+\+/.test(s.text), `segment text shows a token: ${s.text}`);
  });

  it('remove_fillers cuts the token out; edited text without it leaves it in', async () => {
    const tokenIdx = words.findIndex((w) => isRecogniserToken(w.word));
    const r = await transcriptEdit(services, await ctx(), { asset_id: assetId, transcript_artifact_id: transcriptId, remove_fillers: true, save_project: false });
    const cut = r.plan.removed.find((x) => x.words && x.words.start <= tokenIdx && x.words.end >= tokenIdx);
    assert.ok(cut, `token ${tokenIdx} not removed: ${JSON.stringify(r.plan.removed)}`);
    assert.equal(cut.reason, 'filler');
    const tok = words[tokenIdx]!;
    assert.ok(cut.start_ms <= tok.start_ms + 34 && cut.end_ms >= Math.min(tok.end_ms, r.plan.source_duration_ms - 34), JSON.stringify({ cut, tok, before: words[tokenIdx - 1], warnings: r.warnings }));
    // The spoken words as text (what a user edits): nothing to cut, and the token is not "missing".
    const spoken = words.filter((w) => !isRecogniserToken(w.word)).map((w) => w.word);
    const same = await transcriptEdit(services, await ctx(), { asset_id: assetId, transcript_artifact_id: transcriptId, text: spoken.join(' '), save_project: false });
    assert.deepEqual(same.plan.removed, []);
    // Typed tokens in the text are ignored, and removing the words around a token removes it with them.
    const k = tokenIdx - 1;
    const withoutNeighbours = spoken.filter((_, i) => i !== k).join(' ') + ' [NOISE]';
    const around = await transcriptEdit(services, await ctx(), { asset_id: assetId, transcript_artifact_id: transcriptId, text: withoutNeighbours, save_project: false });
    // (the token ends the clip here, so removing the word before it leaves the token with no kept neighbour)
    const expected = tokenIdx === words.length - 1 ? [[k, tokenIdx]] : [[k, k]];
    assert.deepEqual(around.plan.removed.map((x) => x.words && [x.words.start, x.words.end]), expected);
  });
});
