import { CutroomError, cutroomError, isCutroomError, type ErrorCode } from '../errors.js';

/** Exit 2 for a wrong command line or an invalid document, 1 for everything else. */
const USAGE_CODES = new Set<ErrorCode>(['CLI_USAGE', 'VALIDATION_FAILED', 'TIMELINE_INVALID']);

export function exitCodeFor(err: CutroomError): number {
  return USAGE_CODES.has(err.code) ? 2 : 1;
}

/** `cutroom: CODE: message` on one line (newlines in messages folded so scripts can rely on one line). */
export function errorLine(err: CutroomError): string {
  return `cutroom: ${err.code}: ${err.message.replace(/\s*\n\s*/g, ' ')}`;
}

/** Any thrown value → a CutroomError (unexpected ones become INTERNAL with their message: this is a local tool). */
export function asCutroomError(value: unknown): CutroomError {
  if (isCutroomError(value)) return value;
  const message = value instanceof Error ? value.message : String(value);
  return cutroomError('INTERNAL', message, {}, { cause: value });
}
