/**
 * Serves the built Studio (dist/studio, made by `npm run build`) at `/` next to the API. Hashed files under
 * assets/ never change, so they are cached for a year as immutable; index.html is `no-cache` so a new build is
 * picked up on the next load. The API keeps its JSON 404s: only a browser navigation (GET, Accept: text/html)
 * to a path outside the API prefixes falls back to index.html.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/** Paths that belong to the API; a miss under them is an API 404, never the Studio page. */
const API_PREFIXES = ['/media-v2', '/video', '/openapi.json', '/healthz'];

/** dist/studio of this package, found from this module's location (works from dist/ and from tsx on src/). */
export function defaultStudioRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    if (existsSync(join(dir, 'package.json'))) return join(dir, 'dist', 'studio');
    dir = dirname(dir);
  }
  return join(process.cwd(), 'dist', 'studio');
}

export function isStudioBuilt(root: string): boolean {
  return existsSync(join(root, 'index.html'));
}

/** True when a not-found request should get the Studio page instead of the API's 404 envelope. */
export function wantsStudioPage(request: Pick<FastifyRequest, 'method' | 'url' | 'headers'>): boolean {
  if (request.method !== 'GET' && request.method !== 'HEAD') return false;
  const path = request.url.split('?')[0] ?? '/';
  if (API_PREFIXES.some((p) => path === p || path.startsWith(`${p}/`))) return false;
  // Missing hashed assets stay 404s: serving HTML for a .js URL breaks the page in confusing ways.
  if (path.startsWith('/assets/')) return false;
  return String(request.headers.accept ?? '').includes('text/html');
}

function cacheHeaders(reply: FastifyReply, path: string): void {
  if (/[\\/]assets[\\/]/.test(path)) reply.header('cache-control', 'public, max-age=31536000, immutable');
  else reply.header('cache-control', 'no-cache');
}

/** Registers the static files; returns false (and registers nothing) when the Studio is not built. */
export async function registerStudio({ app, root }: { app: FastifyInstance; root: string }): Promise<boolean> {
  if (!isStudioBuilt(root)) return false;
  await app.register(fastifyStatic, {
    root,
    prefix: '/',
    wildcard: true,
    index: 'index.html',
    cacheControl: false,
    setHeaders: cacheHeaders,
  });
  return true;
}

export async function sendStudioPage(reply: FastifyReply): Promise<FastifyReply> {
  reply.header('cache-control', 'no-cache');
  return reply.sendFile('index.html');
}
