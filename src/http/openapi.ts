/**
 * /openapi.json built from the route registry: the same zod schemas that validate requests are converted with
 * z.toJSONSchema, so the document cannot drift from what the server enforces. Schemas carrying `.meta({id})`
 * become shared components (zod emits them as `$defs`, which are hoisted here).
 */
import { z } from 'zod';
import { ERRORS, type ErrorCode } from '../errors.js';
import { ErrorEnvelopeSchema } from './error-envelope.js';
import type { AnyRouteSpec } from './types.js';

type Json = Record<string, unknown>;

export interface BuildOpenApiInput {
  routes: AnyRouteSpec[];
  version: string;
}

/** Codes every authenticated route may answer with. */
const AUTH_ERRORS: ErrorCode[] = ['UNAUTHENTICATED', 'UNKNOWN_TENANT', 'ENV_NOT_ALLOWED', 'TENANT_MISMATCH'];
const COMMON_ERRORS: ErrorCode[] = ['VALIDATION_FAILED', 'INTERNAL'];

export function buildOpenApi({ routes, version }: BuildOpenApiInput): Json {
  // Components are collected per direction: a request schema (defaults optional, no unknown keys) and the same
  // schema as a response (defaults always present) differ, so when they do the response one is `{id}Output`.
  const components: Record<'input' | 'output', Record<string, Json>> = { input: {}, output: {} };
  const convert = (schema: z.ZodType, io: 'input' | 'output'): Json => {
    const js = z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' }) as Json;
    const defs = (js.$defs ?? {}) as Record<string, Json>;
    delete js.$defs;
    delete js.$schema;
    for (const [id, def] of Object.entries(defs))
      components[io][id] = refsFor(io, def, io === 'input') as Json;
    // A schema with its own id comes back as `{$ref: '#/$defs/{id}'}` plus the definition in $defs (stored
    // above); storing the $ref itself as the component made it a reference to itself.
    return refsFor(io, js, io === 'input') as Json;
  };
  const paths: Record<string, Record<string, unknown>> = {};
  for (const spec of routes) {
    const path = spec.url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
    const op: Json = {
      operationId: spec.operationId,
      summary: spec.summary,
      tags: spec.tags ?? [],
    };
    const parameters: Json[] = [];
    if (spec.params) parameters.push(...objectParameters(convert(spec.params, 'input'), 'path', components));
    if (spec.query) parameters.push(...objectParameters(convert(spec.query, 'input'), 'query', components));
    if (spec.auth !== false) {
      parameters.push({ $ref: '#/components/parameters/XEnv' });
      op.security = [{ bearer: [] }];
    } else op.security = [];
    parameters.push({ $ref: '#/components/parameters/XRequestId' });
    op.parameters = parameters;

    const content: Json = {};
    if (spec.body) content['application/json'] = { schema: convert(spec.body, 'input') };
    if (spec.multipart)
      content['multipart/form-data'] = {
        schema: {
          type: 'object',
          properties: {
            [spec.multipart.fileField]: {
              type: 'string',
              format: 'binary',
              description: spec.multipart.description,
            },
          },
          required: [spec.multipart.fileField],
        },
      };
    if (Object.keys(content).length > 0) op.requestBody = { required: true, content };

    const responses: Json = {};
    for (const [status, res] of Object.entries(spec.responses)) {
      const r: Json = { description: res.description };
      if (res.schema)
        r.content = { [res.contentType ?? 'application/json']: { schema: convert(res.schema, 'output') } };
      else if (res.contentType)
        r.content = { [res.contentType]: { schema: { type: 'string', format: 'binary' } } };
      responses[status] = r;
    }
    const codes = [
      ...new Set([
        ...(spec.auth !== false ? AUTH_ERRORS : []),
        ...COMMON_ERRORS,
        // Every route with a body refuses other content types before its handler runs (content-type.ts).
        ...(spec.body || spec.multipart ? (['UNSUPPORTED_CONTENT_TYPE'] as ErrorCode[]) : []),
        ...(spec.errors ?? []),
      ]),
    ];
    const byStatus = new Map<number, ErrorCode[]>();
    for (const code of codes) {
      const status = ERRORS[code].status;
      byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
    }
    for (const [status, list] of [...byStatus.entries()].sort((a, b) => a[0] - b[0])) {
      if (responses[String(status)]) continue;
      responses[String(status)] = {
        description: `Error: ${list.map((c) => `\`${c}\``).join(', ')}`,
        content: { 'application/json': { schema: { $ref: '#/components/schemas/ErrorEnvelope' } } },
        'x-error-codes': list,
      };
    }
    op.responses = responses;
    op['x-error-codes'] = codes;
    (paths[path] ??= {})[spec.method.toLowerCase()] = op;
  }

  convert(ErrorEnvelopeSchema, 'output');
  const schemas = mergeComponents(components);
  const document = {
    openapi: '3.1.0',
    info: {
      title: 'cutroom',
      version,
      description:
        'Self-hostable video editing engine. Every error is {error: {code, message, details}}; codes are listed in docs/ERRORS.md.',
    },
    paths,
    components: {
      schemas,
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'An API key: Authorization: Bearer cr_…' },
      },
      parameters: {
        XEnv: {
          name: 'X-Env',
          in: 'header',
          required: false,
          description: "The env to act in (default: the API key's first env).",
          schema: { type: 'string', pattern: '^[a-z0-9][a-z0-9_-]{0,62}$' },
        },
        XRequestId: {
          name: 'X-Request-Id',
          in: 'header',
          required: false,
          description: 'Echoed in the response; generated when missing or unsafe.',
          schema: { type: 'string', pattern: '^[A-Za-z0-9._:-]{1,128}$' },
        },
      },
    },
  };
  return resolveOutputRefs(document, components) as Json;
}

const OUTPUT_REF = '#/components/schemas/__output__/';

/**
 * $defs refs become component refs; a response-side ref gets a placeholder resolved once every schema is known.
 * Request objects get `additionalProperties: false`: the server refuses unknown keys (strict-keys.ts), and the
 * document says so. Records (`additionalProperties: {…}`) and open objects keep what zod emitted.
 */
function refsFor(io: 'input' | 'output', value: unknown, closeObjects: boolean): unknown {
  if (Array.isArray(value)) return value.map((v) => refsFor(io, v, closeObjects));
  if (typeof value !== 'object' || value === null) return value;
  const out: Json = {};
  for (const [k, v] of Object.entries(value as Json)) {
    if (k === '$ref' && typeof v === 'string')
      out[k] = v.replace(/^#\/\$defs\//, io === 'input' ? '#/components/schemas/' : OUTPUT_REF);
    else if (k === 'properties' && typeof v === 'object' && v !== null && !Array.isArray(v))
      out[k] = Object.fromEntries(
        Object.entries(v as Json).map(([name, p]) => [name, refsFor(io, p, closeObjects)]),
      );
    else out[k] = refsFor(io, v, closeObjects);
  }
  if (
    closeObjects &&
    out.type === 'object' &&
    out.properties !== undefined &&
    !('additionalProperties' in out)
  )
    out.additionalProperties = false;
  return out;
}

function mergeComponents(components: Record<'input' | 'output', Record<string, Json>>): Record<string, Json> {
  const merged: Record<string, Json> = { ...components.input };
  for (const [id, def] of Object.entries(components.output)) {
    const name = outputNameGuarded(id, components, new Set());
    merged[name] = resolveOutputRefs(def, components) as Json;
  }
  return Object.fromEntries(Object.entries(merged).sort(([a], [b]) => a.localeCompare(b)));
}

function resolveOutputRefs(
  value: unknown,
  components: Record<'input' | 'output', Record<string, Json>>,
  seen: Set<string> = new Set(),
): unknown {
  if (Array.isArray(value)) return value.map((v) => resolveOutputRefs(v, components, seen));
  if (typeof value !== 'object' || value === null) return value;
  const out: Json = {};
  for (const [k, v] of Object.entries(value as Json)) {
    if (k === '$ref' && typeof v === 'string' && v.startsWith(OUTPUT_REF)) {
      const id = v.slice(OUTPUT_REF.length);
      // Recursive schemas: a cycle keeps the plain name (both directions then share it).
      out[k] = `#/components/schemas/${seen.has(id) ? id : outputNameGuarded(id, components, seen)}`;
    } else out[k] = resolveOutputRefs(v, components, seen);
  }
  return out;
}

function outputNameGuarded(
  id: string,
  components: Record<'input' | 'output', Record<string, Json>>,
  seen: Set<string>,
): string {
  const input = components.input[id];
  const output = components.output[id];
  if (input === undefined || output === undefined) return id;
  const next = new Set(seen).add(id);
  return JSON.stringify(input) === JSON.stringify(resolveOutputRefs(output, components, next))
    ? id
    : `${id}Output`;
}

/** An object schema for params/query → one OpenAPI parameter per property. */
function objectParameters(
  schema: Json,
  where: 'path' | 'query',
  components: Record<'input' | 'output', Record<string, Json>>,
): Json[] {
  let resolved = schema;
  const ref = schema.$ref;
  if (typeof ref === 'string') resolved = (components.input[ref.split('/').pop()!] ?? {}) as Json;
  const props = (resolved.properties ?? {}) as Record<string, Json>;
  const required = new Set((resolved.required ?? []) as string[]);
  return Object.entries(props).map(([name, s]) => ({
    name,
    in: where,
    required: where === 'path' || required.has(name),
    ...(typeof s.description === 'string' ? { description: s.description } : {}),
    schema: s,
  }));
}
