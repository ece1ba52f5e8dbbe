// /openapi.json is generated from the route registry; engine routes plug in through extraRoutes and are
// documented and guarded the same way; unexpected errors become INTERNAL without leaking internals.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { ERRORS } from '../../src/errors.js';
import { buildApp, type HttpServices, type RouteModule } from '../../src/http/index.js';
import { createServices, type Services } from '../../src/media/services.js';
import { auth } from './helpers.js';

let services: Services;
let dataDir: string;
let key: string;
let app: Awaited<ReturnType<typeof buildApp>>;

const engineRoutes: RouteModule<HttpServices> = (_app, { route }) => {
  route({
    method: 'POST',
    url: '/video/test-engine/analyze',
    operationId: 'testEngineAnalyze',
    summary: 'A plug-in route',
    body: z.object({ asset_id: z.string(), level: z.int().min(1).max(3) }),
    responses: { 200: { description: 'ok', schema: z.object({ echoed: z.int(), tenant: z.string() }) } },
    errors: ['ASSET_NOT_FOUND'],
    handler: async ({ body, ctx }) => ({ echoed: body.level, tenant: ctx.tenantId }),
  });
  route({
    method: 'GET',
    url: '/video/test-engine/boom',
    operationId: 'testEngineBoom',
    summary: 'Throws a plain error',
    responses: { 200: { description: 'never' } },
    handler: async () => {
      throw new Error('secret internal detail at /srv/db.sqlite');
    },
  });
};

before(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'cutroom-openapi-'));
  services = await createServices({ dataDir });
  await services.tenants.createTenant({ id: 'ta' });
  key = (await services.tenants.createApiKey({ tenantId: 'ta' })).key;
  app = await buildApp({ services, extraRoutes: [engineRoutes] });
});

after(async () => {
  await app.close();
  await services.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const EXPECTED_ROUTES = [
  'get /healthz',
  'get /openapi.json',
  'post /media-v2/assets',
  'get /media-v2/assets',
  'get /media-v2/assets/{id}',
  'get /media-v2/artifacts/{id}',
  'get /media-v2/artifacts/{id}/content',
  'post /video/timeline/projects',
  'get /video/timeline/projects',
  'get /video/timeline/projects/{id}',
  'put /video/timeline/projects/{id}',
  'delete /video/timeline/projects/{id}',
  'get /video/timeline/projects/{id}/sequences/{sequence_id}',
  'put /video/timeline/projects/{id}/sequences/{sequence_id}',
  'post /video/timeline/projects/{id}/sequences/{sequence_id}/tracks/{track_id}/clips',
  'patch /video/timeline/projects/{id}/sequences/{sequence_id}/tracks/{track_id}/clips/{clip_id}',
  'delete /video/timeline/projects/{id}/sequences/{sequence_id}/tracks/{track_id}/clips/{clip_id}',
  'post /video/timeline/validate',
  'post /video/test-engine/analyze',
  'get /video/test-engine/boom',
];

test('/openapi.json lists every route with schemas, security and the error envelope', async () => {
  const res = await app.inject({ method: 'GET', url: '/openapi.json' });
  assert.equal(res.statusCode, 200);
  const doc = JSON.parse(res.body);
  assert.equal(doc.openapi, '3.1.0');
  const listed = Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(([p, ops]) =>
    Object.keys(ops).map((m) => `${m} ${p}`),
  );
  assert.deepEqual([...listed].sort(), [...EXPECTED_ROUTES].sort());

  assert.deepEqual(doc.components.securitySchemes.bearer, {
    type: 'http',
    scheme: 'bearer',
    description: 'An API key: Authorization: Bearer cr_…',
  });
  for (const id of ['ErrorEnvelope', 'Timeline', 'Project', 'Asset', 'MediaInfo'])
    assert.ok(doc.components.schemas[id], `components.schemas.${id}`);

  const upload = doc.paths['/media-v2/assets'].post;
  assert.ok(upload.requestBody.content['multipart/form-data']);
  assert.equal(upload.requestBody.content['application/json'].schema.properties.path.type, 'string');
  assert.deepEqual(upload.security, [{ bearer: [] }]);
  assert.ok(upload.parameters.some((p: { $ref?: string }) => p.$ref === '#/components/parameters/XEnv'));
  assert.equal(
    upload.responses['413'].content['application/json'].schema.$ref,
    '#/components/schemas/ErrorEnvelope',
  );

  const health = doc.paths['/healthz'].get;
  assert.deepEqual(health.security, []);

  const getAsset = doc.paths['/media-v2/assets/{id}'].get;
  assert.deepEqual(
    getAsset.parameters.filter((p: { in?: string }) => p.in === 'path').map((p: { name: string }) => p.name),
    ['id'],
  );

  const plugin = doc.paths['/video/test-engine/analyze'].post;
  assert.deepEqual(plugin.requestBody.content['application/json'].schema.properties.level, {
    type: 'integer',
    minimum: 1,
    maximum: 3,
  });

  // Every $ref points at something that exists.
  const refs = [...res.body.matchAll(/"\$ref":"#\/components\/(schemas|parameters)\/([^"]+)"/g)];
  assert.ok(refs.length > 10);
  for (const [, kind, name] of refs) assert.ok(doc.components[kind!][name!], `dangling $ref ${kind}/${name}`);
});

test('every error code the API documents exists in src/errors.ts and in docs/ERRORS.md', async () => {
  const doc = (await app.inject({ method: 'GET', url: '/openapi.json' })).json();
  const docs = readFileSync('docs/ERRORS.md', 'utf8');
  const used = new Set<string>();
  for (const ops of Object.values(doc.paths as Record<string, Record<string, { 'x-error-codes': string[] }>>))
    for (const op of Object.values(ops)) for (const c of op['x-error-codes']) used.add(c);
  assert.ok(
    used.has('TENANT_MISMATCH') && used.has('PAYLOAD_TOO_LARGE') && used.has('RANGE_NOT_SATISFIABLE'),
  );
  for (const c of used) {
    assert.ok(c in ERRORS, `${c} is not in src/errors.ts`);
    assert.ok(docs.includes(`\`${c}\``), `${c} is not in docs/ERRORS.md`);
  }
});

test('a plug-in route gets auth, validation and the tenant guard from the core', async () => {
  const anon = await app.inject({
    method: 'POST',
    url: '/video/test-engine/analyze',
    payload: { asset_id: 'a', level: 2 },
  });
  assert.equal(anon.statusCode, 401);
  const bad = await app.inject({
    method: 'POST',
    url: '/video/test-engine/analyze',
    headers: auth(key),
    payload: { level: 9 },
  });
  assert.equal(bad.statusCode, 400);
  assert.deepEqual(
    bad.json().error.details.issues.map((i: { part: string; path: string }) => `${i.part}:${i.path}`),
    ['body:asset_id', 'body:level'],
  );
  const other = await app.inject({
    method: 'POST',
    url: '/video/test-engine/analyze',
    headers: auth(key),
    payload: { asset_id: 'a', level: 2, tenant_id: 'someone' },
  });
  assert.equal(other.statusCode, 403);
  const ok = await app.inject({
    method: 'POST',
    url: '/video/test-engine/analyze',
    headers: auth(key),
    payload: { asset_id: 'a', level: 2 },
  });
  assert.deepEqual(ok.json(), { echoed: 2, tenant: 'ta' });
});

test('an unexpected error → 500 INTERNAL with the request id, no message or stack leaked; server keeps serving', async () => {
  const res = await app.inject({
    method: 'GET',
    url: '/video/test-engine/boom',
    headers: { ...auth(key), 'x-request-id': 'boom-1' },
  });
  assert.equal(res.statusCode, 500);
  assert.equal(res.json().error.code, 'INTERNAL');
  assert.deepEqual(res.json().error.details, { request_id: 'boom-1' });
  assert.ok(
    !res.body.includes('secret') && !res.body.includes('/srv/') && !res.body.includes('at '),
    res.body,
  );
  const ok = await app.inject({ method: 'GET', url: '/healthz' });
  assert.equal(ok.statusCode, 200);
});
