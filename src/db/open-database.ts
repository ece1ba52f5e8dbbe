import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, SqliteDialect, sql } from 'kysely';
import { cutroomError } from '../errors.js';
import { migrationProvider } from './migrations.js';
import type { Database } from './schema.js';

export type DialectName = 'sqlite' | 'postgres';

export interface OpenDatabaseOptions {
  /**
   * Where metadata lives. Unset → SQLite file `{dataDir}/cutroom.sqlite`; `:memory:` or `sqlite::memory:` → an
   * in-memory SQLite (tests); `sqlite:/abs/path.sqlite` or `file:/abs/path.sqlite` → that file;
   * `postgres://…` / `postgresql://…` → PostgreSQL.
   */
  url?: string;
  dataDir: string;
  /** Run migrations on open (default true). */
  migrate?: boolean;
}

export interface OpenedDatabase {
  db: Kysely<Database>;
  dialect: DialectName;
  close(): Promise<void>;
}

/** Opens (and by default migrates) the metadata database. Migrating an up-to-date database is a no-op. */
export async function openDatabase({
  url,
  dataDir,
  migrate = true,
}: OpenDatabaseOptions): Promise<OpenedDatabase> {
  const { db, dialect } = await connect({ url, dataDir });
  if (migrate) {
    try {
      await migrateToLatest(db, dialect);
    } catch (err) {
      await db.destroy();
      throw err;
    }
  }
  return { db, dialect, close: () => db.destroy() };
}

async function connect({ url, dataDir }: { url?: string; dataDir: string }): Promise<{
  db: Kysely<Database>;
  dialect: DialectName;
}> {
  if (url && /^postgres(ql)?:\/\//.test(url)) {
    // Loaded only for PostgreSQL: the embedded default (SQLite) should not pay for the driver on every start.
    const { default: pg } = await import('pg');
    const pool = new pg.Pool({
      connectionString: url,
      max: 10,
      // bigint (int8) columns hold file sizes; they fit a JS number (< 2^53), so read them as numbers.
      types: {
        getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
          oid === 20
            ? (v: string) => Number(v)
            : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
      },
    });
    return { db: new Kysely<Database>({ dialect: new PostgresDialect({ pool }) }), dialect: 'postgres' };
  }
  let file: string;
  if (!url) {
    mkdirSync(dataDir, { recursive: true });
    file = join(dataDir, 'cutroom.sqlite');
  } else if (url === ':memory:' || url === 'sqlite::memory:') file = ':memory:';
  else if (url.startsWith('sqlite:')) file = url.slice('sqlite:'.length);
  else if (url.startsWith('file:')) file = url.slice('file:'.length);
  else
    throw cutroomError(
      'DEPENDENCY_MISSING',
      'unsupported database url: use postgres://…, sqlite:/path or :memory:',
      {
        url: redact(url),
      },
    );
  const database = new SQLite(file);
  // WAL lets the HTTP server read while a worker writes; busy_timeout waits instead of failing on a lock.
  if (file !== ':memory:') database.pragma('journal_mode = WAL');
  database.pragma('busy_timeout = 5000');
  database.pragma('foreign_keys = ON');
  return { db: new Kysely<Database>({ dialect: new SqliteDialect({ database }) }), dialect: 'sqlite' };
}

async function migrateToLatest(db: Kysely<Database>, dialect: DialectName): Promise<void> {
  // Kysely looks for its migration table by name in every schema; with a search_path other than public (one
  // schema per deployment or per test run) it would find another schema's table. Pin it to the current one.
  const migrationTableSchema =
    dialect === 'postgres'
      ? (await sql<{ schema: string }>`select current_schema() as schema`.execute(db)).rows[0]?.schema
      : undefined;
  const migrator = new Migrator({ db, provider: migrationProvider, migrationTableSchema });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName;
    throw cutroomError(
      'INTERNAL',
      `database migration failed${failed ? ` at ${failed}` : ''}`,
      { migration: failed },
      {
        cause: error,
      },
    );
  }
}

function redact(url: string): string {
  return url.replace(/\/\/[^@/]*@/, '//***@');
}
