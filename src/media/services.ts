/**
 * Composition root for the media layer: opens the database, the object store and builds the services. The HTTP
 * server and the CLI call createServices once and pass the result around; nothing else constructs adapters.
 */
import { join, resolve } from 'node:path';
import type { Kysely } from 'kysely';
import { cutroomError } from '../errors.js';
import { openDatabase, type DialectName } from '../db/open-database.js';
import type { Database } from '../db/schema.js';
import { probeMedia } from '../ffmpeg/probe.js';
import { storeFromEnv } from '../storage/store-from-env.js';
import type { ObjectStore } from '../storage/object-store.js';
import { createArtifactService, type ArtifactService } from './artifacts.js';
import { createAssetService, type AssetService, type ProbeFn } from './assets.js';
import { createProjectService, type ProjectService } from './projects.js';
import { createTenantService, type TenantService } from './tenants.js';

export const DEFAULT_DATA_DIR = './.cutroom';
export const DEFAULT_MAX_UPLOAD_BYTES = 2 * 1024 ** 3;

export interface ServicesConfig {
  /** Absolute data directory: `objects/` (store), `cutroom.sqlite` (default DB), `work/` (scratch). */
  dataDir: string;
  /** Database URL as given (may be undefined → SQLite in dataDir). Never printed: it may hold a password. */
  databaseUrl: string | undefined;
  dialect: DialectName;
  maxUploadBytes: number;
  /** Scratch root for artifact producers and renders. */
  workDir: string;
}

export interface Services {
  db: Kysely<Database>;
  store: ObjectStore;
  tenants: TenantService;
  assets: AssetService;
  artifacts: ArtifactService;
  projects: ProjectService;
  config: ServicesConfig;
  close(): Promise<void>;
}

export interface CreateServicesOptions {
  dataDir?: string;
  databaseUrl?: string;
  maxUploadBytes?: number;
  /** Replace ffprobe (tests of failure paths); defaults to src/ffmpeg probeMedia. */
  probe?: ProbeFn;
  /** Replace the object store (default: from the environment, a local store at `{dataDir}/objects`). */
  store?: ObjectStore;
}

/** Options from the environment: CUTROOM_DATA_DIR, CUTROOM_DATABASE_URL, CUTROOM_MAX_UPLOAD_BYTES. */
export function servicesOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): CreateServicesOptions {
  const opts: CreateServicesOptions = { dataDir: env.CUTROOM_DATA_DIR || DEFAULT_DATA_DIR };
  if (env.CUTROOM_DATABASE_URL) opts.databaseUrl = env.CUTROOM_DATABASE_URL;
  if (env.CUTROOM_MAX_UPLOAD_BYTES) {
    const n = Number(env.CUTROOM_MAX_UPLOAD_BYTES);
    if (!Number.isSafeInteger(n) || n <= 0)
      throw cutroomError('VALIDATION_FAILED', 'CUTROOM_MAX_UPLOAD_BYTES must be a positive integer', {
        issues: [{ path: 'CUTROOM_MAX_UPLOAD_BYTES', message: 'must be a positive integer (bytes)' }],
      });
    opts.maxUploadBytes = n;
  }
  return opts;
}

/** Explicit options win over the environment, which wins over defaults. */
export async function createServices(options: CreateServicesOptions = {}): Promise<Services> {
  const fromEnv = servicesOptionsFromEnv();
  const dataDir = resolve(options.dataDir ?? fromEnv.dataDir ?? DEFAULT_DATA_DIR);
  const databaseUrl = options.databaseUrl ?? fromEnv.databaseUrl;
  const maxUploadBytes = options.maxUploadBytes ?? fromEnv.maxUploadBytes ?? DEFAULT_MAX_UPLOAD_BYTES;
  const workDir = join(dataDir, 'work');

  const { db, dialect, close } = await openDatabase({ url: databaseUrl, dataDir });
  // Local directory by default; an S3-compatible bucket when CUTROOM_S3_BUCKET is set (docs/DEPLOYMENT.md).
  const store = options.store ?? (await storeFromEnv(process.env, dataDir));
  const tenants = createTenantService({ db });
  const assets = createAssetService({ db, store, probe: options.probe ?? probeMedia, maxUploadBytes });
  const artifacts = createArtifactService({ db, store, assets, workRoot: workDir });
  const projects = createProjectService({ db });
  let closed = false;
  return {
    db,
    store,
    tenants,
    assets,
    artifacts,
    projects,
    config: { dataDir, databaseUrl, dialect, maxUploadBytes, workDir },
    close: async () => {
      if (closed) return;
      closed = true;
      await close();
    },
  };
}
