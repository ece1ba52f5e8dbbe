import { cutroomError } from '../errors.js';

export interface PageInput {
  /** 1..200, default 50. */
  limit?: number;
  /** Opaque cursor from a previous page's next_cursor. */
  cursor?: string | null;
}

export interface Page<T> {
  items: T[];
  /** Pass as `cursor` to get the next page; null on the last page. */
  next_cursor: string | null;
}

export interface CursorPosition {
  created_at: string;
  id: string;
}

export function pageLimit(limit: number | undefined): number {
  if (limit === undefined) return 50;
  if (!Number.isInteger(limit) || limit < 1 || limit > 200)
    throw cutroomError('VALIDATION_FAILED', 'limit must be an integer in 1..200', {
      issues: [{ path: 'limit', message: 'must be an integer in 1..200' }],
    });
  return limit;
}

export function encodeCursor(pos: CursorPosition): string {
  return Buffer.from(JSON.stringify([pos.created_at, pos.id]), 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string | null | undefined): CursorPosition | null {
  if (cursor === undefined || cursor === null || cursor === '') return null;
  try {
    const v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(v) && v.length === 2 && typeof v[0] === 'string' && typeof v[1] === 'string')
      return { created_at: v[0], id: v[1] };
  } catch {
    // fall through to the coded error
  }
  throw cutroomError('VALIDATION_FAILED', 'cursor is not valid', {
    issues: [{ path: 'cursor', message: 'invalid' }],
  });
}
