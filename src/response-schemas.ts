/**
 * Response shapes shared by the HTTP core and the engines' routes (which may not import src/http): one
 * declaration each, so /openapi.json documents an artifact or a warning the same way everywhere.
 */
import { z } from 'zod';

export const ArtifactResponseSchema = z
  .object({
    id: z.string(),
    tenant_id: z.string(),
    env: z.string(),
    asset_id: z.string().nullable(),
    kind: z.string(),
    cache_key: z.string(),
    backend_version: z.string(),
    storage_key: z.string().nullable(),
    size_bytes: z.int().nullable(),
    content_hash: z.string().nullable(),
    meta: z.record(z.string(), z.unknown()),
    created_at: z.string(),
  })
  .meta({ id: 'Artifact' });

export const WarningResponseSchema = z
  .object({ code: z.string(), message: z.string(), path: z.string().optional() })
  .meta({ id: 'Warning' });
