// Template update (PUT, PATCH) and delete over HTTP: optimistic concurrency (If-Match "N" or version, 409
// VERSION_CONFLICT with the current version), the same checks as create (a refused change leaves the template as
// it was), tenant and env walls (404, nothing changed), and deleting a template keeps the renders made from it.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { RequestContext } from '../../src/context.js';
import { buildApp } from '../../src/http/index.js';
import { engineRoutes } from '../../src/http/engine-routes.js';
import type { EmbeddedQueue } from '../../src/jobs/embedded-queue.js';
import { createServices, type Services } from '../../src/media/services.js';
import { createRenderQueue } from '../../src/render/jobs/index.js';
import { pngImage, sampleColor } from '../helpers/media.js';
import { waitForJob } from '../render/jobs-helpers.js';
import { auth } from './helpers.js';

let app: FastifyInstance;
let services: Services;
let queue: EmbeddedQueue;
let keyA: string;
let keyB: string;
let photoA: string;
let photoB: string;
let dir: string;
const ctxA: RequestContext = { tenantId: 'ua', env: 'dev', requestId: 'req_test' };

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cutroom-templates-upd-'));
  services = await createServices({ dataDir: dir });
  await services.tenants.createTenant({ id: 'ua', envs: ['dev', 'prod'] });
  await services.tenants.createTenant({ id: 'ub', envs: ['dev'] });
  keyA = (await services.tenants.createApiKey({ tenantId: 'ua' })).key;
  keyB = (await services.tenants.createApiKey({ tenantId: 'ub' })).key;
  const png = await pngImage({ color: '#0000FF' });
  photoA = (await services.assets.registerAsset(ctxA, { source: { path: png } })).asset.id;
  photoB = (
    await services.assets.registerAsset(
      { tenantId: 'ub', env: 'dev', requestId: 'r' },
      { source: { path: png } },
    )
  ).asset.id;
  queue = await createRenderQueue({
    services,
    start: true,
    queue: { concurrency: 1, pollMs: 50, progressPersistMs: 100 },
  });
  app = await buildApp({ services, extraRoutes: engineRoutes({ queue }) });
  await app.ready();
});
after(async () => {
  await app.close();
  await queue.close();
  await services.close();
  await rm(dir, { recursive: true, force: true });
});

/** A {{FILL}} colour fill for {{DUR}} ms (default 600) with the photo over it. */
function doc(name = 'fill', photo = '{{PHOTO}}') {
  return {
    name,
    fields: { DUR: { type: 'number', default: 600 } },
    timeline: {
      tracks: [
        {
          id: 'v',
          kind: 'video',
          clips: [
            {
              id: 'bg',
              asset_id: 'generator:bg',
              start_ms: 0,
              duration_ms: '{{DUR}}',
              generator: { type: 'color', color: '{{FILL}}' },
            },
          ],
        },
        {
          id: 'o',
          kind: 'overlay',
          clips: [
            {
              id: 'pic',
              asset_id: photo,
              start_ms: 0,
              duration_ms: '{{DUR}}',
              transform: { scale: 0.25, position_x: 0.875, position_y: 0.125 },
            },
          ],
        },
      ],
    },
  };
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
const req = (
  method: Method,
  url: string,
  payload?: unknown,
  opts: { key?: string; env?: string; ifMatch?: string } = {},
) =>
  app.inject({
    method,
    url,
    headers: {
      ...auth(opts.key ?? keyA, opts.env ?? 'dev'),
      ...(opts.ifMatch !== undefined ? { 'if-match': opts.ifMatch } : {}),
    },
    ...(payload !== undefined ? { payload: payload as object } : {}),
  });

async function create(name = 'fill'): Promise<string> {
  const res = await req('POST', '/video/templates', doc(name));
  assert.equal(res.statusCode, 201, res.body);
  assert.equal(res.json().version, 1);
  assert.equal(res.headers.etag, '"1"');
  return res.json().id as string;
}

function expectError(res: Awaited<ReturnType<typeof req>>, status: number, code: string) {
  assert.equal(res.statusCode, status, res.body);
  assert.equal(res.json().error.code, code);
  return res.json().error as { message: string; details: Record<string, unknown> };
}

test('PUT with If-Match replaces the template and bumps the version; a stale If-Match or version is 409', async () => {
  const id = await create();
  const got = await req('GET', `/video/templates/${id}`);
  assert.equal(got.headers.etag, '"1"');

  const put = await req('PUT', `/video/templates/${id}`, doc('renamed'), {
    ifMatch: got.headers.etag as string,
  });
  assert.equal(put.statusCode, 200, put.body);
  assert.equal(put.json().name, 'renamed');
  assert.equal(put.json().version, 2);
  assert.equal(put.headers.etag, '"2"');
  assert.equal((await req('GET', `/video/templates/${id}`)).json().name, 'renamed');
  const listed = (await req('GET', '/video/templates')).json().items.find((t: { id: string }) => t.id === id);
  assert.equal(listed.version, 2);

  // The change based on version 1 lost the race: 409 naming the current version, nothing written.
  const stale = expectError(
    await req('PUT', `/video/templates/${id}`, doc('stale'), { ifMatch: '"1"' }),
    409,
    'VERSION_CONFLICT',
  );
  assert.equal(stale.details.current_version, 2);
  assert.equal(stale.details.expected_version, 1);
  const staleBody = expectError(
    await req('PUT', `/video/templates/${id}`, { ...doc('stale'), version: 1 }),
    409,
    'VERSION_CONFLICT',
  );
  assert.equal(staleBody.details.current_version, 2);
  assert.equal((await req('GET', `/video/templates/${id}`)).json().name, 'renamed');

  // version in the body works like If-Match; W/"N" and * are accepted too.
  const byBody = await req('PUT', `/video/templates/${id}`, { ...doc('by-body'), version: 2 });
  assert.equal(byBody.json().version, 3, byBody.body);
  const weak = await req('PUT', `/video/templates/${id}`, doc('weak'), { ifMatch: 'W/"3"' });
  assert.equal(weak.json().version, 4, weak.body);
  const any = await req('PUT', `/video/templates/${id}`, doc('any'), { ifMatch: '*' });
  assert.equal(any.json().version, 5, any.body);
});

test('an update needs a precondition, and a malformed or contradictory one is a 400 naming the header', async () => {
  const id = await create();
  const none = expectError(await req('PUT', `/video/templates/${id}`, doc('x')), 400, 'VALIDATION_FAILED');
  assert.deepEqual((none.details.issues as Array<{ part: string; path: string }>)[0], {
    part: 'headers',
    path: 'if-match',
    message: 'send If-Match: "N" (the ETag of GET /video/templates/{id}) or version in the body',
  });
  expectError(await req('PATCH', `/video/templates/${id}`, { name: 'x' }), 400, 'VALIDATION_FAILED');
  for (const bad of ['1', '"0"', '"abc"', '"1", "2"']) {
    const e = expectError(
      await req('PUT', `/video/templates/${id}`, doc('x'), { ifMatch: bad }),
      400,
      'VALIDATION_FAILED',
    );
    assert.equal((e.details.issues as Array<{ path: string }>)[0]!.path, 'if-match', bad);
  }
  expectError(
    await req('PUT', `/video/templates/${id}`, { ...doc('x'), version: 2 }, { ifMatch: '"1"' }),
    400,
    'VALIDATION_FAILED',
  );
  expectError(
    await req('PUT', `/video/templates/${id}`, { ...doc('x'), version: 0 }),
    400,
    'VALIDATION_FAILED',
  );
  assert.equal((await req('GET', `/video/templates/${id}`)).json().version, 1);
});

test('an update is checked exactly like a new template; a refused one changes nothing', async () => {
  const id = await create();
  const bad = async (body: unknown, status: number, code: string, method: Method = 'PUT') => {
    const put = await req(method, `/video/templates/${id}`, body, { ifMatch: '"1"' });
    const create = await req('POST', '/video/templates', body);
    const e = expectError(put, status, code);
    // PATCH bodies are partial, so only PUT is compared with the create answer.
    if (method === 'PUT') {
      const c = expectError(create, status, code);
      assert.equal(c.message, e.message);
      assert.deepEqual(c.details.issues, e.details.issues);
    }
    return e;
  };
  const malformed = doc();
  (malformed.timeline.tracks[0]!.clips[0] as { generator: { color: string } }).generator.color = '{{FILL}';
  await bad(malformed, 422, 'TEMPLATE_INVALID');
  const unused = { ...doc(), fields: { ...doc().fields, NOPE: { type: 'number' } } };
  assert.equal(
    ((await bad(unused, 422, 'TEMPLATE_INVALID')).details.issues as Array<{ field: string }>)[0]!.field,
    'NOPE',
  );
  // A literal asset id of another tenant is refused like one that never existed.
  await bad(doc('theirs', photoB), 404, 'ASSET_NOT_FOUND');
  await bad({ name: 'x', timeline: { tracks: 'no' } }, 422, 'TEMPLATE_INVALID');
  await bad({ name: '', timeline: doc().timeline }, 400, 'VALIDATION_FAILED');
  // PATCH: the merged document gets the same checks; unknown keys are refused, not ignored.
  await bad({ fields: { NOPE: { type: 'number' } } }, 422, 'TEMPLATE_INVALID', 'PATCH');
  await bad({ timeline: doc('t', photoB).timeline }, 404, 'ASSET_NOT_FOUND', 'PATCH');
  await bad({ nmae: 'typo' }, 400, 'VALIDATION_FAILED', 'PATCH');
  const after = (await req('GET', `/video/templates/${id}`)).json();
  assert.equal(after.version, 1);
  assert.deepEqual(after.timeline, doc().timeline);
});

test('PATCH changes only the keys it names; the merge of the changed template follows it', async () => {
  const id = await create();
  const renamed = await req('PATCH', `/video/templates/${id}`, { name: 'patched' }, { ifMatch: '"1"' });
  assert.equal(renamed.statusCode, 200, renamed.body);
  assert.equal(renamed.json().name, 'patched');
  assert.deepEqual(renamed.json().timeline, doc().timeline);
  assert.deepEqual(renamed.json().declared_fields, doc().fields);
  // Give the fill a default: merging without FILL now works and uses it.
  const fields = { ...doc().fields, FILL: { type: 'color', default: '#00FF00' } };
  const patched = await req('PATCH', `/video/templates/${id}`, { fields, version: 2 });
  assert.equal(patched.statusCode, 200, patched.body);
  assert.equal(patched.json().version, 3);
  const merged = await req('POST', `/video/templates/${id}/merge`, { merge: { PHOTO: photoA } });
  assert.equal(merged.statusCode, 200, merged.body);
  assert.equal(merged.json().timeline.tracks[0].clips[0].generator.color, '#00FF00');
});

test('another tenant or env cannot update or delete the template (404) and it stays as it was', async () => {
  const id = await create();
  for (const [method, body] of [
    ['PUT', doc('hijack')],
    ['PATCH', { name: 'hijack' }],
    ['DELETE', undefined],
  ] as const) {
    expectError(
      await req(method, `/video/templates/${id}`, body, { key: keyB, ifMatch: '"1"' }),
      404,
      'TEMPLATE_NOT_FOUND',
    );
    expectError(
      await req(method, `/video/templates/${id}`, body, { env: 'prod', ifMatch: '"1"' }),
      404,
      'TEMPLATE_NOT_FOUND',
    );
  }
  // Even an invalid document answers 404 for someone else's id: the document of a template they cannot see is
  // never checked against their assets.
  expectError(
    await req('PUT', `/video/templates/${id}`, doc('x', photoA), { key: keyB, ifMatch: '"1"' }),
    404,
    'TEMPLATE_NOT_FOUND',
  );
  const got = (await req('GET', `/video/templates/${id}`)).json();
  assert.equal(got.name, 'fill');
  assert.equal(got.version, 1);
  expectError(await req('DELETE', '/video/templates/tpl_doesnotexist1'), 404, 'TEMPLATE_NOT_FOUND');
});

test('DELETE: a stale version is 409, then the template is gone (404) and renders made from it are kept', async () => {
  const id = await create();
  const merge = { FILL: '#C00000', PHOTO: photoA };
  const submitted = await req('POST', `/video/templates/${id}/render`, {
    merge,
    profile: 'draft_360p',
    output: 'red.mp4',
  });
  assert.equal(submitted.statusCode, 201, submitted.body);
  const job = await waitForJob(queue, ctxA, submitted.json().job.id);
  assert.equal(job.state, 'completed', JSON.stringify(job.error));

  await req('PATCH', `/video/templates/${id}`, { name: 'v2' }, { ifMatch: '"1"' });
  const stale = expectError(await req('DELETE', `/video/templates/${id}?version=1`), 409, 'VERSION_CONFLICT');
  assert.equal(stale.details.current_version, 2);
  expectError(
    await req('DELETE', `/video/templates/${id}`, undefined, { ifMatch: '"1"' }),
    409,
    'VERSION_CONFLICT',
  );
  const del = await req('DELETE', `/video/templates/${id}`, undefined, { ifMatch: '"2"' });
  assert.equal(del.statusCode, 204, del.body);
  expectError(await req('GET', `/video/templates/${id}`), 404, 'TEMPLATE_NOT_FOUND');
  expectError(await req('DELETE', `/video/templates/${id}`), 404, 'TEMPLATE_NOT_FOUND');
  expectError(await req('POST', `/video/templates/${id}/merge`, { merge }), 404, 'TEMPLATE_NOT_FOUND');

  // The finished render is untouched: the job, its output and the asset are still there.
  const after = await req('GET', `/video/render/jobs/${job.id}`);
  assert.equal(after.json().job.state, 'completed');
  const out = await req('GET', `/video/render/jobs/${job.id}/output`);
  assert.equal(out.statusCode, 200);
  const file = join(dir, 'red.mp4');
  await writeFile(file, out.rawPayload);
  const fill = await sampleColor({ file, tMs: 300, x: 40, y: 300 });
  assert.ok(fill.r > 160 && fill.g < 50 && fill.b < 50, `fill ${JSON.stringify(fill)}`);
});
