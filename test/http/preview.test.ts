// GET /video/preview/:project_id: a window rendered from proxies (fallback to the source with a warning),
// streamed as fragmented MP4 on the first request, cached afterwards, with HTTP Range on the cached window.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RequestContext } from '../../src/context.js';
import { ensureProxies } from '../../src/render/proxies.js';
import { frameCount, hasAudio, sampleColor } from '../helpers/media.js';
import { registerColours } from '../render/jobs-helpers.js';
import type { TestServices } from '../media/setup.js';
import { auth, startTestServer, type TestServer } from './helpers.js';

let server: TestServer;
let ctx: RequestContext;
let projectId: string;
let red: string;
let green: string;

before(async () => {
  server = await startTestServer();
  ctx = { tenantId: 'ta', env: 'dev', requestId: 'req_preview' };
  [red, green] = (await registerColours(
    server.services as TestServices,
    ctx,
    ['#FF0000', '#00FF00'],
    2000,
  )) as [string, string];
  // Only red gets a proxy: green falls back to its source with a warning.
  await ensureProxies({ services: server.services, ctx, assetIds: [red], profiles: ['draft_360p'] });
  const project = await server.services.projects.createProject(ctx, {
    document: {
      name: 'preview',
      sequences: [
        {
          id: 's1',
          tracks: [
            {
              id: 'v',
              kind: 'video',
              clips: [
                { id: 'r', asset_id: red, start_ms: 0, in_ms: 0, out_ms: 2000 },
                { id: 'g', asset_id: green, start_ms: 2000, in_ms: 0, out_ms: 2000 },
              ],
            },
          ],
        },
      ],
    },
  });
  projectId = project.id;
});

after(async () => {
  await server.close();
});

const get = (query: string, headers: Record<string, string> = {}) =>
  server.app.inject({
    method: 'GET',
    url: `/video/preview/${projectId}?${query}`,
    headers: { ...auth(server.keyA, 'dev'), ...headers },
  });

test('first request streams the window, the second is a cache hit with the same bytes, Range works', async () => {
  const first = await get('sequence_id=s1&start_ms=1500&duration_ms=1000');
  assert.equal(first.statusCode, 200, first.body);
  assert.equal(first.headers['x-preview-cache'], 'miss');
  assert.equal(first.headers['content-length'], undefined); // streamed while ffmpeg writes
  assert.equal(first.headers['x-preview-profile'], 'draft_360p');
  const warnings = JSON.parse(String(first.headers['x-preview-warnings']));
  assert.deepEqual(warnings, [{ code: 'PROXY_MISSING', path: green }]);

  const file = join(tmpdir(), `preview-${process.pid}.mp4`);
  await writeFile(file, first.rawPayload);
  try {
    assert.equal(await frameCount(file), 30);
    assert.ok(await hasAudio(file));
    // Window 1500..2500 ms: red for 15 frames (proxy), green after the cut at 2000 ms (source).
    const a = await sampleColor({ file, tMs: 200, x: 320, y: 180 });
    const b = await sampleColor({ file, tMs: 700, x: 320, y: 180 });
    assert.ok(a.r > 200 && a.g < 60, JSON.stringify(a));
    assert.ok(b.g > 200 && b.r < 60, JSON.stringify(b));
  } finally {
    await rm(file, { force: true });
  }

  // Wait until the window is cached (the stream may end just before the artifact is registered).
  let second = await get('sequence_id=s1&start_ms=1500&duration_ms=1000');
  for (let i = 0; i < 50 && second.headers['x-preview-cache'] !== 'hit'; i++) {
    await new Promise((r) => setTimeout(r, 100));
    second = await get('sequence_id=s1&start_ms=1500&duration_ms=1000');
  }
  assert.equal(second.headers['x-preview-cache'], 'hit');
  assert.deepEqual(second.rawPayload, first.rawPayload);
  const size = second.rawPayload.length;
  assert.equal(Number(second.headers['content-length']), size);

  const part = await get('sequence_id=s1&start_ms=1500&duration_ms=1000', { range: 'bytes=100-199' });
  assert.equal(part.statusCode, 206);
  assert.equal(part.headers['content-range'], `bytes 100-199/${size}`);
  assert.deepEqual(part.rawPayload, first.rawPayload.subarray(100, 200));
  const bad = await get('sequence_id=s1&start_ms=1500&duration_ms=1000', { range: `bytes=${size}-` });
  assert.equal(bad.statusCode, 416);
});

test('a Range request for a window not rendered yet renders it first; tenants are walls', async () => {
  const part = await get('start_ms=0&duration_ms=500', { range: 'bytes=0-99' });
  assert.equal(part.statusCode, 206, part.body);
  assert.equal(part.rawPayload.length, 100);
  assert.equal(part.rawPayload.subarray(4, 8).toString('latin1'), 'ftyp');
  const other = await server.app.inject({
    method: 'GET',
    url: `/video/preview/${projectId}?start_ms=0&duration_ms=500`,
    headers: auth(server.keyB, 'dev'),
  });
  assert.equal(other.statusCode, 404);
  assert.equal(other.json().error.code, 'PROJECT_NOT_FOUND');
  const tooLong = await get('duration_ms=600000');
  assert.equal(tooLong.statusCode, 400);
});

const post = (body: unknown, key = server.keyA) =>
  server.app.inject({ method: 'POST', url: '/video/preview', headers: auth(key, 'dev'), payload: body as object });

test('POST previews the timeline in the body (an unsaved edit), streamed, from the proxy', async () => {
  const timeline = {
    id: 'unsaved',
    tracks: [{ id: 'v', kind: 'video', clips: [{ id: 'r', asset_id: red, start_ms: 0, in_ms: 0, out_ms: 1000 }] }],
  };
  const res = await post({ timeline, start_ms: 0, duration_ms: 1000 });
  assert.equal(res.statusCode, 200, res.body);
  assert.equal(res.headers['x-preview-cache'], 'miss');
  assert.deepEqual(JSON.parse(String(res.headers['x-preview-warnings'])), []);
  // Fragmented: an init segment with an empty moov, then a fragment per frame (30 video frames in 1 s).
  assert.equal(res.rawPayload.subarray(4, 8).toString('latin1'), 'ftyp');
  assert.ok(res.rawPayload.toString('latin1').split('moof').length - 1 >= 30);
  const file = join(tmpdir(), `preview-post-${process.pid}.mp4`);
  await writeFile(file, res.rawPayload);
  try {
    assert.equal(await frameCount(file), 30);
    const c = await sampleColor({ file, tMs: 500, x: 320, y: 180 });
    assert.ok(c.r > 200 && c.g < 60, JSON.stringify(c));
  } finally {
    await rm(file, { force: true });
  }
});

test('POST: the body is validated like a render; another tenant cannot preview our assets', async () => {
  const bad = await post({ timeline: { id: 'x', tracks: [{ id: 'v', kind: 'video', clips: [{ id: 'c' }] }] } });
  assert.equal(bad.statusCode, 400, bad.body);
  const both = await post({ timeline: { id: 'x', tracks: [] }, project_id: projectId });
  assert.equal(both.statusCode, 400, both.body);
  const stored = await post({ project_id: projectId }, server.keyB);
  assert.equal(stored.statusCode, 404);
  assert.equal(stored.json().error.code, 'PROJECT_NOT_FOUND');
  // Tenant B names tenant A's asset id: it is missing for B (a black gap and a warning), never A's red frames.
  const timeline = {
    id: 'foreign',
    tracks: [{ id: 'v', kind: 'video', clips: [{ id: 'r', asset_id: red, start_ms: 0, duration_ms: 500 }] }],
  };
  const res = await post({ timeline, start_ms: 0, duration_ms: 500 }, server.keyB);
  assert.equal(res.statusCode, 200, res.body);
  const warnings = JSON.parse(String(res.headers['x-preview-warnings'])) as Array<{ code: string }>;
  assert.ok(warnings.some((w) => w.code === 'MISSING_ASSET'), JSON.stringify(warnings));
  const file = join(tmpdir(), `preview-foreign-${process.pid}.mp4`);
  await writeFile(file, res.rawPayload);
  try {
    const c = await sampleColor({ file, tMs: 200, x: 320, y: 180 });
    assert.ok(c.r < 40 && c.g < 40 && c.b < 40, JSON.stringify(c));
  } finally {
    await rm(file, { force: true });
  }
});
