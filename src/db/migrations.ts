/**
 * Migrations in code (no migration folder to ship or find at runtime). Only portable column types and DDL, so
 * the same list runs on SQLite and PostgreSQL. Append new migrations; never edit a released one.
 */
import { sql, type Kysely, type Migration, type MigrationProvider } from 'kysely';

const m001: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('tenants')
      .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('name', 'varchar(200)', (c) => c.notNull())
      .addColumn('envs', 'text', (c) => c.notNull())
      .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('api_keys')
      .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('tenant_id', 'varchar(64)', (c) => c.notNull().references('tenants.id'))
      .addColumn('key_hash', 'varchar(64)', (c) => c.notNull().unique())
      .addColumn('envs', 'text', (c) => c.notNull())
      .addColumn('label', 'varchar(200)', (c) => c.notNull())
      .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
      .addColumn('revoked_at', 'varchar(32)')
      .execute();
    await db.schema.createIndex('api_keys_tenant').on('api_keys').column('tenant_id').execute();

    await db.schema
      .createTable('assets')
      .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('tenant_id', 'varchar(64)', (c) => c.notNull())
      .addColumn('env', 'varchar(64)', (c) => c.notNull())
      .addColumn('kind', 'varchar(16)', (c) => c.notNull())
      .addColumn('content_hash', 'varchar(64)', (c) => c.notNull())
      .addColumn('size_bytes', 'bigint', (c) => c.notNull())
      .addColumn('original_filename', 'varchar(255)', (c) => c.notNull())
      .addColumn('ext', 'varchar(16)', (c) => c.notNull())
      .addColumn('storage_key', 'varchar(1024)', (c) => c.notNull())
      .addColumn('media_info', 'text', (c) => c.notNull())
      .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
      .addUniqueConstraint('assets_tenant_env_hash', ['tenant_id', 'env', 'content_hash'])
      .execute();
    await db.schema
      .createIndex('assets_tenant_env_created')
      .on('assets')
      .columns(['tenant_id', 'env', 'created_at', 'id'])
      .execute();

    await db.schema
      .createTable('artifacts')
      .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('tenant_id', 'varchar(64)', (c) => c.notNull())
      .addColumn('env', 'varchar(64)', (c) => c.notNull())
      .addColumn('asset_id', 'varchar(64)')
      .addColumn('kind', 'varchar(64)', (c) => c.notNull())
      .addColumn('cache_key', 'varchar(64)', (c) => c.notNull())
      .addColumn('backend_version', 'varchar(200)', (c) => c.notNull())
      .addColumn('storage_key', 'varchar(1024)')
      .addColumn('size_bytes', 'bigint')
      .addColumn('content_hash', 'varchar(64)')
      .addColumn('meta', 'text', (c) => c.notNull())
      .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('artifacts_tenant_env_asset_kind')
      .on('artifacts')
      .columns(['tenant_id', 'env', 'asset_id', 'kind', 'created_at'])
      .execute();
    await db.schema
      .createIndex('artifacts_tenant_env_cache_key')
      .on('artifacts')
      .columns(['tenant_id', 'env', 'cache_key'])
      .execute();

    await db.schema
      .createTable('projects')
      .addColumn('id', 'varchar(128)', (c) => c.notNull())
      .addColumn('tenant_id', 'varchar(64)', (c) => c.notNull())
      .addColumn('env', 'varchar(64)', (c) => c.notNull())
      .addColumn('name', 'varchar(200)', (c) => c.notNull())
      .addColumn('document', 'text', (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
      .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
      // Project ids are scoped per tenant/env: two tenants may both have a project "intro".
      .addPrimaryKeyConstraint('projects_pk', ['tenant_id', 'env', 'id'])
      .execute();
    await db.schema
      .createIndex('projects_tenant_env_created')
      .on('projects')
      .columns(['tenant_id', 'env', 'created_at', 'id'])
      .execute();

    await db.schema
      .createTable('jobs')
      .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('tenant_id', 'varchar(64)', (c) => c.notNull())
      .addColumn('env', 'varchar(64)', (c) => c.notNull())
      .addColumn('kind', 'varchar(64)', (c) => c.notNull())
      .addColumn('state', 'varchar(32)', (c) => c.notNull())
      .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('params', 'text', (c) => c.notNull())
      .addColumn('plan_hash', 'varchar(64)')
      .addColumn('progress', 'double precision', (c) => c.notNull().defaultTo(0))
      .addColumn('error', 'text')
      .addColumn('result', 'text')
      .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
      .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
      .addColumn('started_at', 'varchar(32)')
      .addColumn('finished_at', 'varchar(32)')
      .execute();
    await db.schema
      .createIndex('jobs_tenant_env_state')
      .on('jobs')
      .columns(['tenant_id', 'env', 'state'])
      .execute();
    await db.schema.createIndex('jobs_state_created').on('jobs').columns(['state', 'created_at']).execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    for (const t of ['jobs', 'projects', 'artifacts', 'assets', 'api_keys', 'tenants'])
      await sql`drop table if exists ${sql.table(t)}`.execute(db);
  },
};

/** Templates: timelines with {{NAME}} merge fields (src/timeline/template), scoped like projects. */
const m002: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('templates')
      .addColumn('id', 'varchar(64)', (c) => c.notNull())
      .addColumn('tenant_id', 'varchar(64)', (c) => c.notNull())
      .addColumn('env', 'varchar(64)', (c) => c.notNull())
      .addColumn('name', 'varchar(200)', (c) => c.notNull())
      /** JSON TemplateDoc as stored (the timeline keeps its placeholders). */
      .addColumn('document', 'text', (c) => c.notNull())
      .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
      .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
      .addPrimaryKeyConstraint('templates_pk', ['tenant_id', 'env', 'id'])
      .execute();
    await db.schema
      .createIndex('templates_tenant_env_created')
      .on('templates')
      .columns(['tenant_id', 'env', 'created_at', 'id'])
      .execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await sql`drop table if exists ${sql.table('templates')}`.execute(db);
  },
};

/**
 * Webhooks (issue 15.6): the per-tenant signing secret, one subscription per job that carries a callback_url, and
 * one delivery row per final state the job reached (the outbox every process's dispatcher drains; the row, not a
 * timer in one process, is the truth, so a delivery survives a restart and works with either queue adapter).
 */
const m003: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('webhook_secrets')
      .addColumn('tenant_id', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('secret', 'varchar(128)', (c) => c.notNull())
      .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
      .addColumn('rotated_at', 'varchar(32)')
      .execute();

    await db.schema
      .createTable('webhook_subscriptions')
      .addColumn('job_row_id', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('tenant_id', 'varchar(64)', (c) => c.notNull())
      .addColumn('env', 'varchar(64)', (c) => c.notNull())
      .addColumn('job_id', 'varchar(128)', (c) => c.notNull())
      .addColumn('url', 'varchar(2048)', (c) => c.notNull())
      .addColumn('notified_state', 'varchar(32)')
      .addColumn('notified_finished_at', 'varchar(32)')
      .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('webhook_deliveries')
      .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('tenant_id', 'varchar(64)', (c) => c.notNull())
      .addColumn('env', 'varchar(64)', (c) => c.notNull())
      .addColumn('job_row_id', 'varchar(64)', (c) => c.notNull())
      .addColumn('job_id', 'varchar(128)', (c) => c.notNull())
      .addColumn('url', 'varchar(2048)', (c) => c.notNull())
      .addColumn('job_state', 'varchar(32)', (c) => c.notNull())
      .addColumn('event', 'text', (c) => c.notNull())
      .addColumn('status', 'varchar(16)', (c) => c.notNull())
      .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('attempt_log', 'text', (c) => c.notNull())
      .addColumn('next_attempt_at', 'varchar(32)')
      .addColumn('lease_until', 'varchar(32)')
      .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
      .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('webhook_deliveries_status_next')
      .on('webhook_deliveries')
      .columns(['status', 'next_attempt_at'])
      .execute();
    await db.schema
      .createIndex('webhook_deliveries_job')
      .on('webhook_deliveries')
      .columns(['job_row_id', 'created_at'])
      .execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    for (const t of ['webhook_deliveries', 'webhook_subscriptions', 'webhook_secrets'])
      await sql`drop table if exists ${sql.table(t)}`.execute(db);
  },
};

/**
 * Template versions (issue 15, update/delete): optimistic concurrency like projects. Existing rows start at 1,
 * which is the version GET has always implied.
 */
const m004: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .alterTable('templates')
      .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
      .execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.alterTable('templates').dropColumn('version').execute();
  },
};

/** Names sort in application order. */
export const MIGRATIONS: Record<string, Migration> = {
  '0001_initial': m001,
  '0002_templates': m002,
  '0003_webhooks': m003,
  '0004_template_version': m004,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => MIGRATIONS,
};
