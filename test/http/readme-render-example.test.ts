// The render request example in README.md is a valid request: its timeline plans (dry run) with a real asset.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { RequestContext } from '../../src/context.js';
import type { TestServices } from '../media/setup.js';
import { registerColours } from '../render/jobs-helpers.js';
import { auth, startTestServer, type TestServer } from './helpers.js';

let server: TestServer;
let asset: string;

before(async () => {
  server = await startTestServer();
  const ctx: RequestContext = { tenantId: 'ta', env: 'dev', requestId: 'req_readme' };
  [asset] = (await registerColours(server.services as TestServices, ctx, ['#808080'], 13000)) as [string];
});

after(async () => {
  await server.close();
});

test('README render request example plans without errors', async () => {
  const md = readFileSync('README.md', 'utf8');
  const block = md.split('### A render request')[1]?.split('```json')[1]?.split('```')[0];
  assert.ok(block, 'README has the example');
  const body = JSON.parse(block.replaceAll('ast_…', asset)) as Record<string, unknown>;
  assert.deepEqual(Object.keys(body).sort(), ['output', 'profile', 'timeline']);
  const res = await server.app.inject({
    method: 'POST',
    url: '/video/render/dry-run',
    headers: auth(server.keyA, 'dev'),
    payload: { timeline: body.timeline, profile: body.profile },
  });
  assert.equal(res.statusCode, 200, res.body);
  assert.deepEqual(
    res.json().warnings.map((w: { code: string }) => w.code),
    [],
  );
});
