/**
 * Zod shapes shared by the regions and anonymise routes (the engines may not import src/http, so the artifact
 * and warning shapes are declared here; they document, they do not filter).
 */
import { z } from 'zod';
import { REGION_NAMES } from './types.js';

export const RegionNameSchema = z.enum(REGION_NAMES as unknown as ['face', 'eyes', 'mouth']);

export const EngineArtifactSchema = z.object({
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
});

export const WarningSchema = z.object({ code: z.string(), message: z.string(), path: z.string().optional() });

export const ArtifactIdParamsSchema = z.object({ artifact_id: z.string().min(1).max(128) });
