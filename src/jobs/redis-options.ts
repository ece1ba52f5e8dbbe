import type { RedisOptions } from 'ioredis';
import { cutroomError } from '../errors.js';

/**
 * ioredis options from a `redis://[user:pass@]host[:port][/db]` (or `rediss://` for TLS) URL. BullMQ workers
 * need `maxRetriesPerRequest: null`: their blocking commands must wait through a reconnect instead of failing.
 */
export function redisOptionsFromUrl(url: string): RedisOptions {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw cutroomError('VALIDATION_FAILED', 'the Redis URL is not a URL', {
      issues: [{ path: 'CUTROOM_REDIS_URL', message: 'must look like redis://host:6379/0' }],
    });
  }
  if (u.protocol !== 'redis:' && u.protocol !== 'rediss:')
    throw cutroomError('VALIDATION_FAILED', 'the Redis URL must start with redis:// or rediss://', {
      issues: [{ path: 'CUTROOM_REDIS_URL', message: 'must look like redis://host:6379/0' }],
    });
  const db = u.pathname.length > 1 ? Number(u.pathname.slice(1)) : 0;
  if (!Number.isSafeInteger(db) || db < 0)
    throw cutroomError('VALIDATION_FAILED', 'the Redis database number must be a non-negative integer', {
      issues: [{ path: 'CUTROOM_REDIS_URL', message: 'the path must be a database number, e.g. /0' }],
    });
  return {
    host: u.hostname.replace(/^\[|\]$/g, '') || '127.0.0.1',
    port: u.port ? Number(u.port) : 6379,
    db,
    ...(u.username ? { username: decodeURIComponent(u.username) } : {}),
    ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
    ...(u.protocol === 'rediss:' ? { tls: {} } : {}),
    maxRetriesPerRequest: null,
  };
}
