/**
 * Shared by the Studio end-to-end tests and bench/studio.ts: a real `buildApp` server (SQLite, local store,
 * embedded render queue, the built Studio at /) on a random port with a tmp data dir, and the system Chromium
 * driven by playwright-core with a fresh profile.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { buildApp } from '../../src/http/index.js';
import { engineRoutes } from '../../src/http/engine-routes.js';
import { defaultStudioRoot } from '../../src/http/studio-static.js';
import type { JobQueue } from '../../src/jobs/job-queue.js';
import { createServices, type Services } from '../../src/media/services.js';
import { createRenderQueue } from '../../src/render/jobs/index.js';

export const CHROMIUM = process.env.CUTROOM_CHROMIUM ?? '/usr/bin/chromium';
export const SCREENSHOT_DIR = resolve('test/studio/screenshots');

export interface StudioServer {
  url: string;
  app: FastifyInstance;
  services: Services;
  queue: JobQueue;
  dataDir: string;
  /** Tenant "ta" (envs dev, prod). */
  key: string;
  /** Tenant "ta", dev only. */
  keyDevOnly: string;
  close(): Promise<void>;
}

/** Build the bundle when its inputs changed (no-op otherwise), so a test run never serves a stale Studio. */
export function ensureStudioBuilt(): void {
  const r = spawnSync(process.execPath, ['scripts/build-studio.mjs'], { stdio: 'inherit' });
  if (r.status !== 0) throw new Error('building the Studio failed');
}

export async function startStudioServer(opts: { queue?: boolean } = {}): Promise<StudioServer> {
  ensureStudioBuilt();
  const dataDir = mkdtempSync(join(tmpdir(), 'cutroom-studio-'));
  const services = await createServices({ dataDir });
  await services.tenants.createTenant({ id: 'ta', envs: ['dev', 'prod'] });
  const key = (await services.tenants.createApiKey({ tenantId: 'ta' })).key;
  const keyDevOnly = (await services.tenants.createApiKey({ tenantId: 'ta', envs: ['dev'] })).key;
  const queue = await createRenderQueue({
    services,
    start: opts.queue ?? true,
    queue: { concurrency: 1, pollMs: 50, progressPersistMs: 100 },
  });
  const app = await buildApp({ services, extraRoutes: engineRoutes({ queue }), studioRoot: defaultStudioRoot() });
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  return {
    url: address,
    app,
    services,
    queue,
    dataDir,
    key,
    keyDevOnly,
    close: async () => {
      await app.close();
      await queue.close();
      await services.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface Browser {
  context: BrowserContext;
  page: Page;
  downloads: string;
  close(): Promise<void>;
}

export async function launchBrowser(opts: { width?: number; height?: number } = {}): Promise<Browser> {
  const profile = mkdtempSync(join(tmpdir(), 'cutroom-chromium-'));
  const downloads = join(profile, 'downloads');
  mkdirSync(downloads);
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--autoplay-policy=no-user-gesture-required',
    ],
    viewport: { width: opts.width ?? 1600, height: opts.height ?? 940 },
    acceptDownloads: true,
    downloadsPath: downloads,
  });
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    downloads,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** On failure, keep what the browser showed (test/studio/screenshots is gitignored). */
export async function screenshotOnFailure(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`) }).catch(() => undefined);
}

export async function signIn(page: Page, server: StudioServer, key = server.key, env = 'dev'): Promise<void> {
  await page.goto(`${server.url}/`);
  // Start signed out (the key of an earlier test stays in localStorage otherwise).
  await page.evaluate(() => localStorage.clear());
  await page.reload();
  await page.getByTestId('api-key').fill(key);
  await page.getByTestId('env').fill(env);
  await page.getByTestId('signin-submit').click();
  await page.getByTestId('timeline').waitFor();
}
