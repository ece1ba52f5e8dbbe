/**
 * Validates every part of a request at once, so a client sees all problems in one answer (fastify stops at the
 * first failing part). Issues carry the part and the full path inside it, e.g.
 * `{part: 'body', path: 'tracks[1].clips[3].speed', message: 'Too big: expected number to be <=4'}`.
 */
import type { z } from 'zod';
import { cutroomError } from '../errors.js';
import type { Warning } from '../errors.js';
import { safeParseStrict, summarise, type ValidationIssue } from '../timeline/validate.js';

export type RequestPart = 'body' | 'params' | 'querystring' | 'headers';

export interface RequestIssue extends ValidationIssue {
  part: RequestPart;
}

export interface ParseRequestInput {
  schemas: { body?: z.ZodType; params?: z.ZodType; query?: z.ZodType; headers?: z.ZodType };
  values: { body?: unknown; params?: unknown; query?: unknown; headers?: unknown };
}

export interface ParsedRequest {
  body: unknown;
  params: unknown;
  query: unknown;
  headers: unknown;
  /** DEPRECATED_FIELD warnings for renamed keys that were accepted (path inside the part, e.g. `body.x`). */
  warnings: Warning[];
}

const PARTS: Array<{ key: 'body' | 'params' | 'query' | 'headers'; part: RequestPart }> = [
  { key: 'params', part: 'params' },
  { key: 'query', part: 'querystring' },
  { key: 'headers', part: 'headers' },
  { key: 'body', part: 'body' },
];

/** Throws VALIDATION_FAILED with `details.issues` from every part; returns the parsed values otherwise. */
export function parseRequest({ schemas, values }: ParseRequestInput): ParsedRequest {
  const out: ParsedRequest = {
    body: values.body,
    params: values.params,
    query: values.query,
    headers: values.headers,
    warnings: [],
  };
  const issues: RequestIssue[] = [];
  for (const { key, part } of PARTS) {
    const schema = schemas[key];
    if (!schema) continue;
    // Headers carry whatever proxies and browsers add, so only they may hold keys the schema does not name.
    const result =
      part === 'headers'
        ? toStrictShape(schema.safeParse(values[key]))
        : safeParseStrict(schema, values[key]);
    out.warnings.push(...result.warnings.map((w) => ({ ...w, path: w.path ? `${part}.${w.path}` : part })));
    if (result.success) out[key] = result.data;
    else issues.push(...result.issues.map((i) => ({ ...i, part })));
  }
  if (issues.length > 0) throw validationFailed(issues);
  return out;
}

function toStrictShape(result: ReturnType<z.ZodType['safeParse']>): ReturnType<typeof safeParseStrict> {
  return result.success
    ? { success: true, data: result.data, warnings: [] }
    : {
        success: false,
        issues: result.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
        warnings: [],
      };
}

export function validationFailed(issues: RequestIssue[]): Error {
  const text = summarise(issues.map((i) => ({ ...i, path: i.path ? `${i.part}.${i.path}` : i.part })));
  return cutroomError('VALIDATION_FAILED', `request is invalid: ${text}`, { issues });
}
