/**
 * PostgreSQL runs of the DB-backed tests. Each run gets its own schema (search_path) in the shared `test`
 * database, so parallel test files and other helpers never see each other's tables; dropped afterwards.
 * Set CUTROOM_TEST_PG_URL to point elsewhere, or CUTROOM_TEST_PG=0 to skip.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export const PG_BASE_URL = process.env.CUTROOM_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

let available: Promise<boolean> | null = null;

/** True when PostgreSQL answers within 2 s (the suite skips PostgreSQL variants otherwise, saying so). */
export function postgresAvailable(): Promise<boolean> {
  if (process.env.CUTROOM_TEST_PG === '0') return Promise.resolve(false);
  available ??= (async () => {
    const client = new pg.Client({ connectionString: PG_BASE_URL, connectionTimeoutMillis: 2000 });
    try {
      await client.connect();
      await client.query('select 1');
      return true;
    } catch {
      return false;
    } finally {
      await client.end().catch(() => undefined);
    }
  })();
  return available;
}

export interface PgSchema {
  name: string;
  url: string;
  drop(): Promise<void>;
}

export async function createPgSchema(): Promise<PgSchema> {
  const schema = `cr_test_${randomBytes(6).toString('hex')}`;
  const client = new pg.Client({ connectionString: PG_BASE_URL });
  await client.connect();
  try {
    await client.query(`create schema ${schema}`);
  } finally {
    await client.end();
  }
  const sep = PG_BASE_URL.includes('?') ? '&' : '?';
  return {
    name: schema,
    url: `${PG_BASE_URL}${sep}options=${encodeURIComponent(`-c search_path=${schema}`)}`,
    drop: async () => {
      const c = new pg.Client({ connectionString: PG_BASE_URL });
      await c.connect();
      try {
        await c.query(`drop schema if exists ${schema} cascade`);
      } finally {
        await c.end();
      }
    },
  };
}
