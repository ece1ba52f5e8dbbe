// Migration 0004 adds templates.version: a template stored before it reads as version 1 afterwards, and the
// migration's down step removes the column again (SQLite; the PostgreSQL run of open-database.test.ts applies
// every migration too).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Migrator, sql } from 'kysely';
import { migrationProvider } from '../../src/db/migrations.js';
import { openDatabase } from '../../src/db/open-database.js';

test('a template stored before 0004_template_version gets version 1; down drops the column', async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'cutroom-db-tplver-'));
  try {
    const d = await openDatabase({ dataDir, migrate: false });
    const migrator = new Migrator({ db: d.db, provider: migrationProvider });
    const to3 = await migrator.migrateTo('0003_webhooks');
    assert.equal(to3.error, undefined);
    await sql`insert into templates (id, tenant_id, env, name, document, created_at, updated_at)
      values ('tpl_old00000', 't1', 'dev', 'old', '{}', '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z')`.execute(
      d.db,
    );
    const up = await migrator.migrateToLatest();
    assert.equal(up.error, undefined);
    const row = await d.db.selectFrom('templates').select(['id', 'version']).executeTakeFirstOrThrow();
    assert.deepEqual({ ...row, version: Number(row.version) }, { id: 'tpl_old00000', version: 1 });
    const down = await migrator.migrateTo('0003_webhooks');
    assert.equal(down.error, undefined);
    const cols = (await d.db.introspection.getTables()).find((t) => t.name === 'templates')!.columns;
    assert.ok(!cols.some((c) => c.name === 'version'));
    await d.close();
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
});
