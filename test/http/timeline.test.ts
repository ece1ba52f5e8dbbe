// Timeline validation over HTTP (every issue with its path, asset references within the tenant, 10 000 clips)
// and project CRUD with optimistic concurrency, including the nested sequence/clip routes.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { testsrcClip } from '../helpers/media.js';
import { auth, multipartBody, startTestServer, type TestServer } from './helpers.js';

let s: TestServer;
let assetA: string;
let assetB: string;

async function uploadAs(key: string, durationMs: number): Promise<string> {
  const mp = multipartBody({ filename: 'c.mp4', content: readFileSync(await testsrcClip({ durationMs })) });
  const res = await s.app.inject({
    method: 'POST',
    url: '/media-v2/assets',
    headers: { ...auth(key, 'dev'), ...mp.headers },
    payload: mp.payload,
  });
  assert.ok(res.statusCode === 201 || res.statusCode === 200, res.body);
  return res.json().asset.id;
}

before(async () => {
  s = await startTestServer();
  assetA = await uploadAs(s.keyA, 1000);
  assetB = await uploadAs(s.keyB, 1000);
});

after(() => s.close());

function validate(body: unknown, key = s.keyA) {
  return s.app.inject({
    method: 'POST',
    url: '/video/timeline/validate',
    headers: auth(key, 'dev'),
    payload: body as object,
  });
}

function issuesOf(res: { json(): unknown }): string[] {
  const body = res.json() as { error: { details: { issues: Array<{ path: string; part?: string }> } } };
  return body.error.details.issues.map((i) => i.path).sort();
}

const clip = (id: string, start: number, extra: Record<string, unknown> = {}) => ({
  id,
  asset_id: assetA,
  start_ms: start,
  in_ms: 0,
  out_ms: 1000,
  ...extra,
});

test('a valid timeline → 200 valid', async () => {
  const res = await validate({
    tracks: [{ id: 'v', kind: 'video', clips: [clip('a', 0), clip('b', 1000)] }],
  });
  assert.equal(res.statusCode, 200, res.body);
  assert.deepEqual(res.json(), { valid: true, issues: [], warnings: [] });
});

test('wrong types and negative times → 400 VALIDATION_FAILED with every path', async () => {
  const res = await validate({
    background: 12,
    tracks: [
      {
        id: 'v',
        kind: 'video',
        clips: [
          clip('a', -5),
          clip('b', 1000, { speed: 'fast' }),
          { id: 'c', asset_id: assetA, start_ms: 1.5 },
        ],
      },
      { id: 'x', kind: 'hologram' },
    ],
  });
  assert.equal(res.statusCode, 400);
  assert.equal(res.json().error.code, 'VALIDATION_FAILED');
  assert.deepEqual(issuesOf(res), [
    'background',
    'tracks[0].clips[0].start_ms',
    'tracks[0].clips[1].speed',
    'tracks[0].clips[2].start_ms',
    'tracks[1].kind',
  ]);
  assert.ok(res.json().error.details.issues.every((i: { part: string }) => i.part === 'body'));
});

test('overlapping clips and bad out points → 422 TIMELINE_INVALID with every path', async () => {
  const res = await validate({
    tracks: [
      {
        id: 'v',
        kind: 'video',
        clips: [clip('a', 0), clip('b', 500), clip('c', 3000, { in_ms: 800, out_ms: 200 })],
      },
      { id: 'v', kind: 'audio', clips: [clip('a', 0)] },
    ],
  });
  assert.equal(res.statusCode, 422, res.body);
  assert.equal(res.json().error.code, 'TIMELINE_INVALID');
  assert.deepEqual(issuesOf(res), [
    'tracks[0].clips[1].start_ms',
    'tracks[0].clips[2].out_ms',
    'tracks[1].clips[0].id',
    'tracks[1].id',
  ]);
});

test("unknown and other tenants' asset ids → 404 ASSET_NOT_FOUND naming each path, never 403", async () => {
  const res = await validate({
    tracks: [
      {
        id: 'v',
        kind: 'video',
        clips: [
          clip('a', 0),
          clip('b', 1000, { asset_id: assetB }),
          clip('c', 2000, { asset_id: 'ast_nothere' }),
        ],
      },
    ],
  });
  assert.equal(res.statusCode, 404, res.body);
  assert.equal(res.json().error.code, 'ASSET_NOT_FOUND');
  assert.deepEqual(issuesOf(res), ['tracks[0].clips[1].asset_id', 'tracks[0].clips[2].asset_id']);
  // B's asset is reported with the same words as one that never existed.
  const messages = res
    .json()
    .error.details.issues.map((i: { message: string }) => i.message.replace(/"[^"]+"/, 'ID'));
  assert.equal(messages[0], messages[1]);
  // For B, its own asset is fine.
  const forB = await validate(
    { tracks: [{ id: 'v', kind: 'video', clips: [clip('b', 0, { asset_id: assetB })] }] },
    s.keyB,
  );
  assert.equal(forB.statusCode, 200);
});

test('10 000 clips validate within the request, and the server keeps serving', async () => {
  const clips = Array.from({ length: 10_000 }, (_, i) => ({
    id: `c${i}`,
    asset_id: assetA,
    start_ms: i * 1000,
    out_ms: 1000,
  }));
  const res = await validate({ tracks: [{ id: 'v', kind: 'video', clips }] });
  assert.equal(res.statusCode, 200, res.body.slice(0, 500));
  // One overlap among 10 000 is found and named.
  clips[7777] = { ...clips[7777]!, start_ms: 7776 * 1000 + 500 };
  const bad = await validate({ tracks: [{ id: 'v', kind: 'video', clips }] });
  assert.equal(bad.statusCode, 422);
  assert.deepEqual(issuesOf(bad), ['tracks[0].clips[7777].start_ms']);
  const ok = await s.app.inject({ method: 'GET', url: '/healthz' });
  assert.equal(ok.statusCode, 200);
});

test('project CRUD with versions: create 201, get, list, replace, stale version → 409, delete', async () => {
  const doc = {
    id: 'intro',
    name: 'Intro',
    sequences: [{ id: 'main', tracks: [{ id: 'v', kind: 'video', clips: [clip('a', 0)] }] }],
  };
  const created = await s.app.inject({
    method: 'POST',
    url: '/video/timeline/projects',
    headers: auth(s.keyA),
    payload: doc,
  });
  assert.equal(created.statusCode, 201, created.body);
  assert.equal(created.json().version, 1);
  assert.equal(created.json().document.sequences[0].tracks[0].clips[0].speed, 1, 'defaults filled in');

  const dup = await s.app.inject({
    method: 'POST',
    url: '/video/timeline/projects',
    headers: auth(s.keyA),
    payload: doc,
  });
  assert.equal(dup.statusCode, 409);

  const list = await s.app.inject({ method: 'GET', url: '/video/timeline/projects', headers: auth(s.keyA) });
  assert.deepEqual(
    list.json().items.map((p: { id: string; version: number }) => [p.id, p.version]),
    [['intro', 1]],
  );
  const otherTenant = await s.app.inject({
    method: 'GET',
    url: '/video/timeline/projects/intro',
    headers: auth(s.keyB),
  });
  assert.equal(otherTenant.statusCode, 404);
  assert.equal(otherTenant.json().error.code, 'PROJECT_NOT_FOUND');

  const put = await s.app.inject({
    method: 'PUT',
    url: '/video/timeline/projects/intro',
    headers: auth(s.keyA),
    payload: { ...doc, name: 'Intro v2', version: 1 },
  });
  assert.equal(put.statusCode, 200, put.body);
  assert.equal(put.json().version, 2);
  assert.equal(put.json().name, 'Intro v2');

  const stale = await s.app.inject({
    method: 'PUT',
    url: '/video/timeline/projects/intro',
    headers: auth(s.keyA),
    payload: { ...doc, name: 'lost update', version: 1 },
  });
  assert.equal(stale.statusCode, 409);
  assert.equal(stale.json().error.code, 'VERSION_CONFLICT');
  assert.equal(stale.json().error.details.current_version, 2);

  const badPut = await s.app.inject({
    method: 'PUT',
    url: '/video/timeline/projects/intro',
    headers: auth(s.keyA),
    payload: {
      ...doc,
      version: 2,
      sequences: [{ id: 'main', tracks: [{ id: 'v', kind: 'video', clips: [clip('a', 0), clip('b', 10)] }] }],
    },
  });
  assert.equal(badPut.statusCode, 422);
  assert.deepEqual(issuesOf(badPut), ['sequences[0].tracks[0].clips[1].start_ms']);

  const got = await s.app.inject({
    method: 'GET',
    url: '/video/timeline/projects/intro',
    headers: auth(s.keyA),
  });
  assert.equal(got.json().name, 'Intro v2', 'refused writes changed nothing');
  assert.equal(got.json().version, 2);

  const staleDelete = await s.app.inject({
    method: 'DELETE',
    url: '/video/timeline/projects/intro?version=1',
    headers: auth(s.keyA),
  });
  assert.equal(staleDelete.statusCode, 409);
  const del = await s.app.inject({
    method: 'DELETE',
    url: '/video/timeline/projects/intro?version=2',
    headers: auth(s.keyA),
  });
  assert.equal(del.statusCode, 204);
  const gone = await s.app.inject({
    method: 'GET',
    url: '/video/timeline/projects/intro',
    headers: auth(s.keyA),
  });
  assert.equal(gone.statusCode, 404);
});

test("a project referencing another tenant's asset is refused with ASSET_NOT_FOUND", async () => {
  const res = await s.app.inject({
    method: 'POST',
    url: '/video/timeline/projects',
    headers: auth(s.keyA),
    payload: {
      name: 'x',
      sequences: [
        { id: 'main', tracks: [{ id: 'v', kind: 'video', clips: [clip('a', 0, { asset_id: assetB })] }] },
      ],
    },
  });
  assert.equal(res.statusCode, 404);
  assert.deepEqual(issuesOf(res), ['sequences[0].tracks[0].clips[0].asset_id']);
});

test('nested routes: get/put a sequence, add/patch/delete clips; each edit re-validates the sequence', async () => {
  const base = '/video/timeline/projects/edit';
  const created = await s.app.inject({
    method: 'POST',
    url: '/video/timeline/projects',
    headers: auth(s.keyA),
    payload: {
      id: 'edit',
      name: 'Edit',
      sequences: [
        {
          id: 'main',
          tracks: [
            {
              id: 'v',
              kind: 'video',
              clips: [clip('a', 0), clip('b', 1000)],
              transitions: [
                { id: 't1', type: 'crossfade', from_clip_id: 'a', to_clip_id: 'b', duration_ms: 200 },
              ],
            },
            { id: 'txt', kind: 'text', items: [] },
          ],
        },
      ],
    },
  });
  assert.equal(created.statusCode, 201, created.body);

  const seq = await s.app.inject({ method: 'GET', url: `${base}/sequences/main`, headers: auth(s.keyA) });
  assert.equal(seq.statusCode, 200);
  assert.equal(seq.json().sequence.tracks[0].clips.length, 2);

  const clipsUrl = `${base}/sequences/main/tracks/v/clips`;
  const added = await s.app.inject({
    method: 'POST',
    url: clipsUrl,
    headers: auth(s.keyA),
    payload: { ...clip('c', 2000), version: 1 },
  });
  assert.equal(added.statusCode, 201, added.body);
  assert.equal(added.json().version, 2);
  assert.equal(added.json().clip.id, 'c');

  const overlap = await s.app.inject({
    method: 'POST',
    url: clipsUrl,
    headers: auth(s.keyA),
    payload: clip('d', 2500),
  });
  assert.equal(overlap.statusCode, 422);
  assert.deepEqual(issuesOf(overlap), ['tracks[0].clips[3].start_ms']);

  const stale = await s.app.inject({
    method: 'POST',
    url: clipsUrl,
    headers: auth(s.keyA),
    payload: { ...clip('d', 5000), version: 1 },
  });
  assert.equal(stale.statusCode, 409);

  const foreign = await s.app.inject({
    method: 'POST',
    url: clipsUrl,
    headers: auth(s.keyA),
    payload: clip('d', 5000, { asset_id: assetB }),
  });
  assert.equal(foreign.statusCode, 404);
  assert.equal(foreign.json().error.code, 'ASSET_NOT_FOUND');

  const onText = await s.app.inject({
    method: 'POST',
    url: `${base}/sequences/main/tracks/txt/clips`,
    headers: auth(s.keyA),
    payload: clip('d', 5000),
  });
  assert.equal(onText.statusCode, 400);

  const noTrack = await s.app.inject({
    method: 'POST',
    url: `${base}/sequences/main/tracks/zz/clips`,
    headers: auth(s.keyA),
    payload: clip('d', 5000),
  });
  assert.equal(noTrack.statusCode, 404);
  assert.equal(noTrack.json().error.code, 'PROJECT_NOT_FOUND');

  const patched = await s.app.inject({
    method: 'PATCH',
    url: `${clipsUrl}/c`,
    headers: auth(s.keyA),
    payload: { start_ms: 4000, volume: 0.5 },
  });
  assert.equal(patched.statusCode, 200, patched.body);
  assert.equal(patched.json().clip.start_ms, 4000);
  assert.equal(patched.json().clip.volume, 0.5);
  assert.equal(patched.json().version, 3);

  const badPatch = await s.app.inject({
    method: 'PATCH',
    url: `${clipsUrl}/c`,
    headers: auth(s.keyA),
    payload: { speed: 99, start_ms: 500 },
  });
  assert.equal(badPatch.statusCode, 400);
  assert.deepEqual(issuesOf(badPatch), ['tracks[0].clips[2].speed']);

  const overlapPatch = await s.app.inject({
    method: 'PATCH',
    url: `${clipsUrl}/c`,
    headers: auth(s.keyA),
    payload: { start_ms: 500 },
  });
  assert.equal(overlapPatch.statusCode, 422);

  const del = await s.app.inject({ method: 'DELETE', url: `${clipsUrl}/b`, headers: auth(s.keyA) });
  assert.equal(del.statusCode, 200, del.body);
  assert.deepEqual(del.json().removed_transitions, ['t1']);

  const after = await s.app.inject({ method: 'GET', url: `${base}/sequences/main`, headers: auth(s.keyA) });
  const track = after.json().sequence.tracks[0];
  assert.deepEqual(
    track.clips.map((c: { id: string; start_ms: number }) => [c.id, c.start_ms]),
    [
      ['a', 0],
      ['c', 4000],
    ],
  );
  assert.deepEqual(track.transitions, []);
  assert.equal(after.json().version, 4);

  const putSeq = await s.app.inject({
    method: 'PUT',
    url: `${base}/sequences/main`,
    headers: auth(s.keyA),
    payload: {
      version: 4,
      background: '#112233',
      tracks: [{ id: 'v', kind: 'video', clips: [clip('z', 0)] }],
    },
  });
  assert.equal(putSeq.statusCode, 200, putSeq.body);
  assert.equal(putSeq.json().sequence.id, 'main');
  assert.equal(putSeq.json().sequence.background, '#112233');

  const wrongId = await s.app.inject({
    method: 'PUT',
    url: `${base}/sequences/main`,
    headers: auth(s.keyA),
    payload: { id: 'other', tracks: [] },
  });
  assert.equal(wrongId.statusCode, 400);
  const noSeq = await s.app.inject({ method: 'GET', url: `${base}/sequences/nope`, headers: auth(s.keyA) });
  assert.equal(noSeq.statusCode, 404);
});
