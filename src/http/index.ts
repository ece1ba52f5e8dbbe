export { buildApp, HTTP_VERSION, type BuildAppOptions } from './app.js';
export { parseRequest, validationFailed, type RequestIssue, type RequestPart } from './parse-request.js';
export { ErrorEnvelopeSchema, toErrorEnvelope, type ErrorEnvelope } from './error-envelope.js';
export { buildOpenApi } from './openapi.js';
export type { HttpServices } from './services.js';
export type {
  AnyRouteSpec,
  HttpConfig,
  HttpMethod,
  ResponseSpec,
  RouteDeps,
  RouteInput,
  RouteModule,
  RouteSpec,
} from './types.js';
