// /openapi.json is a contract clients generate code from: it must pass a real OpenAPI 3.1 validator, contain no
// component that is a reference to itself, document every route's errors, and produce (with openapi-typescript)
// a client that type-checks a call to every route, while a typo'd body key does NOT type-check.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Validator } from '@seriousme/openapi-schema-validator';
import openapiTS, { astToString } from 'openapi-typescript';
import { buildApp } from '../../src/http/index.js';
import { engineRoutes } from '../../src/http/engine-routes.js';
import type { JobQueue } from '../../src/jobs/job-queue.js';
import { createServices, type Services } from '../../src/media/services.js';

type Json = Record<string, unknown>;
let services: Services;
let dataDir: string;
let doc: Json;

before(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'cutroom-openapi-contract-'));
  services = await createServices({ dataDir });
  // The document is built from route declarations only; no handler runs, so the queue is never called.
  const app = await buildApp({ services, extraRoutes: engineRoutes({ queue: {} as JobQueue }) });
  const res = await app.inject({ method: 'GET', url: '/openapi.json' });
  assert.equal(res.statusCode, 200);
  doc = res.json();
  await app.close();
});

after(async () => {
  await services.close();
  rmSync(dataDir, { recursive: true, force: true });
});

test('the document passes a real OpenAPI 3.1 validator', async () => {
  const validator = new Validator();
  const result = await validator.validate(structuredClone(doc) as never);
  assert.equal(result.valid, true, JSON.stringify(result.errors, null, 1)?.slice(0, 2000));
  assert.equal(validator.version, '3.1');
});

test('no component schema is a reference to itself; the render request body is documented', () => {
  const schemas = (doc.components as { schemas: Record<string, Json> }).schemas;
  for (const [id, schema] of Object.entries(schemas))
    assert.notEqual(schema.$ref, `#/components/schemas/${id}`, `${id} references itself`);
  for (const id of ['RenderJobRequest', 'RenderRequest', 'ErrorEnvelope', 'Timeline'])
    assert.equal(schemas[id]?.type, 'object', `${id}: ${JSON.stringify(schemas[id])}`);
  const render = schemas.RenderJobRequest as { properties: Json; additionalProperties: unknown };
  assert.ok('timeline' in render.properties && 'profile' in render.properties);
  assert.equal(render.additionalProperties, false, 'unknown keys are refused, and the document says so');
});

test('every route documents its error responses with the envelope', () => {
  for (const [path, item] of Object.entries(doc.paths as Record<string, Record<string, Json>>))
    for (const [method, op] of Object.entries(item)) {
      const responses = op.responses as Record<string, Json>;
      const errorStatuses = Object.keys(responses).filter((s) => Number(s) >= 400);
      assert.ok(errorStatuses.includes('500'), `${method} ${path} lists no 500`);
      if (path !== '/healthz' && path !== '/openapi.json')
        assert.ok(errorStatuses.includes('400'), `${method} ${path} lists no 400`);
      for (const s of errorStatuses)
        assert.ok(
          (responses[s] as Json)['x-error-codes'] ?? (responses[s] as Json).content,
          `${method} ${path} ${s}`,
        );
    }
});

/** A minimal value of a JSON schema: required properties only, the first enum/const, the minimum. */
function sample(schema: Json, schemas: Record<string, Json>, depth = 0): unknown {
  if (depth > 12) return undefined;
  if (typeof schema.$ref === 'string')
    return sample(schemas[schema.$ref.split('/').pop()!]!, schemas, depth + 1);
  if ('const' in schema) return schema.const;
  if (Array.isArray(schema.enum)) return schema.enum[0];
  for (const k of ['anyOf', 'oneOf'] as const)
    if (Array.isArray(schema[k])) return sample((schema[k] as Json[])[0]!, schemas, depth + 1);
  if (Array.isArray(schema.allOf)) return sample((schema.allOf as Json[])[0]!, schemas, depth + 1);
  switch (schema.type) {
    case 'object': {
      const props = (schema.properties ?? {}) as Record<string, Json>;
      const out: Json = {};
      for (const name of (schema.required ?? []) as string[])
        out[name] = sample(props[name] ?? {}, schemas, depth + 1);
      return out;
    }
    case 'array':
      return [];
    case 'integer':
    case 'number':
      return typeof schema.minimum === 'number' ? Math.max(schema.minimum, 1) : 1;
    case 'boolean':
      return false;
    case 'string':
      return schema.format === 'binary' ? 'x' : 'x';
    default:
      return null;
  }
}

test('openapi-typescript generates a client that type-checks a call to every route', async () => {
  const dir = mkdtempSync(join(process.cwd(), '.openapi-client-'));
  try {
    // Fields with a default are optional in requests (the server fills them in), not non-nullable.
    const ast = await openapiTS(structuredClone(doc) as never, { defaultNonNullable: false });
    writeFileSync(join(dir, 'api.ts'), astToString(ast));
    const schemas = (doc.components as { schemas: Record<string, Json> }).schemas;
    const lines: string[] = [
      "import type { paths } from './api.js';",
      'type Method = "get" | "post" | "put" | "patch" | "delete";',
      'type Op<P extends keyof paths, M extends Method> = NonNullable<paths[P][M]>;',
      'type BodyOf<O> = O extends { requestBody?: { content: { "application/json": infer B } } } ? B : never;',
      'type ParamsOf<O> = O extends { parameters: { path?: infer X } } ? X : never;',
      'declare function call<P extends keyof paths, M extends Method>(path: P, method: M, init: { params?: ParamsOf<Op<P, M>>; body?: BodyOf<Op<P, M>> }): Promise<unknown>;',
    ];
    let calls = 0;
    for (const [path, item] of Object.entries(doc.paths as Record<string, Record<string, Json>>))
      for (const [method, op] of Object.entries(item)) {
        const params = Object.fromEntries(
          ((op.parameters ?? []) as Json[]).filter((p) => p.in === 'path').map((p) => [p.name, 'x']),
        );
        const body = (op.requestBody as { content?: Record<string, { schema: Json }> } | undefined)
          ?.content?.['application/json']?.schema;
        const parts = [
          ...(Object.keys(params).length > 0 ? [`params: ${JSON.stringify(params)}`] : []),
          ...(body ? [`body: ${JSON.stringify(sample(body, schemas))}`] : []),
        ];
        const init = `{ ${parts.join(', ')} }`;
        lines.push(`void call(${JSON.stringify(path)}, ${JSON.stringify(method)}, ${init});`);
        calls++;
      }
    // The documented render request, as in the README, and a typo that a typed client must catch.
    lines.push(
      'void call("/video/render", "post", { body: { profile: "draft_360p", output: "out.mp4", timeline: { tracks: [{ id: "v", kind: "video", clips: [{ id: "a", asset_id: "ast_1", start_ms: 0, out_ms: 2000 }] }] } } });',
      '// @ts-expect-error `trakcs` is not a key of a timeline',
      'void call("/video/timeline/validate", "post", { body: { trakcs: [] } });',
    );
    writeFileSync(join(dir, 'calls.ts'), lines.join('\n') + '\n');
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          strict: true,
          noEmit: true,
          module: 'nodenext',
          moduleResolution: 'nodenext',
          target: 'es2022',
          skipLibCheck: true,
        },
        files: ['api.ts', 'calls.ts'],
      }),
    );
    assert.ok(calls >= 40, `only ${calls} routes`);
    const tsc = spawnSync(
      process.execPath,
      [join(process.cwd(), 'node_modules/typescript/bin/tsc'), '-p', dir],
      {
        encoding: 'utf8',
      },
    );
    assert.equal(tsc.status, 0, tsc.stdout.slice(0, 3000));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
