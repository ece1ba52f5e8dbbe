import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { isCutroomError } from '../../src/errors.js';
import { MIGRATIONS } from '../../src/db/migrations.js';
import { openDatabase } from '../../src/db/open-database.js';
import { createPgSchema, postgresAvailable } from './pg-schema.js';

const TABLES = [
  ...['api_keys', 'artifacts', 'assets', 'jobs', 'projects', 'tenants'],
  // 0002_templates
  'templates',
  // 0003_webhooks
  ...['webhook_deliveries', 'webhook_secrets', 'webhook_subscriptions'],
].sort();

test('sqlite: default file under dataDir; migrations are idempotent across reopen and keep data', async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'cutroom-db-'));
  try {
    const first = await openDatabase({ dataDir });
    assert.equal(first.dialect, 'sqlite');
    assert.ok((await stat(join(dataDir, 'cutroom.sqlite'))).size > 0);
    await first.db
      .insertInto('tenants')
      .values({ id: 't1', name: 'T', envs: '["dev"]', created_at: new Date(0).toISOString() })
      .execute();
    await first.close();

    const second = await openDatabase({ dataDir });
    const names = (await second.db.introspection.getTables()).map((t) => t.name).sort();
    assert.deepEqual(names, TABLES);
    const applied = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(
      second.db,
    );
    assert.deepEqual(
      applied.rows.map((r) => r.name),
      Object.keys(MIGRATIONS),
    );
    assert.equal((await second.db.selectFrom('tenants').selectAll().execute()).length, 1);
    await second.close();
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
});

test('sqlite: :memory: works and creates no file', async () => {
  const dataDir = join(tmpdir(), `cutroom-db-none-${process.pid}-${Date.now()}`);
  const d = await openDatabase({ url: ':memory:', dataDir });
  assert.deepEqual((await d.db.introspection.getTables()).map((t) => t.name).sort(), TABLES);
  await d.close();
  await assert.rejects(stat(dataDir));
});

test('an unsupported database URL is a coded error that does not echo the password', async () => {
  await assert.rejects(openDatabase({ url: 'mysql://user:secret@host/db', dataDir: tmpdir() }), (e) => {
    assert.ok(isCutroomError(e, 'DEPENDENCY_MISSING'));
    assert.ok(!JSON.stringify(e.toJSON()).includes('secret'));
    return true;
  });
});

test('postgres: same migrations apply, twice, in a private schema', async (t) => {
  if (!(await postgresAvailable())) return t.skip('PostgreSQL not reachable');
  const schema = await createPgSchema();
  try {
    const a = await openDatabase({ url: schema.url, dataDir: tmpdir() });
    assert.equal(a.dialect, 'postgres');
    await a.db
      .insertInto('assets')
      .values({
        id: 'ast_x',
        tenant_id: 't',
        env: 'dev',
        kind: 'video',
        content_hash: 'h',
        size_bytes: 3 * 1024 ** 3,
        original_filename: 'f.mp4',
        ext: 'mp4',
        storage_key: 'k',
        media_info: '{}',
        created_at: new Date(0).toISOString(),
      })
      .execute();
    await a.close();
    const b = await openDatabase({ url: schema.url, dataDir: tmpdir() });
    const names = (await b.db.introspection.getTables())
      .filter((x) => x.schema === schema.name)
      .map((x) => x.name)
      .sort();
    assert.deepEqual(names, TABLES);
    // bigint sizes over 2 GiB come back as exact numbers, not strings.
    const row = await b.db.selectFrom('assets').select('size_bytes').executeTakeFirstOrThrow();
    assert.equal(row.size_bytes, 3 * 1024 ** 3);
    await b.close();
  } finally {
    await schema.drop();
  }
});

test('postgres: a migration table in another schema does not confuse the migrator', async (t) => {
  if (!(await postgresAvailable())) return t.skip('PostgreSQL not reachable');
  const other = await createPgSchema();
  const mine = await createPgSchema();
  try {
    await (await openDatabase({ url: other.url, dataDir: tmpdir() })).close();
    const d = await openDatabase({ url: mine.url, dataDir: tmpdir() });
    assert.deepEqual(
      (await d.db.introspection.getTables())
        .filter((x) => x.schema === mine.name)
        .map((x) => x.name)
        .sort(),
      TABLES,
    );
    await d.db.selectFrom('jobs').selectAll().execute();
    await d.close();
  } finally {
    await other.drop();
    await mine.drop();
  }
});
