// POST /video/captions/generate and GET …/srt|vtt through the real app (app.inject), real pocketsphinx,
// real SQLite + local store; tenant wall between "ta" and "tb".
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import {
  captionsRoutes,
  CAPTIONS_ALIGNMENT_FAILED,
  CAPTIONS_LANGUAGE_UNSUPPORTED,
  CAPTIONS_STUB_BACKEND,
  generateCaptions,
  parseSrt,
  parseVtt,
  selectAsrBackend,
} from '../../../src/engines/captions/index.js';
import { buildApp } from '../../../src/http/index.js';
import { createServices, type Services } from '../../../src/media/services.js';
import { parseTranscript } from '../../../src/plan/captions/index.js';
import { audioOnly } from '../../helpers/media.js';

const WAV = '/usr/share/pocketsphinx/test/data/librivox/sense_and_sensibility_01_austen_64kb-0930.wav';
const SCRIPT = 'He might even have been made amiable himself.';

let dataDir: string;
let services: Services;
let app: FastifyInstance;
let keyA: string;
let keyB: string;
let assetId: string;
const ctxA = { tenantId: 'ta', env: 'dev', requestId: 'req_captions' };

before(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'cutroom-captions-http-'));
  services = await createServices({ dataDir });
  await services.tenants.createTenant({ id: 'ta', envs: ['dev', 'prod'] });
  await services.tenants.createTenant({ id: 'tb', envs: ['dev', 'prod'] });
  keyA = (await services.tenants.createApiKey({ tenantId: 'ta' })).key;
  keyB = (await services.tenants.createApiKey({ tenantId: 'tb' })).key;
  assetId = (await services.assets.registerAsset(ctxA, { source: { path: WAV } })).asset.id;
  app = await buildApp({ services, extraRoutes: [captionsRoutes] });
  await app.ready();
});
after(async () => {
  await app.close();
  await services.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const auth = (key: string) => ({ authorization: `Bearer ${key}`, 'x-env': 'dev' });

describe('captions routes', () => {
  let alignedId: string;

  it('POST generate with a script aligns it and caches the artifact', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/video/captions/generate',
      headers: auth(keyA),
      payload: { asset_id: assetId, text: SCRIPT },
    });
    assert.equal(res.statusCode, 200, res.body);
    const body = res.json();
    assert.equal(body.cached, false);
    assert.equal(body.artifact.kind, 'asr_transcript');
    const meta = body.artifact.meta;
    assert.equal(meta.aligned, true);
    assert.equal(meta.language, 'en-US');
    assert.match(meta.backend_version, /^pocketsphinx/);
    for (const k of ['model_used', 'cache_key', 'duration_ms']) assert.ok(meta[k] !== undefined, k);
    assert.equal(meta.stub, undefined);
    alignedId = body.artifact.id;
    const again = await app.inject({
      method: 'POST',
      url: '/video/captions/generate',
      headers: auth(keyA),
      payload: { asset_id: assetId, text: SCRIPT },
    });
    assert.equal(again.json().cached, true);
    assert.equal(again.json().artifact.id, alignedId);
    const content = await app.inject({
      method: 'GET',
      url: `/media-v2/artifacts/${alignedId}/content`,
      headers: auth(keyA),
    });
    const transcript = parseTranscript(JSON.parse(content.body));
    assert.deepEqual(
      transcript.segments.flatMap((s) => s.words.map((w) => w.word)),
      SCRIPT.split(' '),
    );
  });

  it('GET srt / vtt serve valid captions with the right content types', async () => {
    const srt = await app.inject({
      method: 'GET',
      url: `/video/captions/${alignedId}/srt`,
      headers: auth(keyA),
    });
    assert.equal(srt.statusCode, 200);
    assert.equal(srt.headers['content-type'], 'text/plain; charset=utf-8');
    const cues = parseSrt(srt.body);
    assert.ok(cues.length >= 1);
    assert.equal(cues.flatMap((c) => c.lines).join(' '), SCRIPT);
    const vtt = await app.inject({
      method: 'GET',
      url: `/video/captions/${alignedId}/vtt`,
      headers: auth(keyA),
    });
    assert.equal(vtt.statusCode, 200);
    assert.match(String(vtt.headers['content-type']), /^text\/vtt/);
    assert.deepEqual(parseVtt(vtt.body), cues);
  });

  it('another tenant gets 404 for the captions and the asset', async () => {
    for (const f of ['srt', 'vtt']) {
      const res = await app.inject({
        method: 'GET',
        url: `/video/captions/${alignedId}/${f}`,
        headers: auth(keyB),
      });
      assert.equal(res.statusCode, 404);
      assert.equal(res.json().code ?? res.json().error?.code, 'ARTIFACT_NOT_FOUND');
    }
    const gen = await app.inject({
      method: 'POST',
      url: '/video/captions/generate',
      headers: auth(keyB),
      payload: { asset_id: assetId },
    });
    assert.equal(gen.statusCode, 404);
  });

  it('POST generate without a script recognises the speech', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/video/captions/generate',
      headers: auth(keyA),
      payload: { asset_id: assetId, language: 'en-US' },
    });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().artifact.meta.aligned, false);
    assert.ok(res.json().artifact.meta.word_count >= 5);
  });

  it("language 'auto' with pocketsphinx (English-only) decodes English and warns", async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/video/captions/generate',
      headers: auth(keyA),
      payload: { asset_id: assetId, language: 'auto' },
    });
    assert.equal(res.statusCode, 200, res.body);
    const body = res.json();
    assert.equal(body.artifact.meta.language, 'en');
    assert.equal(body.artifact.meta.language_requested, 'auto');
    assert.ok(body.artifact.meta.word_count >= 5);
    const w = (body.warnings as Array<{ code: string; message: string; path: string }>).find(
      (x) => x.code === CAPTIONS_LANGUAGE_UNSUPPORTED,
    );
    assert.ok(w, JSON.stringify(body.warnings));
    assert.equal(w.path, 'language');
    assert.match(w.message, /cannot detect/);
  });

  it("language 'auto' with a detecting backend asks it to detect and records what it found", async () => {
    const seen: string[] = [];
    const detecting = {
      name: 'recorded',
      version: 'recorded-detect-1',
      model: 'recorded',
      stub: false,
      languages: [] as string[],
      async transcribe({ language }: { language: string }) {
        seen.push(language);
        const word = { word: 'hallo', start_ms: 100, end_ms: 400, confidence: 1 };
        return {
          segments: [{ start_ms: 100, end_ms: 400, text: 'hallo', words: [word] }],
          words: [word],
          language: 'de',
        };
      },
    };
    const r = await generateCaptions(
      services,
      ctxA,
      { asset_id: assetId, language: 'auto' },
      { backend: { backend: detecting, warnings: [] } },
    );
    assert.deepEqual(seen, ['auto']);
    assert.equal(r.artifact.meta.language, 'de');
    assert.equal(r.artifact.meta.language_requested, 'auto');
    assert.deepEqual(r.warnings, []);
  });

  it('bad input is a coded 400 naming the field', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/video/captions/generate',
      headers: auth(keyA),
      payload: { asset_id: assetId, language: 'english please' },
    });
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /language/);
  });

  it('a script that is not in the audio falls back to recognition with warnings', async () => {
    const silent = await audioOnly({ amplitude: 0, durationMs: 1500, sampleRate: 16000 });
    const id = (await services.assets.registerAsset(ctxA, { source: { path: silent } })).asset.id;
    const r = await generateCaptions(services, ctxA, {
      asset_id: id,
      language: 'de-DE',
      text: 'eine viel längere Zeile die in dieser stillen Aufnahme niemand gesagt hat',
    });
    assert.equal(r.artifact.meta.aligned, false);
    assert.equal(r.artifact.meta.word_count, 0);
    assert.deepEqual(r.warnings.map((w) => w.code).sort(), [
      CAPTIONS_ALIGNMENT_FAILED,
      CAPTIONS_LANGUAGE_UNSUPPORTED,
    ]);
    const again = await generateCaptions(services, ctxA, {
      asset_id: id,
      language: 'de-DE',
      text: 'eine viel längere Zeile die in dieser stillen Aufnahme niemand gesagt hat',
    });
    assert.equal(again.cached, true);
    assert.deepEqual(again.warnings, r.warnings, 'a cached result repeats its warnings');
  });

  it('the routes are documented in /openapi.json', async () => {
    const res = await app.inject({ method: 'GET', url: '/openapi.json' });
    assert.equal(res.statusCode, 200);
    const paths = res.json().paths as Record<string, Record<string, unknown>>;
    assert.ok(paths['/video/captions/generate']?.post);
    assert.ok(paths['/video/captions/{artifact_id}/srt']?.get);
    assert.ok(paths['/video/captions/{artifact_id}/vtt']?.get);
  });

  it('the stub backend marks its artifact stub: true and warns', async () => {
    const backend = await selectAsrBackend({ env: { VIDEO_CAPTIONS_BACKEND: 'stub' } });
    const r = await generateCaptions(services, ctxA, { asset_id: assetId }, { backend });
    assert.equal(r.artifact.meta.stub, true);
    assert.ok(r.warnings.some((w) => w.code === CAPTIONS_STUB_BACKEND));
    assert.notEqual(r.artifact.cache_key, undefined);
  });
});
