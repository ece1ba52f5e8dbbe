// The Studio's files next to the API: hashed assets cached as immutable, index.html no-cache, browser
// navigations fall back to index.html, and API misses keep their JSON 404 envelope.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/http/index.js';
import { createServices, type Services } from '../../src/media/services.js';
import { wantsStudioPage } from '../../src/http/studio-static.js';

let app: FastifyInstance;
let services: Services;
let dir: string;
const INDEX = '<!doctype html><title>studio</title><div id="root"></div>';

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cutroom-studio-static-'));
  const root = join(dir, 'studio');
  mkdirSync(join(root, 'assets'), { recursive: true });
  writeFileSync(join(root, 'index.html'), INDEX);
  writeFileSync(join(root, 'assets', 'index-AbC123.js'), 'console.log(1)');
  services = await createServices({ dataDir: join(dir, 'data') });
  app = await buildApp({ services, studioRoot: root });
  await app.ready();
});
after(async () => {
  await app.close();
  await services.close();
  rmSync(dir, { recursive: true, force: true });
});

test('GET / serves index.html with no-cache', async () => {
  const res = await app.inject({ method: 'GET', url: '/' });
  assert.equal(res.statusCode, 200);
  assert.equal(res.body, INDEX);
  assert.match(String(res.headers['content-type']), /text\/html/);
  assert.equal(res.headers['cache-control'], 'no-cache');
});

test('hashed assets are cached for a year as immutable', async () => {
  const res = await app.inject({ method: 'GET', url: '/assets/index-AbC123.js' });
  assert.equal(res.statusCode, 200);
  assert.equal(res.body, 'console.log(1)');
  assert.equal(res.headers['cache-control'], 'public, max-age=31536000, immutable');
});

test('a browser navigation to an unknown page gets the Studio (SPA fallback)', async () => {
  const res = await app.inject({ method: 'GET', url: '/projects/p1', headers: { accept: 'text/html,*/*' } });
  assert.equal(res.statusCode, 200);
  assert.equal(res.body, INDEX);
});

test('API misses keep the JSON 404 envelope, even when a browser asks for HTML', async () => {
  for (const url of ['/video/nope', '/media-v2/assets/x/y/z', '/openapi.json/x']) {
    const res = await app.inject({ method: 'GET', url, headers: { accept: 'text/html' } });
    assert.equal(res.statusCode, 404, url);
    assert.equal(res.json().error.code, 'ROUTE_NOT_FOUND', url);
  }
  const missingAsset = await app.inject({ method: 'GET', url: '/assets/gone-123.js', headers: { accept: 'text/html' } });
  assert.equal(missingAsset.statusCode, 404);
  assert.equal(missingAsset.json().error.code, 'ROUTE_NOT_FOUND');
  const post = await app.inject({ method: 'POST', url: '/somewhere', headers: { accept: 'text/html' } });
  assert.equal(post.statusCode, 404);
  assert.equal(post.json().error.code, 'ROUTE_NOT_FOUND');
});

test('API routes are unchanged and still need a key', async () => {
  const res = await app.inject({ method: 'GET', url: '/media-v2/assets' });
  assert.equal(res.statusCode, 401);
  assert.equal(res.json().error.code, 'UNAUTHENTICATED');
  const health = await app.inject({ method: 'GET', url: '/healthz' });
  assert.equal(health.statusCode, 200);
});

test('path traversal out of the Studio folder is refused', async () => {
  for (const url of ['/../../etc/passwd', '/%2e%2e/%2e%2e/etc/passwd', '/assets/..%2f..%2fpackage.json']) {
    const res = await app.inject({ method: 'GET', url });
    assert.notEqual(res.statusCode, 200, url);
    assert.doesNotMatch(res.body, /root:|"name"/, url);
  }
});

test('wantsStudioPage: only GET/HEAD navigations outside the API and assets', () => {
  const req = (method: string, url: string, accept = 'text/html') => ({ method, url, headers: { accept } });
  assert.equal(wantsStudioPage(req('GET', '/editor')), true);
  assert.equal(wantsStudioPage(req('GET', '/editor', 'application/json')), false);
  assert.equal(wantsStudioPage(req('POST', '/editor')), false);
  assert.equal(wantsStudioPage(req('GET', '/video/timeline/projects/x')), false);
  assert.equal(wantsStudioPage(req('GET', '/healthz')), false);
  assert.equal(wantsStudioPage(req('GET', '/assets/x.js')), false);
});

test('without a built Studio the API still starts and / is a plain 404', async () => {
  const other = await buildApp({ services, studioRoot: join(dir, 'missing') });
  await other.ready();
  const res = await other.inject({ method: 'GET', url: '/', headers: { accept: 'text/html' } });
  assert.equal(res.statusCode, 404);
  await other.close();
});
