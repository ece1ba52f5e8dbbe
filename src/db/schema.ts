/**
 * Kysely table types. Written for both SQLite and PostgreSQL: ids are text generated in code, JSON is stored as
 * text (parse on read), timestamps are ISO-8601 UTC text (`2026-01-02T03:04:05.678Z`, sorts as text), sizes are
 * bigint (files over 2 GiB) read back as numbers.
 */

export interface TenantsTable {
  id: string;
  name: string;
  /** JSON array of env ids this tenant has, e.g. ["dev","prod"]. */
  envs: string;
  created_at: string;
}

export interface ApiKeysTable {
  id: string;
  tenant_id: string;
  /** Lower-case hex sha256 of the plaintext key; the plaintext is never stored. */
  key_hash: string;
  /** JSON array of env ids the key may act in. */
  envs: string;
  label: string;
  created_at: string;
  revoked_at: string | null;
}

export interface AssetsTable {
  id: string;
  tenant_id: string;
  env: string;
  kind: string;
  /** sha256 hex of the stored bytes; unique per tenant/env (dedupe). */
  content_hash: string;
  size_bytes: number;
  original_filename: string;
  ext: string;
  storage_key: string;
  /** JSON MediaInfo. */
  media_info: string;
  created_at: string;
}

export interface ArtifactsTable {
  id: string;
  tenant_id: string;
  env: string;
  asset_id: string | null;
  kind: string;
  cache_key: string;
  backend_version: string;
  storage_key: string | null;
  size_bytes: number | null;
  content_hash: string | null;
  /** JSON meta object (validated on registration). */
  meta: string;
  created_at: string;
}

export interface ProjectsTable {
  id: string;
  tenant_id: string;
  env: string;
  name: string;
  /** JSON Project document. */
  document: string;
  /** Starts at 1; every update increments it (optimistic concurrency). */
  version: number;
  created_at: string;
  updated_at: string;
}

export interface JobsTable {
  id: string;
  tenant_id: string;
  env: string;
  /** What the job does, e.g. "render". */
  kind: string;
  state: string;
  attempts: number;
  /** JSON parameters as submitted. */
  params: string;
  plan_hash: string | null;
  /** 0..1 */
  progress: number;
  /** JSON {code, message, details} when failed. */
  error: string | null;
  /** JSON result (e.g. output artifact id). */
  result: string | null;
  created_at: string;
  updated_at: string;
  started_at: string | null;
  finished_at: string | null;
}

export interface TemplatesTable {
  id: string;
  tenant_id: string;
  env: string;
  name: string;
  /** JSON TemplateDoc (name, fields, timeline with its {{NAME}} placeholders). */
  document: string;
  /** Starts at 1, +1 on every update (migration 0004); updates and deletes may name the version they expect. */
  version: number;
  created_at: string;
  updated_at: string;
}

/** The per-tenant webhook signing secret (plaintext: HMAC needs it; only its tenant can read or rotate it). */
export interface WebhookSecretsTable {
  tenant_id: string;
  secret: string;
  created_at: string;
  rotated_at: string | null;
}

/** A job that carries a callback_url; `notified_*` is the last final state a delivery was created for. */
export interface WebhookSubscriptionsTable {
  /** jobs.id (the tenant-scoped row id). */
  job_row_id: string;
  tenant_id: string;
  env: string;
  /** The public job id. */
  job_id: string;
  url: string;
  notified_state: string | null;
  notified_finished_at: string | null;
  created_at: string;
}

/** One event to deliver (one per final state a job reached), with its attempts. */
export interface WebhookDeliveriesTable {
  id: string;
  tenant_id: string;
  env: string;
  job_row_id: string;
  job_id: string;
  url: string;
  job_state: string;
  /** The JSON body exactly as sent (and signed). */
  event: string;
  /** pending | delivering | delivered | failed */
  status: string;
  attempts: number;
  /** JSON array of {attempt, at, status_code, error, next_retry_at}. */
  attempt_log: string;
  next_attempt_at: string | null;
  lease_until: string | null;
  created_at: string;
  updated_at: string;
}

export interface Database {
  tenants: TenantsTable;
  api_keys: ApiKeysTable;
  assets: AssetsTable;
  artifacts: ArtifactsTable;
  projects: ProjectsTable;
  jobs: JobsTable;
  templates: TemplatesTable;
  webhook_secrets: WebhookSecretsTable;
  webhook_subscriptions: WebhookSubscriptionsTable;
  webhook_deliveries: WebhookDeliveriesTable;
}
