/**
 * Sends a stored file with HTTP Range support (one range; 206 with Content-Range, or the whole file), the one
 * way every file-serving route answers, so `accept-ranges`, unsatisfiable ranges and lengths agree everywhere.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { cutroomError } from '../errors.js';
import { parseRange } from './parse-range.js';

export async function sendFileWithRange({
  request,
  reply,
  path,
  contentType,
  what,
  slice,
}: {
  request: FastifyRequest;
  reply: FastifyReply;
  path: string;
  contentType: string;
  /** Named in the unsatisfiable-range message ("the sprite", "the content"). */
  what: string;
  /** Serve only these bytes of the file (one entry of a stored zip) as if they were the whole file. */
  slice?: { start: number; length: number };
}): Promise<FastifyReply> {
  const size = slice ? slice.length : (await stat(path)).size;
  const base = slice ? slice.start : 0;
  reply.header('accept-ranges', 'bytes');
  reply.header('content-type', contentType);
  const range = parseRange({ header: request.headers.range, size });
  if (range === 'unsatisfiable') {
    reply.header('content-range', `bytes */${size}`);
    throw cutroomError('RANGE_NOT_SATISFIABLE', `${what} has ${size} bytes`, { size });
  }
  if (range === null) {
    reply.header('content-length', size);
    return reply.send(
      slice ? createReadStream(path, { start: base, end: base + size - 1 }) : createReadStream(path),
    );
  }
  reply.code(206);
  reply.header('content-range', `bytes ${range.start}-${range.end}/${size}`);
  reply.header('content-length', range.end - range.start + 1);
  return reply.send(createReadStream(path, { start: base + range.start, end: base + range.end }));
}
