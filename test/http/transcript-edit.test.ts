// POST /video/assist/transcript-edit and /video/assist/remove-silences over HTTP (app.inject), on real speech: two
// pocketsphinx-testdata LibriVox clips joined by 1.5 s of digital silence, transcribed by the real pocketsphinx
// backend through POST /video/captions/generate. Every bad input of issue 14 gets a coded error naming the field,
// in the {error: {code, message, details}} envelope; another tenant's ids are 404 and the answer leaks nothing.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { RequestContext } from '../../src/context.js';
import { generateCaptions } from '../../src/engines/captions/service.js';
import { createStubAsrBackend } from '../../src/engines/captions/stub-backend.js';
import { CLIPS, ff, pcm, speechDataAvailable } from '../engines/transcript-edit/fixtures.js';
import { auth, startTestServer, type TestServer } from './helpers.js';

const SILENCE = { start_ms: 0, end_ms: 0 };

interface ErrorBody {
  error: { code: string; message: string; details: { issues?: Array<{ path: string; message: string }>; path?: string } };
}

describe('transcript edit and silence removal routes', { skip: !speechDataAvailable() }, () => {
  let server: TestServer;
  let dir: string;
  let talkId: string;
  let otherId: string;
  let theirsId: string;
  let transcriptId: string;
  let stubId: string;
  let words: Array<{ word: string; start_ms: number; end_ms: number }>;
  const ctxA: RequestContext = { tenantId: 'ta', env: 'dev', requestId: 'req_tedit' };
  const ctxB: RequestContext = { tenantId: 'tb', env: 'dev', requestId: 'req_tedit_b' };

  const post = (url: string, body: unknown, key = server.keyA) =>
    server.app.inject({ method: 'POST', url, headers: { ...auth(key, 'dev'), 'content-type': 'application/json' }, payload: JSON.stringify(body) });
  const edit = (body: unknown, key?: string) => post('/video/assist/transcript-edit', body, key);
  const silences = (body: unknown, key?: string) => post('/video/assist/remove-silences', body, key);
  const expectError = (res: { statusCode: number; body: string }, status: number, code: string): ErrorBody['error'] => {
    assert.equal(res.statusCode, status, res.body);
    const body = JSON.parse(res.body) as ErrorBody;
    assert.equal(body.error.code, code, res.body);
    assert.equal(typeof body.error.message, 'string');
    assert.ok(body.error.details && typeof body.error.details === 'object', res.body);
    return body.error;
  };
  const issuePaths = (e: ErrorBody['error']) => (e.details.issues ?? []).map((i) => i.path);

  before(async () => {
    server = await startTestServer();
    dir = mkdtempSync(join(tmpdir(), 'cutroom-http-tedit-'));
    // clip 0880, 1.5 s of digital silence, clip 0930, each trimmed to its speech (16 kHz mono WAV: an audio-only
    // asset), so the inserted silence is the whole pause.
    const trim = 'silenceremove=start_periods=1:start_threshold=-35dB:start_silence=0.02';
    const [first, second] = [0, 1].map((i) => {
      const out = join(dir, `clip${i}.wav`);
      ff(['-i', CLIPS[i]!, '-af', `${trim},areverse,${trim},areverse`, '-ar', '16000', '-ac', '1', '-c:a', 'pcm_s16le', out]);
      return out;
    });
    const talk = join(dir, 'talk.wav');
    ff([
      ...['-i', first!, '-f', 'lavfi', '-t', '1.5', '-i', 'anullsrc=r=16000:cl=mono', '-i', second!],
      ...['-filter_complex', '[0:a][1:a][2:a]concat=n=3:v=0:a=1[a]', '-map', '[a]', '-c:a', 'pcm_s16le', talk],
    ]);
    const clipLen = (pcm(first!, 16000).length / 16000) * 1000;
    SILENCE.start_ms = clipLen;
    SILENCE.end_ms = clipLen + 1500;
    const other = join(dir, 'other.wav');
    ff(['-i', CLIPS[1]!, '-ar', '16000', '-ac', '1', '-c:a', 'pcm_s16le', other]);
    talkId = (await server.services.assets.registerAsset(ctxA, { source: { path: talk } })).asset.id;
    otherId = (await server.services.assets.registerAsset(ctxA, { source: { path: other } })).asset.id;
    theirsId = (await server.services.assets.registerAsset(ctxB, { source: { path: other } })).asset.id;
    const res = await post('/video/captions/generate', { asset_id: talkId });
    assert.equal(res.statusCode, 200, res.body);
    const artifact = (JSON.parse(res.body) as { artifact: { id: string; meta: { stub?: boolean } } }).artifact;
    assert.notEqual(artifact.meta.stub, true, 'these tests need the real pocketsphinx backend');
    transcriptId = artifact.id;
    const content = await server.app.inject({ method: 'GET', url: `/media-v2/artifacts/${transcriptId}/content`, headers: auth(server.keyA, 'dev') });
    assert.equal(content.statusCode, 200, content.body);
    words = (JSON.parse(content.body) as { segments: Array<{ words: typeof words }> }).segments
      .flatMap((s) => s.words)
      .sort((a, b) => a.start_ms - b.start_ms);
    assert.ok(words.length >= 8, `pocketsphinx heard only: ${words.map((w) => w.word).join(' ')}`);
    stubId = (await generateCaptions(server.services, ctxA, { asset_id: otherId }, { backend: { backend: createStubAsrBackend(), warnings: [] } })).artifact.id;
  });
  after(async () => {
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('transcript edit: removes the named word, saves a project for the caller only, derived transcript on the new clock', async () => {
    const k = 2;
    const res = await edit({ asset_id: talkId, transcript_artifact_id: transcriptId, remove: [{ start: k, end: k }] });
    assert.equal(res.statusCode, 200, res.body);
    const body = JSON.parse(res.body) as {
      timeline: { tracks: Array<{ kind: string; clips: Array<{ asset_id: string; in_ms: number; out_ms: number }> }>; meta: { removed: unknown[] } };
      project: { id: string };
      transcript_artifact: { id: string; asset_id: string; meta: { derived_from_artifact_id: string } };
      removed: Array<{ start_ms: number; end_ms: number; reason: string; words: { start: number; end: number; text: string } }>;
      time_saved_ms: number;
      source_duration_ms: number;
      output_duration_ms: number;
    };
    assert.deepEqual(
      body.removed.map((r) => [r.reason, r.words]),
      [['words', { start: k, end: k, text: words[k]!.word }]],
    );
    const cut = body.removed[0]!;
    assert.ok(cut.start_ms >= words[k - 1]!.end_ms && cut.end_ms <= words[k + 1]!.start_ms, `cut ${JSON.stringify(cut)} outside the word gaps`);
    assert.ok(Math.abs(body.time_saved_ms - (cut.end_ms - cut.start_ms)) <= 1, 'time saved is the removed range (±1 ms of frame rounding)');
    assert.deepEqual(body.timeline.tracks.map((t) => t.kind), ['audio'], 'an audio-only asset edits on an audio track');
    assert.equal(body.timeline.tracks[0]!.clips.length, 2);
    assert.equal(body.timeline.meta.removed.length, 1);
    assert.equal(body.transcript_artifact.asset_id, talkId);
    assert.equal(body.transcript_artifact.meta.derived_from_artifact_id, transcriptId);
    // The project is the caller's: tenant B cannot see it.
    const mine = await server.app.inject({ method: 'GET', url: `/video/timeline/projects/${body.project.id}`, headers: auth(server.keyA, 'dev') });
    assert.equal(mine.statusCode, 200, mine.body);
    const theirs = await server.app.inject({ method: 'GET', url: `/video/timeline/projects/${body.project.id}`, headers: auth(server.keyB, 'dev') });
    assert.equal(theirs.statusCode, 404, theirs.body);
    // Deterministic: the same request gives the same timeline bytes.
    const again = await edit({ asset_id: talkId, transcript_artifact_id: transcriptId, remove: [{ start: k, end: k }], save_project: false });
    assert.equal(JSON.stringify((JSON.parse(again.body) as { timeline: unknown }).timeline), JSON.stringify(body.timeline));
    assert.equal((JSON.parse(again.body) as { project: unknown }).project, null);
  });

  it('transcript edit by edited text: the words left out are removed', async () => {
    const text = words.filter((_, i) => i !== 3 && i !== 4).map((w) => w.word.toUpperCase()).join(' ');
    const res = await edit({ asset_id: talkId, transcript_artifact_id: transcriptId, text, save_project: false });
    assert.equal(res.statusCode, 200, res.body);
    const removed = (JSON.parse(res.body) as { removed: Array<{ words: { start: number; end: number } }> }).removed;
    assert.deepEqual(removed.map((r) => r.words), [{ start: 3, end: 4, text: `${words[3]!.word} ${words[4]!.word}` }]);
  });

  it('remove-silences: the inserted pause is shortened to its padding, no word touched', async () => {
    const res = await silences({ asset_id: talkId, transcript_artifact_id: transcriptId });
    assert.equal(res.statusCode, 200, res.body);
    const body = JSON.parse(res.body) as { removed: Array<{ start_ms: number; end_ms: number; reason: string }>; time_saved_ms: number; project: { id: string } };
    const hit = body.removed.find((r) => r.start_ms < SILENCE.end_ms && r.end_ms > SILENCE.start_ms);
    assert.ok(hit, `the inserted pause ${JSON.stringify(SILENCE)} was not removed: ${JSON.stringify(body.removed)}`);
    assert.equal(hit.reason, 'silence');
    assert.ok(Math.abs(hit.start_ms - (SILENCE.start_ms + 120)) <= 50, `start ${hit.start_ms} vs ${SILENCE.start_ms + 120}`);
    assert.ok(Math.abs(hit.end_ms - (SILENCE.end_ms - 120)) <= 50, `end ${hit.end_ms} vs ${SILENCE.end_ms - 120}`);
    for (const r of body.removed)
      for (const w of words) assert.ok(r.end_ms <= w.start_ms || r.start_ms >= w.end_ms, `removed ${JSON.stringify(r)} cuts into ${JSON.stringify(w)}`);
    assert.ok(body.time_saved_ms >= 1500 - 240 - 100);
    assert.ok(body.project.id);
  });

  it('unknown word index: 400 TRANSCRIPT_EDIT_INVALID naming remove[i].start / .end', async () => {
    const e = expectError(await edit({ asset_id: talkId, transcript_artifact_id: transcriptId, remove: [{ start: 0, end: 0 }, { start: 2, end: words.length }] }), 400, 'TRANSCRIPT_EDIT_INVALID');
    assert.deepEqual(issuePaths(e), ['remove[1].end']);
    assert.match(e.message, /remove\[1\]\.end: unknown word index/);
    const neg = expectError(await edit({ asset_id: talkId, transcript_artifact_id: transcriptId, remove: [{ start: -1, end: 1 }] }), 400, 'TRANSCRIPT_EDIT_INVALID');
    assert.deepEqual(issuePaths(neg), ['remove[0].start']);
    const backwards = expectError(await edit({ asset_id: talkId, transcript_artifact_id: transcriptId, remove: [{ start: 3, end: 1 }] }), 400, 'TRANSCRIPT_EDIT_INVALID');
    assert.deepEqual(issuePaths(backwards), ['remove[0].end']);
  });

  it('overlapping ranges: 400 TRANSCRIPT_EDIT_INVALID naming both ranges', async () => {
    const e = expectError(
      await edit({ asset_id: talkId, transcript_artifact_id: transcriptId, remove: [{ start: 4, end: 6 }, { start: 1, end: 4 }] }),
      400,
      'TRANSCRIPT_EDIT_INVALID',
    );
    assert.deepEqual(issuePaths(e), ['remove[0]']);
    assert.match(e.message, /remove\[0\]: overlaps remove\[1\]/);
  });

  it('removing everything: 422 EDIT_REMOVES_EVERYTHING', async () => {
    const e = expectError(await edit({ asset_id: talkId, transcript_artifact_id: transcriptId, remove: [{ start: 0, end: words.length - 1 }] }), 422, 'EDIT_REMOVES_EVERYTHING');
    assert.deepEqual(issuePaths(e), ['remove']);
    // Edited text with no words left is the same edit.
    const text = expectError(await edit({ asset_id: talkId, transcript_artifact_id: transcriptId, text: '' }), 422, 'EDIT_REMOVES_EVERYTHING');
    assert.deepEqual(issuePaths(text), ['text']);
  });

  it('a transcript of another asset: 422 TRANSCRIPT_ASSET_MISMATCH naming transcript_artifact_id (both routes)', async () => {
    for (const res of [
      await edit({ asset_id: otherId, transcript_artifact_id: transcriptId, remove: [{ start: 0, end: 0 }] }),
      await silences({ asset_id: otherId, transcript_artifact_id: transcriptId }),
    ]) {
      const e = expectError(res, 422, 'TRANSCRIPT_ASSET_MISMATCH');
      assert.equal(e.details.path, 'transcript_artifact_id');
      assert.match(e.message, /^transcript_artifact_id:/);
    }
  });

  it("another tenant's transcript or asset: 404, and the answer tells nothing about it", async () => {
    const probes = [
      await edit({ asset_id: theirsId, transcript_artifact_id: transcriptId, remove: [{ start: 0, end: 0 }] }, server.keyB),
      await silences({ asset_id: theirsId, transcript_artifact_id: transcriptId }, server.keyB),
    ];
    for (const res of probes) {
      const e = expectError(res, 404, 'ARTIFACT_NOT_FOUND');
      assert.equal(e.details.path, 'transcript_artifact_id');
      assert.ok(!res.body.includes(talkId), `leaks tenant A's asset id: ${res.body}`);
      assert.ok(!res.body.includes('asr_transcript'), `leaks the artifact's kind: ${res.body}`);
    }
    // An id that does not exist answers the same way.
    const missing = await edit({ asset_id: theirsId, transcript_artifact_id: 'art_doesnotexist', remove: [{ start: 0, end: 0 }] }, server.keyB);
    const e = expectError(missing, 404, 'ARTIFACT_NOT_FOUND');
    assert.deepEqual(Object.keys(e.details).sort(), Object.keys(JSON.parse(probes[0]!.body).error.details as object).sort());
    for (const res of [
      await edit({ asset_id: talkId, remove: [{ start: 0, end: 0 }] }, server.keyB),
      await silences({ asset_id: talkId }, server.keyB),
    ])
      expectError(res, 404, 'ASSET_NOT_FOUND');
  });

  it('a stub transcript is refused for editing: 422 TRANSCRIPT_STUB_REFUSED naming transcript_artifact_id', async () => {
    for (const res of [
      await edit({ asset_id: otherId, transcript_artifact_id: stubId, remove_fillers: true }),
      await silences({ asset_id: otherId, transcript_artifact_id: stubId }),
    ]) {
      const e = expectError(res, 422, 'TRANSCRIPT_STUB_REFUSED');
      assert.equal(e.details.path, 'transcript_artifact_id');
    }
    // Without an id, a stub transcript is not picked as the default.
    const e = expectError(await edit({ asset_id: otherId, remove_fillers: true }), 404, 'ARTIFACT_NOT_FOUND');
    assert.match(e.message, /no real asr_transcript/);
  });

  it('malformed bodies: 400 VALIDATION_FAILED naming the field', async () => {
    const cases: Array<[string, unknown, string]> = [
      ['/video/assist/transcript-edit', { asset_id: talkId, remove: [{ start: 0, end: 0 }], text: 'a' }, 'text'],
      ['/video/assist/transcript-edit', { asset_id: talkId }, 'remove'],
      ['/video/assist/transcript-edit', { asset_id: talkId, remove: [{ start: 0.5, end: 1 }] }, 'remove[0].start'],
      ['/video/assist/transcript-edit', { asset_id: talkId, remove_fillers: true, crossfade_ms: 900 }, 'crossfade_ms'],
      ['/video/assist/remove-silences', { asset_id: talkId, preset: 'fast' }, 'preset'],
      ['/video/assist/remove-silences', { asset_id: talkId, padding_ms: -5 }, 'padding_ms'],
      ['/video/assist/remove-silences', { asset_id: talkId, min_silence: 300 }, ''],
    ];
    for (const [url, body, field] of cases) {
      const e = expectError(await post(url, body), 400, 'VALIDATION_FAILED');
      const paths = issuePaths(e).join(' ');
      assert.ok(paths.includes(field), `${url} ${JSON.stringify(body)}: issues ${JSON.stringify(e.details.issues)} do not name ${field}`);
    }
  });
});
