// POST /video/render/dry-run through the real app (inject): plan, warnings, coded errors, tenant walls.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { solidClip } from '../helpers/media.js';
import { auth, startTestServer, type TestServer } from './helpers.js';

let s: TestServer;
let redId: string;
let blueId: string;

before(async () => {
  s = await startTestServer();
  const ctx = { tenantId: 'ta', env: 'dev', requestId: 't' };
  redId = (
    await s.services.assets.registerAsset(ctx, {
      source: { path: await solidClip({ color: '#FF0000', durationMs: 2000 }) },
    })
  ).asset.id;
  blueId = (
    await s.services.assets.registerAsset(ctx, {
      source: { path: await solidClip({ color: '#0000FF', durationMs: 2000 }) },
    })
  ).asset.id;
});
after(async () => s.close());

function timeline(transitionType = 'crossfade'): unknown {
  return {
    tracks: [
      {
        id: 'v',
        kind: 'video',
        clips: [
          { id: 'a', asset_id: redId, start_ms: 0, out_ms: 1000 },
          { id: 'b', asset_id: blueId, start_ms: 1000, out_ms: 1000 },
        ],
        transitions: [
          { id: 't1', type: transitionType, from_clip_id: 'a', to_clip_id: 'b', duration_ms: 400 },
        ],
      },
    ],
  };
}

function dryRun(body: unknown, key = s.keyA) {
  return s.app.inject({
    method: 'POST',
    url: '/video/render/dry-run',
    headers: auth(key, 'dev'),
    payload: body as object,
  });
}

test('a dry run returns the plan, its hash and the transitions in meta; twice gives the same plan', async () => {
  const one = await dryRun({ timeline: timeline(), profile: 'draft_360p' });
  assert.equal(one.statusCode, 200, one.body);
  const body = one.json();
  assert.match(body.plan.meta.plan_hash, /^[0-9a-f]{64}$/);
  assert.match(body.plan.filtergraph, /xfade=transition=fade/);
  assert.deepEqual(
    body.plan.meta.transitions.map((t: { id: string; start_ms: number; duration_ms: number }) => [
      t.id,
      t.start_ms,
      t.duration_ms,
    ]),
    [['t1', 800, 400]],
  );
  const two = await dryRun({ timeline: timeline(), profile: 'draft_360p' });
  assert.equal(two.json().plan.meta.plan_hash, body.plan.meta.plan_hash);
});

test('an unknown transition is a coded 400 naming the valid types', async () => {
  const res = await dryRun({ timeline: timeline('star_wipe') });
  assert.equal(res.statusCode, 400);
  const { error } = res.json();
  assert.equal(error.code, 'UNKNOWN_TRANSITION');
  assert.ok(error.details.valid.includes('crossfade'));
  assert.ok(error.details.valid.includes('dip_to_black'));
});

test('an unknown profile is a coded 400 naming the valid profiles', async () => {
  const res = await dryRun({ timeline: timeline(), profile: 'ultra_8k' });
  assert.equal(res.statusCode, 400);
  assert.equal(res.json().error.code, 'UNKNOWN_PROFILE');
});

test("another tenant's assets are refused by a dry run as by the render (404), never their data", async () => {
  const res = await dryRun({ timeline: timeline() }, s.keyB);
  assert.equal(res.statusCode, 404, res.body);
  const body = res.json();
  assert.equal(body.error.code, 'ASSET_NOT_FOUND');
  assert.deepEqual(
    body.error.details.missing.map((m: { asset_id: string }) => m.asset_id).sort(),
    [redId, blueId].sort(),
  );
  assert.ok(!('plan' in body));
});

test('neither timeline nor project is a validation error with its path', async () => {
  const res = await dryRun({ profile: 'draft_360p' });
  assert.equal(res.statusCode, 400);
  const { error } = res.json();
  assert.equal(error.code, 'VALIDATION_FAILED');
  assert.deepEqual(
    error.details.issues.map((i: { part: string; path: string }) => `${i.part}:${i.path}`),
    ['body:timeline'],
  );
});

test('a body naming another tenant is refused', async () => {
  const res = await dryRun({ timeline: timeline(), tenant_id: 'tb' });
  assert.equal(res.statusCode, 403);
  assert.equal(res.json().error.code, 'TENANT_MISMATCH');
});
