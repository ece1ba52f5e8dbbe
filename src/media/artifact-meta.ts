/**
 * Artifact meta validation. Every artifact names its tenant, env, cache key and backend version so a result can
 * always be traced to what produced it; analysis artifacts also name the model and how long it ran. Kind-specific
 * fields pass through untouched.
 */
import { z } from 'zod';
import { ID_PATTERN, type RequestContext } from '../context.js';
import { cutroomError } from '../errors.js';
import { isAnalysisKind, type ArtifactKind } from './artifact-kinds.js';

const CommonMetaSchema = z.looseObject({
  tenant: z.string().regex(ID_PATTERN),
  env: z.string().regex(ID_PATTERN),
  cache_key: z.string().regex(/^[0-9a-f]{64}$/, 'must be a lower-case hex sha256'),
  backend_version: z.string().min(1).max(200),
  stub: z.boolean().optional(),
});

const AnalysisMetaSchema = CommonMetaSchema.extend({
  model_used: z.string().min(1).max(200),
  duration_ms: z.int().min(0),
});

export type ArtifactMeta = z.infer<typeof CommonMetaSchema> & {
  model_used?: string;
  duration_ms?: number;
  [field: string]: unknown;
};

/** Validates meta for `kind` in ctx; ARTIFACT_META_INVALID (details.missing, details.issues) or TENANT_MISMATCH. */
export function validateArtifactMeta({
  ctx,
  kind,
  meta,
}: {
  ctx: RequestContext;
  kind: ArtifactKind;
  meta: unknown;
}): ArtifactMeta {
  const schema = isAnalysisKind(kind) ? AnalysisMetaSchema : CommonMetaSchema;
  const result = schema.safeParse(meta);
  if (!result.success) {
    const issues = result.error.issues.map((i) => ({
      path: i.path.map(String).join('.') || '(meta)',
      message: i.message,
    }));
    const present = meta !== null && typeof meta === 'object' ? (meta as Record<string, unknown>) : {};
    const missing = result.error.issues
      .filter((i) => i.path.length === 1 && present[String(i.path[0])] === undefined)
      .map((i) => String(i.path[0]));
    throw cutroomError(
      'ARTIFACT_META_INVALID',
      `${kind} meta is invalid: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`,
      { kind, missing, issues },
    );
  }
  const data = result.data as ArtifactMeta;
  if (data.tenant !== ctx.tenantId || data.env !== ctx.env)
    throw cutroomError('TENANT_MISMATCH', 'artifact meta names another tenant or env than the request', {
      meta_tenant: data.tenant,
      meta_env: data.env,
    });
  return data;
}
