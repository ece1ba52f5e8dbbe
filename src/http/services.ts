/**
 * What the HTTP core needs from the composition root (src/media/services.ts). Declared structurally here so the
 * app can be built from the real services or from a subset in tests, and so engine routes can ask for more.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import type { ArtifactService } from '../media/artifacts.js';
import type { AssetService } from '../media/assets.js';
import type { ProjectService } from '../media/projects.js';
import type { TenantService } from '../media/tenants.js';

export interface HttpServices {
  tenants: TenantService;
  assets: AssetService;
  artifacts: ArtifactService;
  projects: ProjectService;
  /** For the /healthz database ping; without it a tenant lookup serves as the ping. */
  db?: Kysely<Database>;
  /** The composition root's settings; maxUploadBytes is the default upload limit. */
  config?: { maxUploadBytes: number; dialect?: string; dataDir?: string; workDir?: string };
}
