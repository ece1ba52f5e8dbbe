/**
 * Test wiring for the media services: a fresh data dir (objects + SQLite) per call, or a private PostgreSQL
 * schema, and helpers to see everything a tenant left in the store and the database.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RequestContext } from '../../src/context.js';
import { createServices, type CreateServicesOptions, type Services } from '../../src/media/services.js';
import { createPgSchema, postgresAvailable } from '../db/pg-schema.js';

export type TestDialect = 'sqlite' | 'postgres';

export interface TestServices extends Services {
  dataDir: string;
  /** Create the tenant (envs dev+prod) and return a context for it. */
  tenant(env?: string, id?: string): Promise<RequestContext>;
  dispose(): Promise<void>;
}

export async function makeServices(
  opts: { dialect?: TestDialect; memory?: boolean } & Omit<
    CreateServicesOptions,
    'dataDir' | 'databaseUrl'
  > = {},
): Promise<TestServices> {
  const { dialect = 'sqlite', memory = false, ...rest } = opts;
  const dataDir = await mkdtemp(join(tmpdir(), 'cutroom-media-'));
  const pg = dialect === 'postgres' ? await createPgSchema() : null;
  const databaseUrl = pg ? pg.url : memory ? ':memory:' : undefined;
  const services = await createServices({ ...rest, dataDir, databaseUrl });
  const made = new Set<string>();
  return {
    ...services,
    dataDir,
    tenant: async (env = 'dev', id = `t${randomBytes(4).toString('hex')}`) => {
      if (!made.has(id)) {
        await services.tenants.createTenant({ id, envs: ['dev', 'prod'] });
        made.add(id);
      }
      return { tenantId: id, env, requestId: `req_${randomBytes(4).toString('hex')}` };
    },
    dispose: async () => {
      await services.close();
      await pg?.drop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** The dialects to run DB-backed tests on: sqlite always, postgres when reachable. */
export async function dialects(): Promise<TestDialect[]> {
  return (await postgresAvailable()) ? ['sqlite', 'postgres'] : ['sqlite'];
}
