// Validate = render: POST /video/timeline/validate (bare timeline and {"timeline": …}), the dry run and the render
// submission refuse the same things with the same code, and paths follow one convention (paths inside the body
// sent). Unknown keys are refused everywhere with a suggestion. Unknown and foreign asset ids are refused by
// validate, dry-run, project PUT and clip POST alike, with a second tenant's REAL asset id.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/http/index.js';
import { engineRoutes } from '../../src/http/engine-routes.js';
import type { EmbeddedQueue } from '../../src/jobs/embedded-queue.js';
import { createServices, type Services } from '../../src/media/services.js';
import { createRenderQueue } from '../../src/render/jobs/index.js';
import { testsrcClip } from '../helpers/media.js';
import { auth, multipartBody } from './helpers.js';

let app: FastifyInstance;
let services: Services;
let queue: EmbeddedQueue;
let dataDir: string;
let keyA: string;
let keyB: string;
let assetA: string;
let assetB: string;

async function upload(key: string): Promise<string> {
  const mp = multipartBody({
    filename: 'c.mp4',
    content: await readFile(await testsrcClip({ durationMs: 1000 })),
  });
  const res = await app.inject({
    method: 'POST',
    url: '/media-v2/assets',
    headers: { ...auth(key, 'dev'), ...mp.headers },
    payload: mp.payload,
  });
  assert.ok(res.statusCode === 201 || res.statusCode === 200, res.body);
  return res.json().asset.id;
}

before(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'cutroom-contract-'));
  services = await createServices({ dataDir });
  await services.tenants.createTenant({ id: 'ta', envs: ['dev'] });
  await services.tenants.createTenant({ id: 'tb', envs: ['dev'] });
  keyA = (await services.tenants.createApiKey({ tenantId: 'ta' })).key;
  keyB = (await services.tenants.createApiKey({ tenantId: 'tb' })).key;
  // Not started: submissions are planned and queued, nothing renders (this file is about what is refused).
  queue = await createRenderQueue({ services, start: false, queue: { concurrency: 1, pollMs: 50 } });
  app = await buildApp({ services, extraRoutes: engineRoutes({ queue }) });
  await app.ready();
  assetA = await upload(keyA);
  // Same bytes, other tenant: a real asset id that exists, just not for tenant A.
  assetB = await upload(keyB);
});

after(async () => {
  await app.close();
  await queue.close();
  await services.close();
  await rm(dataDir, { recursive: true, force: true });
});

const clip = (id: string, start: number, extra: Record<string, unknown> = {}) => ({
  id,
  asset_id: assetA,
  start_ms: start,
  out_ms: 1000,
  ...extra,
});

const twoClips = (extra: { a?: Record<string, unknown>; transitions?: unknown[] } = {}) => ({
  tracks: [
    {
      id: 'v',
      kind: 'video',
      clips: [clip('a', 0, extra.a), clip('b', 1000)],
      transitions: extra.transitions ?? [],
    },
  ],
});

interface Answer {
  status: number;
  code: string | undefined;
  paths: string[];
  body: string;
}

async function post(url: string, payload: unknown, key = keyA): Promise<Answer> {
  const res = await app.inject({
    method: 'POST',
    url,
    headers: auth(key, 'dev'),
    payload: payload as object,
  });
  const body = res.json() as { error?: { code: string; details: Record<string, unknown> } };
  const details = body.error?.details ?? {};
  const issues = (details.issues ?? []) as Array<{ path: string }>;
  return {
    status: res.statusCode,
    code: body.error?.code,
    paths: issues.map((i) => i.path).sort(),
    body: res.body,
  };
}

/** The same timeline through the four doors: validate (bare), validate ({timeline}), dry-run, render. */
async function throughEveryDoor(timeline: unknown, extra: Record<string, unknown> = {}): Promise<Answer[]> {
  return [
    await post('/video/timeline/validate', timeline),
    await post('/video/timeline/validate', { timeline, ...extra }),
    await post('/video/render/dry-run', { timeline, profile: 'draft_360p', ...extra }),
    await post('/video/render', { timeline, profile: 'draft_360p', ...extra }),
  ];
}

// Built lazily: the asset ids exist only after before() ran.
const CASES: Array<{ name: string; timeline: () => unknown; code: string; path: string }> = [
  {
    name: 'unknown transition type',
    timeline: () =>
      twoClips({
        transitions: [{ id: 't', type: 'crossfad', from_clip_id: 'a', to_clip_id: 'b', duration_ms: 200 }],
      }),
    code: 'UNKNOWN_TRANSITION',
    path: 'tracks[0].transitions[0].type',
  },
  {
    name: 'unknown filter type',
    timeline: () => twoClips({ a: { filters: [{ type: 'sparkle' }] } }),
    code: 'UNKNOWN_FILTER',
    path: 'tracks[0].clips[0].filters[0].type',
  },
  {
    name: 'a filter param of the wrong type',
    timeline: () => twoClips({ a: { filters: [{ type: 'brightness', params: { value: 'lots' } }] } }),
    code: 'INVALID_PARAM',
    path: 'tracks[0].clips[0].filters[0].params.value',
  },
  {
    name: 'a font family that does not exist',
    timeline: () => ({
      tracks: [
        { id: 'v', kind: 'video', clips: [clip('a', 0)] },
        {
          id: 't',
          kind: 'text',
          items: [
            { id: 'x', start_ms: 0, duration_ms: 500, text: 'hi', font: { family: 'No Such Font Family 9' } },
          ],
        },
      ],
    }),
    code: 'FONT_NOT_FOUND',
    path: '',
  },
  {
    name: 'an asset id that does not exist',
    timeline: () => ({
      tracks: [{ id: 'v', kind: 'video', clips: [clip('a', 0, { asset_id: 'ast_doesnotexist' })] }],
    }),
    code: 'ASSET_NOT_FOUND',
    path: 'tracks[0].clips[0].asset_id',
  },
  {
    name: "another tenant's real asset id",
    timeline: () => ({ tracks: [{ id: 'v', kind: 'video', clips: [clip('a', 0)] }] }),
    code: 'ASSET_NOT_FOUND',
    path: 'tracks[0].clips[0].asset_id',
  },
  {
    name: 'overlapping clips',
    timeline: () => ({ tracks: [{ id: 'v', kind: 'video', clips: [clip('a', 0), clip('b', 500)] }] }),
    code: 'TIMELINE_INVALID',
    path: 'tracks[0].clips[1].start_ms',
  },
  {
    name: 'a typo in a clip key',
    timeline: () => twoClips({ a: { volum: 0.5 } }),
    code: 'VALIDATION_FAILED',
    path: 'tracks[0].clips[0].volum',
  },
];

for (const c of CASES) {
  test(`validate = render: ${c.name} → ${c.code} at every door, one path convention`, async () => {
    let timeline = c.timeline();
    if (c.name.startsWith('another tenant'))
      timeline = JSON.parse(JSON.stringify(timeline).replaceAll(assetA, assetB));
    const [bare, wrapped, dry, render] = await throughEveryDoor(timeline);
    for (const [door, a] of Object.entries({ bare, wrapped, dry, render }))
      assert.equal(a?.code, c.code, `${door}: ${a?.body}`);
    assert.equal(bare!.status, wrapped!.status);
    assert.equal(bare!.status, dry!.status);
    assert.equal(bare!.status, render!.status);
    if (c.path !== '') {
      assert.deepEqual(bare!.paths, [c.path], bare!.body);
      for (const a of [wrapped!, dry!, render!]) assert.deepEqual(a.paths, [`timeline.${c.path}`], a.body);
    }
  });
}

test('an unknown profile in a render request is refused by validate as by the render', async () => {
  const answers = await throughEveryDoor(twoClips(), { profile: 'draft_999p' });
  assert.deepEqual(
    answers.slice(1).map((a) => a.code),
    ['UNKNOWN_PROFILE', 'UNKNOWN_PROFILE', 'UNKNOWN_PROFILE'],
  );
});

test('a valid timeline is valid at every door; a wrapper with a broken inner timeline is not', async () => {
  const [bare, wrapped, dry] = await throughEveryDoor(twoClips());
  assert.equal(bare!.status, 200, bare!.body);
  assert.equal(JSON.parse(bare!.body).valid, true);
  assert.equal(wrapped!.status, 200, wrapped!.body);
  assert.equal(dry!.status, 200, dry!.body);
  const broken = await post('/video/timeline/validate', {
    timeline: { tracks: [{ id: 'v', kind: 'video', clips: [clip('a', 0, { speed: 99 })] }] },
  });
  assert.equal(broken.status, 400, broken.body);
  assert.deepEqual(broken.paths, ['timeline.tracks[0].clips[0].speed']);
});

test('typos in request bodies and query strings are refused with a suggestion, not dropped', async () => {
  const typo = await post('/video/timeline/validate', { trakcs: [], duration_ms: 1000 });
  assert.equal(typo.code, 'VALIDATION_FAILED');
  assert.match(typo.body, /unknown key \\"trakcs\\"; did you mean \\"tracks\\"/);
  const renderTypo = await post('/video/render/dry-run', { timeline: twoClips(), profle: 'draft_360p' });
  assert.deepEqual(renderTypo.paths, ['profle']);
  assert.match(renderTypo.body, /did you mean \\"profile\\"/);
  const q = await app.inject({ method: 'GET', url: '/media-v2/assets?limt=5', headers: auth(keyA, 'dev') });
  assert.equal(q.statusCode, 400);
  assert.match(q.body, /did you mean \\"limit\\"/);
});

test("project PUT and clip POST refuse an unknown or another tenant's asset id with ASSET_NOT_FOUND", async () => {
  const create = await app.inject({
    method: 'POST',
    url: '/video/timeline/projects',
    headers: auth(keyA, 'dev'),
    payload: {
      name: 'p',
      sequences: [{ id: 'main', tracks: [{ id: 'v', kind: 'video', clips: [clip('a', 0)] }] }],
    },
  });
  assert.equal(create.statusCode, 201, create.body);
  const id = create.json().id as string;
  for (const foreign of [assetB, 'ast_doesnotexist']) {
    const put = await app.inject({
      method: 'PUT',
      url: `/video/timeline/projects/${id}`,
      headers: auth(keyA, 'dev'),
      payload: {
        version: 1,
        ...{
          name: 'p',
          sequences: [
            {
              id: 'main',
              tracks: [{ id: 'v', kind: 'video', clips: [clip('a', 0, { asset_id: foreign })] }],
            },
          ],
        },
      },
    });
    assert.equal(put.statusCode, 404, put.body);
    assert.equal(put.json().error.code, 'ASSET_NOT_FOUND');
    const added = await app.inject({
      method: 'POST',
      url: `/video/timeline/projects/${id}/sequences/main/tracks/v/clips`,
      headers: auth(keyA, 'dev'),
      payload: clip('b', 1000, { asset_id: foreign }),
    });
    assert.equal(added.statusCode, 404, added.body);
    assert.equal(added.json().error.code, 'ASSET_NOT_FOUND');
  }
  const stored = await app.inject({
    method: 'GET',
    url: `/video/timeline/projects/${id}`,
    headers: auth(keyA, 'dev'),
  });
  assert.equal(stored.json().version, 1, 'nothing was written');
});
