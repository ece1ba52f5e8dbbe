/** Test wiring for Redis: the URL (CUTROOM_TEST_REDIS_URL or loopback) and whether it answers. */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';

export const REDIS_URL = process.env.CUTROOM_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379/0';

let available: Promise<boolean> | null = null;

export function redisAvailable(): Promise<boolean> {
  if (process.env.CUTROOM_TEST_REDIS === '0') return Promise.resolve(false);
  available ??= (async () => {
    const r = new Redis(REDIS_URL, { lazyConnect: true, connectTimeout: 2000, maxRetriesPerRequest: 0 });
    try {
      await r.connect();
      return (await r.ping()) === 'PONG';
    } catch {
      return false;
    } finally {
      r.disconnect();
    }
  })();
  return available;
}

/** A BullMQ key prefix nobody else uses (one per test; obliterated afterwards). */
export function uniquePrefix(): string {
  return `crt-${randomBytes(6).toString('hex')}`;
}
