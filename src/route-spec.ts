/**
 * The shape every HTTP route is declared in. It lives at the root (not in src/http) so each engine can declare
 * its own routes.ts without importing the HTTP layer, which sits above the engines.
 * A route is data first (method, url, zod schemas, documented
 * responses and error codes) and a handler second, so the same declaration drives request validation and
 * /openapi.json: a schema cannot be documented one way and enforced another.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import type { RequestContext } from './context.js';
import type { ErrorCode, Warning } from './errors.js';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface ResponseSpec {
  description: string;
  /** JSON body schema; omit for bodies that are not JSON (streams) or empty (204). */
  schema?: z.ZodType;
  /** Content type when not application/json, e.g. application/octet-stream. */
  contentType?: string;
}

export interface RouteInput<P, Q, B> {
  params: P;
  query: Q;
  body: B;
  /** Present on every route with `auth` (the default); routes with `auth: false` get null. */
  ctx: RequestContext;
  request: FastifyRequest;
  reply: FastifyReply;
  /** DEPRECATED_FIELD warnings from parsing the request (renamed keys that were accepted). */
  warnings?: Warning[];
}

export interface RouteSpec<P = unknown, Q = unknown, B = unknown> {
  method: HttpMethod;
  /** Fastify syntax, `/media-v2/assets/:id`; OpenAPI gets `{id}`. */
  url: string;
  operationId: string;
  summary: string;
  tags?: string[];
  /** Default true: the route needs `Authorization: Bearer <key>` and runs with a RequestContext. */
  auth?: boolean;
  params?: z.ZodType<P>;
  query?: z.ZodType<Q>;
  body?: z.ZodType<B>;
  /**
   * Picks the schema that validates a given raw body when `body` is a union whose branch is known from the
   * input's shape (the validate route takes a timeline or a render request `{"timeline": …}`), so issues are
   * reported against the branch the client meant. `body` still documents the route.
   */
  bodyFor?: (raw: unknown) => z.ZodType<B>;
  /**
   * The body is handled by the handler itself (multipart upload); `body` then documents only the JSON
   * alternative and `multipartFields` documents the form.
   */
  multipart?: { fileField: string; description: string };
  responses: Record<number, ResponseSpec>;
  /** Error codes this route may answer with (besides the ones every authenticated route has). */
  errors?: ErrorCode[];
  /**
   * Returns the JSON body (the status is 200 unless the handler set another with reply.code) or the reply
   * itself after sending a stream.
   */
  handler(input: RouteInput<P, Q, B>): Promise<unknown>;
}

/** Any route spec, for registries. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyRouteSpec = RouteSpec<any, any, any>;

export interface HttpConfig {
  /** Largest accepted upload in bytes; enforced while streaming. */
  maxUploadBytes: number;
  /** Absolute directories from which `POST /media-v2/assets {path}` may register files; empty = none. */
  importRoots: string[];
  /** Largest JSON body in bytes (timelines with many clips are big). */
  bodyLimitBytes: number;
}

/**
 * What a route module receives. `route(spec)` mounts the route on the app with auth, validation and the error
 * envelope, and records it for /openapi.json.
 */
export interface RouteDeps<S = unknown> {
  services: S;
  config: HttpConfig;
  route<P, Q, B>(spec: RouteSpec<P, Q, B>): void;
}

/** A plug-in set of routes (an engine's routes.ts): `(app, deps) => { deps.route({...}) }`. */
export type RouteModule<S = unknown> = (app: FastifyInstance, deps: RouteDeps<S>) => void;
