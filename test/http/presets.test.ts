// GET /video/presets serves the compiler's own catalogs.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { FILTER_DESCRIPTORS } from '../../src/plan/filters/catalog.js';
import { listProfiles } from '../../src/plan/profiles.js';
import { listTransitions } from '../../src/plan/transitions/catalog.js';
import { auth, startTestServer, type TestServer } from './helpers.js';

let s: TestServer;
before(async () => (s = await startTestServer()));
after(async () => s.close());

test('the presets endpoint lists exactly the catalogs the compiler uses', async () => {
  const res = await s.app.inject({ method: 'GET', url: '/video/presets', headers: auth(s.keyA) });
  assert.equal(res.statusCode, 200, res.body);
  const body = res.json();
  assert.deepEqual(
    body.transitions.map((t: { id: string }) => t.id),
    listTransitions().map((t) => t.id),
  );
  assert.deepEqual(
    body.filters.map((f: { type: string }) => f.type),
    FILTER_DESCRIPTORS.map((f) => f.type),
  );
  assert.deepEqual(
    body.profiles.map((p: { id: string }) => p.id),
    listProfiles().map((p) => p.id),
  );
  for (const id of ['crossfade', 'dip_to_black', 'dip_to_white', 'wipe_left', 'push_right', 'slide_up']) {
    assert.ok(
      body.transitions.some((t: { id: string }) => t.id === id),
      `missing transition ${id}`,
    );
  }
  for (const id of ['cinematic', 'vlog', 'punchy', 'monochrome']) {
    assert.ok(
      body.style_presets.some((p: { id: string }) => p.id === id),
      `missing style preset ${id}`,
    );
  }
  const brightness = body.filters.find((f: { type: string }) => f.type === 'brightness');
  assert.ok(brightness.params.value ?? Object.values(brightness.params)[0], 'filter params are described');
});

test('the presets endpoint needs an API key like every other route', async () => {
  const res = await s.app.inject({ method: 'GET', url: '/video/presets' });
  assert.equal(res.statusCode, 401);
});
