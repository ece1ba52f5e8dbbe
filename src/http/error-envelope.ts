/**
 * Every error leaves the server as `{error: {code, message, details}}` with a code from src/errors.ts. Fastify's
 * own errors (body parser, multipart limits) are translated here, so a client never has to know fastify's
 * FST_* codes; anything unexpected becomes INTERNAL with the request id and no stack trace.
 */
import { z } from 'zod';
import { ERRORS, isCutroomError, type ErrorCode, type ErrorDetails } from '../errors.js';

export interface ErrorEnvelope {
  error: { code: ErrorCode; message: string; details: ErrorDetails };
}

export const ErrorEnvelopeSchema = z
  .object({
    error: z.object({
      code: z.enum(Object.keys(ERRORS) as [ErrorCode, ...ErrorCode[]]),
      message: z.string(),
      details: z.record(z.string(), z.unknown()),
    }),
  })
  .meta({ id: 'ErrorEnvelope', description: 'Every error response; see docs/ERRORS.md for the codes.' });

export interface EnvelopeResult {
  status: number;
  body: ErrorEnvelope;
  /** True when the error was not expected (log it with its stack). */
  unexpected: boolean;
}

interface FastifyLikeError {
  code?: unknown;
  statusCode?: unknown;
  message?: unknown;
}

const TOO_LARGE = new Set([
  'FST_ERR_CTP_BODY_TOO_LARGE',
  'FST_REQ_FILE_TOO_LARGE',
  'FST_FILES_LIMIT',
  'FST_PARTS_LIMIT',
  'FST_FIELDS_LIMIT',
]);
const BAD_CONTENT_TYPE = new Set(['FST_ERR_CTP_INVALID_MEDIA_TYPE', 'FST_INVALID_MULTIPART_CONTENT_TYPE']);

function envelope(
  status: number,
  code: ErrorCode,
  message: string,
  details: ErrorDetails = {},
): EnvelopeResult {
  return { status, body: { error: { code, message, details } }, unexpected: false };
}

/** Maps any thrown value to the status and envelope to send. */
export function toErrorEnvelope({ error, requestId }: { error: unknown; requestId: string }): EnvelopeResult {
  if (isCutroomError(error)) return envelope(error.status, error.code, error.message, error.details);
  const e = (typeof error === 'object' && error !== null ? error : {}) as FastifyLikeError;
  const code = typeof e.code === 'string' ? e.code : '';
  const status = typeof e.statusCode === 'number' ? e.statusCode : 0;
  const message = typeof e.message === 'string' ? e.message : '';
  if (TOO_LARGE.has(code) || status === 413)
    return envelope(413, 'PAYLOAD_TOO_LARGE', 'the request body is larger than the configured limit', {});
  if (BAD_CONTENT_TYPE.has(code) || status === 415)
    return envelope(415, 'UNSUPPORTED_CONTENT_TYPE', message || ERRORS.UNSUPPORTED_CONTENT_TYPE.description);
  // Body parser errors (malformed JSON, empty JSON body, bad Content-Length) and other fastify 400s.
  if (status === 400 || (error instanceof SyntaxError && code === ''))
    return envelope(400, 'VALIDATION_FAILED', `request is invalid: ${message}`, {
      issues: [{ part: 'body', path: '', message }],
    });
  if (status === 404 && code.startsWith('FST_'))
    return envelope(404, 'ROUTE_NOT_FOUND', message || ERRORS.ROUTE_NOT_FOUND.description);
  return {
    status: 500,
    body: {
      error: {
        code: 'INTERNAL',
        message: 'an unexpected error happened; the request id helps find it in the server log',
        details: { request_id: requestId },
      },
    },
    unexpected: true,
  };
}
