// Auth → RequestContext, env selection, tenant walls, request ids, the error envelope for routes and bodies.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { ErrorEnvelope } from '../../src/http/index.js';
import { testsrcClip } from '../helpers/media.js';
import { auth, multipartBody, startTestServer, type TestServer } from './helpers.js';

let s: TestServer;
let assetA: string;
let artifactA: string;

before(async () => {
  s = await startTestServer();
  const clip = await testsrcClip({ durationMs: 1000 });
  const mp = multipartBody({ filename: 'a.mp4', content: readFileSync(clip) });
  const res = await s.app.inject({
    method: 'POST',
    url: '/media-v2/assets',
    headers: { ...auth(s.keyA, 'dev'), ...mp.headers },
    payload: mp.payload,
  });
  assert.equal(res.statusCode, 201, res.body);
  assetA = res.json().asset.id;
  const ctx = { tenantId: 'ta', env: 'dev', requestId: 'test' };
  const artifact = await s.services.artifacts.registerArtifact(ctx, {
    assetId: assetA,
    kind: 'proxy',
    meta: { tenant: 'ta', env: 'dev', cache_key: 'a'.repeat(64), backend_version: 'test-1' },
    content: Buffer.from('proxy bytes of tenant a'),
    name: 'proxy_test.mp4',
  });
  artifactA = artifact.id;
});

after(() => s.close());

function code(res: { json(): unknown }): string {
  return (res.json() as ErrorEnvelope).error.code;
}

/** After each bad request, a good one must still succeed: the server keeps serving. */
async function stillServing(): Promise<void> {
  const ok = await s.app.inject({ method: 'GET', url: '/media-v2/assets', headers: auth(s.keyA, 'dev') });
  assert.equal(ok.statusCode, 200);
}

test('no key, a malformed key, an unknown key → 401 UNAUTHENTICATED', async () => {
  for (const headers of [
    {},
    { authorization: 'Basic abc' },
    { authorization: 'Bearer nope' },
    { authorization: `Bearer cr_${'x'.repeat(43)}` },
  ]) {
    const res = await s.app.inject({ method: 'GET', url: '/media-v2/assets', headers });
    assert.equal(res.statusCode, 401, JSON.stringify(headers));
    assert.equal(code(res), 'UNAUTHENTICATED');
    await stillServing();
  }
});

test('a revoked key → 401 and stays revoked', async () => {
  const created = await s.services.tenants.createApiKey({ tenantId: 'ta' });
  const before = await s.app.inject({ method: 'GET', url: '/media-v2/assets', headers: auth(created.key) });
  assert.equal(before.statusCode, 200);
  await s.services.tenants.revokeKey({ keyId: created.info.id });
  const res = await s.app.inject({ method: 'GET', url: '/media-v2/assets', headers: auth(created.key) });
  assert.equal(res.statusCode, 401);
  assert.equal(code(res), 'UNAUTHENTICATED');
});

test('env not allowed for the key → 403 ENV_NOT_ALLOWED; an invalid env id → 400 naming the header', async () => {
  const res = await s.app.inject({
    method: 'GET',
    url: '/media-v2/assets',
    headers: auth(s.keyADevOnly, 'prod'),
  });
  assert.equal(res.statusCode, 403);
  assert.equal(code(res), 'ENV_NOT_ALLOWED');
  const unknown = await s.app.inject({
    method: 'GET',
    url: '/media-v2/assets',
    headers: auth(s.keyA, 'staging'),
  });
  assert.equal(unknown.statusCode, 403);
  const bad = await s.app.inject({
    method: 'GET',
    url: '/media-v2/assets',
    headers: auth(s.keyA, '../prod'),
  });
  assert.equal(bad.statusCode, 400);
  assert.equal(code(bad), 'VALIDATION_FAILED');
  assert.deepEqual(bad.json().error.details.issues[0], {
    part: 'headers',
    path: 'x-env',
    message: 'env must match ^[a-z0-9][a-z0-9_-]{0,62}$',
  });
  await stillServing();
});

test("without X-Env the key's first env is used", async () => {
  const res = await s.app.inject({ method: 'GET', url: '/media-v2/assets', headers: auth(s.keyA) });
  assert.equal(res.statusCode, 200);
  assert.deepEqual(
    res.json().items.map((a: { id: string }) => a.id),
    [assetA],
  );
});

test('a body or query naming another tenant or env → 403 TENANT_MISMATCH; naming its own is fine', async () => {
  const cases: Array<{ body?: unknown; url?: string }> = [
    { body: { tenant_id: 'tb', path: '/x' } },
    { body: { tenant: 't_unknown', path: '/x' } },
    { body: { env: 'prod', path: '/x' } },
    { url: '/media-v2/assets?tenant_id=tb' },
  ];
  for (const c of cases) {
    const res = await s.app.inject({
      method: c.body ? 'POST' : 'GET',
      url: c.url ?? '/media-v2/assets',
      headers: auth(s.keyA, 'dev'),
      ...(c.body ? { payload: c.body } : {}),
    });
    assert.equal(res.statusCode, 403, JSON.stringify(c));
    assert.equal(code(res), 'TENANT_MISMATCH');
    await stillServing();
  }
  const own = await s.app.inject({
    method: 'POST',
    url: '/video/timeline/validate',
    headers: auth(s.keyA, 'dev'),
    payload: { tenant_id: 'ta', env: 'dev', duration_ms: 1000, tracks: [] },
  });
  assert.equal(own.statusCode, 200, own.body);
});

test('a multipart form field naming another tenant → 403 TENANT_MISMATCH and nothing stored', async () => {
  const mp = multipartBody({
    filename: 'x.mp4',
    content: Buffer.from('whatever'),
    fields: { tenant_id: 'tb' },
  });
  const res = await s.app.inject({
    method: 'POST',
    url: '/media-v2/assets',
    headers: { ...auth(s.keyA, 'prod'), ...mp.headers },
    payload: mp.payload,
  });
  assert.equal(res.statusCode, 403);
  assert.equal(code(res), 'TENANT_MISMATCH');
  const list = await s.app.inject({ method: 'GET', url: '/media-v2/assets', headers: auth(s.keyA, 'prod') });
  assert.deepEqual(list.json().items, []);
});

test("tenant wall: B sees none of A's assets and gets 404 for A's ids (asset, artifact, content)", async () => {
  const list = await s.app.inject({ method: 'GET', url: '/media-v2/assets', headers: auth(s.keyB, 'dev') });
  assert.equal(list.statusCode, 200);
  assert.deepEqual(list.json().items, []);

  const asset = await s.app.inject({
    method: 'GET',
    url: `/media-v2/assets/${assetA}`,
    headers: auth(s.keyB, 'dev'),
  });
  assert.equal(asset.statusCode, 404);
  assert.equal(code(asset), 'ASSET_NOT_FOUND');
  // Same answer as for an id that never existed: nothing tells B that A's id is real.
  const never = await s.app.inject({
    method: 'GET',
    url: '/media-v2/assets/ast_aaaaaaaaaaaaaaaaaaaa',
    headers: auth(s.keyB, 'dev'),
  });
  assert.equal(never.statusCode, 404);
  assert.equal(
    never.json().error.message.replace('ast_aaaaaaaaaaaaaaaaaaaa', 'ID'),
    asset.json().error.message.replace(assetA, 'ID'),
  );

  for (const url of [`/media-v2/artifacts/${artifactA}`, `/media-v2/artifacts/${artifactA}/content`]) {
    const res = await s.app.inject({ method: 'GET', url, headers: auth(s.keyB, 'dev') });
    assert.equal(res.statusCode, 404, url);
    assert.equal(code(res), 'ARTIFACT_NOT_FOUND');
    assert.ok(!res.body.includes('proxy bytes'), 'no content leaks');
  }
  await stillServing();
});

test("env wall: A's own prod env does not see A's dev asset or artifact", async () => {
  const list = await s.app.inject({ method: 'GET', url: '/media-v2/assets', headers: auth(s.keyA, 'prod') });
  assert.ok(!list.body.includes(assetA));
  const asset = await s.app.inject({
    method: 'GET',
    url: `/media-v2/assets/${assetA}`,
    headers: auth(s.keyA, 'prod'),
  });
  assert.equal(code(asset), 'ASSET_NOT_FOUND');
  const content = await s.app.inject({
    method: 'GET',
    url: `/media-v2/artifacts/${artifactA}/content`,
    headers: auth(s.keyA, 'prod'),
  });
  assert.equal(content.statusCode, 404);
  assert.equal(code(content), 'ARTIFACT_NOT_FOUND');
});

test('the owner reads the asset with its artifacts, and the content with and without Range', async () => {
  const asset = await s.app.inject({
    method: 'GET',
    url: `/media-v2/assets/${assetA}`,
    headers: auth(s.keyA, 'dev'),
  });
  assert.equal(asset.statusCode, 200);
  assert.deepEqual(
    asset.json().artifacts.map((a: { id: string }) => a.id),
    [artifactA],
  );
  const url = `/media-v2/artifacts/${artifactA}/content`;
  const whole = await s.app.inject({ method: 'GET', url, headers: auth(s.keyA, 'dev') });
  assert.equal(whole.statusCode, 200);
  assert.equal(whole.body, 'proxy bytes of tenant a');
  assert.equal(whole.headers['content-type'], 'video/mp4');
  assert.equal(whole.headers['accept-ranges'], 'bytes');

  const part = await s.app.inject({
    method: 'GET',
    url,
    headers: { ...auth(s.keyA, 'dev'), range: 'bytes=6-10' },
  });
  assert.equal(part.statusCode, 206);
  assert.equal(part.body, 'bytes');
  assert.equal(part.headers['content-range'], 'bytes 6-10/23');

  const suffix = await s.app.inject({
    method: 'GET',
    url,
    headers: { ...auth(s.keyA, 'dev'), range: 'bytes=-1' },
  });
  assert.equal(suffix.statusCode, 206);
  assert.equal(suffix.body, 'a');

  const beyond = await s.app.inject({
    method: 'GET',
    url,
    headers: { ...auth(s.keyA, 'dev'), range: 'bytes=100-' },
  });
  assert.equal(beyond.statusCode, 416);
  assert.equal(code(beyond), 'RANGE_NOT_SATISFIABLE');
  assert.equal(beyond.headers['content-range'], 'bytes */23');
  await stillServing();
});

test('X-Request-Id is echoed when safe and replaced when not', async () => {
  const mine = await s.app.inject({
    method: 'GET',
    url: '/healthz',
    headers: { 'x-request-id': 'req-123.abc' },
  });
  assert.equal(mine.headers['x-request-id'], 'req-123.abc');
  const unsafe = await s.app.inject({
    method: 'GET',
    url: '/healthz',
    headers: { 'x-request-id': 'a b"<script>' },
  });
  assert.match(String(unsafe.headers['x-request-id']), /^[0-9a-f-]{36}$/);
  const none = await s.app.inject({ method: 'GET', url: '/media-v2/assets' });
  assert.match(String(none.headers['x-request-id']), /^[0-9a-f-]{36}$/);
});

test('healthz needs no key and reports db, ffmpeg and ffprobe', async () => {
  const res = await s.app.inject({ method: 'GET', url: '/healthz' });
  assert.equal(res.statusCode, 200);
  const body = res.json();
  assert.equal(body.status, 'ok');
  assert.equal(body.db.ok, true);
  assert.equal(body.ffmpeg.ok, true);
  assert.match(body.ffmpeg.version, /^\d+\.\d+/);
  assert.equal(body.ffprobe.ok, true);
});

test('healthz → 503 degraded, naming the missing binary, when ffmpeg/ffprobe cannot be found', async () => {
  const saved = { ffmpeg: process.env.CUTROOM_FFMPEG, ffprobe: process.env.CUTROOM_FFPROBE };
  process.env.CUTROOM_FFMPEG = '/nonexistent/ffmpeg';
  process.env.CUTROOM_FFPROBE = '/nonexistent/ffprobe';
  try {
    const res = await s.app.inject({ method: 'GET', url: '/healthz' });
    assert.equal(res.statusCode, 503);
    const body = res.json();
    assert.equal(body.status, 'degraded');
    assert.equal(body.db.ok, true);
    assert.equal(body.ffmpeg.ok, false);
    assert.match(body.ffmpeg.error, /ffmpeg not found/);
    assert.equal(body.ffprobe.ok, false);
  } finally {
    for (const [name, value] of [
      ['CUTROOM_FFMPEG', saved.ffmpeg],
      ['CUTROOM_FFPROBE', saved.ffprobe],
    ] as const) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
  const again = await s.app.inject({ method: 'GET', url: '/healthz' });
  assert.equal(again.statusCode, 200);
});

test('unknown route → 404 ROUTE_NOT_FOUND; malformed JSON → 400 VALIDATION_FAILED (body); wrong content type → 415', async () => {
  const route = await s.app.inject({ method: 'GET', url: '/nope', headers: auth(s.keyA) });
  assert.equal(route.statusCode, 404);
  assert.equal(code(route), 'ROUTE_NOT_FOUND');

  const json = await s.app.inject({
    method: 'POST',
    url: '/video/timeline/validate',
    headers: { ...auth(s.keyA), 'content-type': 'application/json' },
    payload: '{"tracks": [',
  });
  assert.equal(json.statusCode, 400);
  assert.equal(code(json), 'VALIDATION_FAILED');
  assert.equal(json.json().error.details.issues[0].part, 'body');

  const type = await s.app.inject({
    method: 'POST',
    url: '/video/timeline/validate',
    headers: { ...auth(s.keyA), 'content-type': 'text/csv' },
    payload: 'a,b',
  });
  assert.equal(type.statusCode, 415);
  assert.equal(code(type), 'UNSUPPORTED_CONTENT_TYPE');
  await stillServing();
});

test('a JSON body over the body limit → 413 PAYLOAD_TOO_LARGE', async () => {
  const small = await startTestServer({ config: { bodyLimitBytes: 1000 } });
  try {
    const res = await small.app.inject({
      method: 'POST',
      url: '/video/timeline/validate',
      headers: auth(small.keyA),
      payload: { tracks: [], name: 'x'.repeat(2000) },
    });
    assert.equal(res.statusCode, 413);
    assert.equal(code(res), 'PAYLOAD_TOO_LARGE');
  } finally {
    await small.close();
  }
});

test('validation reports every problem in params and querystring together', async () => {
  const res = await s.app.inject({
    method: 'GET',
    url: '/media-v2/assets?limit=0&cursor=' + 'x'.repeat(600),
    headers: auth(s.keyA),
  });
  assert.equal(res.statusCode, 400);
  const issues = res.json().error.details.issues as Array<{ part: string; path: string }>;
  assert.deepEqual(
    issues.map((i) => `${i.part}:${i.path}`),
    ['querystring:limit', 'querystring:cursor'],
  );
});
