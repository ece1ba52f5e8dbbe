/** Shared setup for HTTP tests: a fresh data dir, real services (SQLite + local store + ffprobe), two tenants. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp, type BuildAppOptions } from '../../src/http/index.js';
import { engineRoutes } from '../../src/http/engine-routes.js';
import { createServices, type Services } from '../../src/media/services.js';
import type { ObjectStore } from '../../src/storage/object-store.js';

export interface TestServer {
  app: FastifyInstance;
  services: Services;
  dataDir: string;
  /** Tenant "ta" (envs dev, prod), key for both envs. */
  keyA: string;
  /** Tenant "tb" (envs dev, prod), key for both envs. */
  keyB: string;
  /** Tenant "ta", key for dev only. */
  keyADevOnly: string;
  close(): Promise<void>;
}

export async function startTestServer(
  opts: { maxUploadBytes?: number; config?: BuildAppOptions['config']; store?: ObjectStore } = {},
): Promise<TestServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'cutroom-http-'));
  const services = await createServices({
    dataDir,
    maxUploadBytes: opts.maxUploadBytes,
    ...(opts.store ? { store: opts.store } : {}),
  });
  await services.tenants.createTenant({ id: 'ta', envs: ['dev', 'prod'] });
  await services.tenants.createTenant({ id: 'tb', envs: ['dev', 'prod'] });
  const keyA = (await services.tenants.createApiKey({ tenantId: 'ta' })).key;
  const keyB = (await services.tenants.createApiKey({ tenantId: 'tb' })).key;
  const keyADevOnly = (await services.tenants.createApiKey({ tenantId: 'ta', envs: ['dev'] })).key;
  const app = await buildApp({ services, config: opts.config, extraRoutes: engineRoutes() });
  await app.ready();
  return {
    app,
    services,
    dataDir,
    keyA,
    keyB,
    keyADevOnly,
    close: async () => {
      await app.close();
      await services.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export function auth(key: string, env?: string): Record<string, string> {
  return env === undefined
    ? { authorization: `Bearer ${key}` }
    : { authorization: `Bearer ${key}`, 'x-env': env };
}

/** A multipart/form-data body with one file part (and optional text fields), built by hand like curl -F would. */
export function multipartBody(input: {
  filename: string;
  content: Buffer;
  fields?: Record<string, string>;
  contentType?: string;
}): { payload: Buffer; headers: Record<string, string> } {
  const boundary = `----cutroomtest${Math.random().toString(16).slice(2)}`;
  const chunks: Buffer[] = [];
  for (const [name, value] of Object.entries(input.fields ?? {}))
    chunks.push(
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`),
    );
  chunks.push(
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${input.filename}"\r\n` +
        `Content-Type: ${input.contentType ?? 'application/octet-stream'}\r\n\r\n`,
    ),
  );
  chunks.push(input.content, Buffer.from(`\r\n--${boundary}--\r\n`));
  return {
    payload: Buffer.concat(chunks),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}
