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
  const components: Record<string, unknown> = {};
  const convert = (schema: z.ZodType, io: 'input' | 'output'): Json => {
    const js = z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' }) as Json;
    const defs = (js.$defs ?? {}) as Record<string, unknown>;
    delete js.$defs;
    delete js.$schema;
    for (const [id, def] of Object.entries(defs)) components[id] = rewriteRefs(def);
    // A schema with its own id comes back as the definition itself: keep it shared too.
    const id = z.globalRegistry.get(schema)?.id;
    if (typeof id === 'string') {
      components[id] = rewriteRefs(js);
      return { $ref: `#/components/schemas/${id}` };
    }
    return rewriteRefs(js) as Json;
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
      ...new Set([...(spec.auth !== false ? AUTH_ERRORS : []), ...COMMON_ERRORS, ...(spec.errors ?? [])]),
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
  return {
    openapi: '3.1.0',
    info: {
      title: 'cutroom',
      version,
      description:
        'Self-hostable video editing engine. Every error is {error: {code, message, details}}; codes are listed in docs/ERRORS.md.',
    },
    paths,
    components: {
      schemas: Object.fromEntries(Object.entries(components).sort(([a], [b]) => a.localeCompare(b))),
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
}

function rewriteRefs(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(rewriteRefs);
  if (typeof value !== 'object' || value === null) return value;
  const out: Json = {};
  for (const [k, v] of Object.entries(value as Json)) {
    if (k === '$ref' && typeof v === 'string') out[k] = v.replace(/^#\/\$defs\//, '#/components/schemas/');
    else out[k] = rewriteRefs(v);
  }
  return out;
}

/** An object schema for params/query → one OpenAPI parameter per property. */
function objectParameters(
  schema: Json,
  where: 'path' | 'query',
  components: Record<string, unknown>,
): Json[] {
  let resolved = schema;
  const ref = schema.$ref;
  if (typeof ref === 'string') resolved = (components[ref.split('/').pop()!] ?? {}) as Json;
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
