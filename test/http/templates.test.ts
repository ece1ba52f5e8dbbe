// Templates over HTTP: store (checked), list/get, merge preview, render through the render-job service; two
// merges render two different videos (fill colour at a point, duration); a text value full of ffmpeg
// metacharacters renders as text; other tenants get 404 and cannot smuggle their assets in.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { RequestContext } from '../../src/context.js';
import { ffmpegPath } from '../../src/ffmpeg/binaries.js';
import { buildApp } from '../../src/http/index.js';
import { engineRoutes } from '../../src/http/engine-routes.js';
import type { EmbeddedQueue } from '../../src/jobs/embedded-queue.js';
import { createServices, type Services } from '../../src/media/services.js';
import { createRenderQueue } from '../../src/render/jobs/index.js';
import { durationMs, pngImage, sampleColor } from '../helpers/media.js';
import { waitForJob } from '../render/jobs-helpers.js';
import { auth } from './helpers.js';

interface Server {
  app: FastifyInstance;
  services: Services;
  queue: EmbeddedQueue;
  keyA: string;
  keyB: string;
  ctxA: RequestContext;
  photoA: string;
  photoB: string;
  dir: string;
  close(): Promise<void>;
}

let s: Server;
before(async () => {
  const dir = await mkdtemp(join(tmpdir(), 'cutroom-templates-'));
  const services = await createServices({ dataDir: dir });
  await services.tenants.createTenant({ id: 'ta', envs: ['dev', 'prod'] });
  await services.tenants.createTenant({ id: 'tb', envs: ['dev', 'prod'] });
  const keyA = (await services.tenants.createApiKey({ tenantId: 'ta' })).key;
  const keyB = (await services.tenants.createApiKey({ tenantId: 'tb' })).key;
  const ctxA = { tenantId: 'ta', env: 'dev', requestId: 'req_test' };
  const ctxB = { tenantId: 'tb', env: 'dev', requestId: 'req_test' };
  const png = await pngImage({ color: '#0000FF' });
  const photoA = (await services.assets.registerAsset(ctxA, { source: { path: png } })).asset.id;
  const photoB = (await services.assets.registerAsset(ctxB, { source: { path: png } })).asset.id;
  const queue = await createRenderQueue({
    services,
    start: true,
    queue: { concurrency: 1, pollMs: 50, progressPersistMs: 100 },
    handler: { chunkMs: 10_000 },
  });
  const app = await buildApp({ services, extraRoutes: engineRoutes({ queue }) });
  await app.ready();
  s = {
    app,
    services,
    queue,
    keyA,
    keyB,
    ctxA,
    photoA,
    photoB,
    dir,
    close: async () => {
      await app.close();
      await queue.close();
      await services.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
});
after(async () => {
  await s.close();
});

/** A colour fill of {{FILL}} for {{DUR}} ms, the {{PHOTO}} image in the top-right corner, {{TITLE}} centred. */
const PROMO = {
  name: 'promo',
  fields: { TITLE: { default: 'Hello', description: 'the headline' } },
  timeline: {
    tracks: [
      {
        id: 'v',
        kind: 'video',
        clips: [
          {
            id: 'bg',
            asset_id: 'generator:bg',
            start_ms: 0,
            duration_ms: '{{DUR}}',
            generator: { type: 'color', color: '{{FILL}}' },
          },
        ],
      },
      {
        id: 'o',
        kind: 'overlay',
        clips: [
          {
            id: 'pic',
            asset_id: '{{PHOTO}}',
            start_ms: 0,
            duration_ms: '{{DUR}}',
            transform: { scale: 0.25, position_x: 0.875, position_y: 0.125 },
          },
        ],
      },
      {
        id: 't',
        kind: 'text',
        items: [
          {
            id: 'title',
            start_ms: 0,
            duration_ms: '{{DUR}}',
            text: '{{TITLE}}',
            font: { family: 'DejaVu Sans', size: 90 },
            color: '#FFFFFF',
            position: 'center',
          },
        ],
      },
    ],
  },
};

const req = (method: 'GET' | 'POST', url: string, payload?: unknown, key = s.keyA) =>
  s.app.inject({
    method,
    url,
    headers: auth(key, 'dev'),
    ...(payload !== undefined ? { payload: payload as object } : {}),
  });

async function createPromo(): Promise<string> {
  const res = await req('POST', '/video/templates', PROMO);
  assert.equal(res.statusCode, 201, res.body);
  return res.json().id as string;
}

async function renderMerge(id: string, merge: Record<string, unknown>, output: string): Promise<string> {
  const res = await req('POST', `/video/templates/${id}/render`, { merge, profile: 'draft_360p', output });
  assert.equal(res.statusCode, 201, res.body);
  const job = await waitForJob(s.queue, s.ctxA, res.json().job.id);
  assert.equal(job.state, 'completed', JSON.stringify(job.error));
  const out = await req('GET', `/video/render/jobs/${job.id}/output`);
  assert.equal(out.statusCode, 200);
  const file = join(s.dir, output);
  await writeFile(file, out.rawPayload);
  return file;
}

/** Pixels brighter than 200 (of 255) in the grey frame at `tMs`, in the middle third of the picture. */
function brightCentre(file: string, tMs: number): number {
  const r = spawnSync(
    ffmpegPath(),
    [
      '-v',
      'error',
      '-i',
      file,
      '-ss',
      String(tMs / 1000),
      '-frames:v',
      '1',
      '-vf',
      'crop=iw/2:ih/3:iw/4:ih/3',
      '-pix_fmt',
      'gray',
      '-f',
      'rawvideo',
      'pipe:1',
    ],
    { maxBuffer: 64 * 1024 * 1024 },
  );
  assert.equal(r.status, 0, r.stderr.toString());
  let n = 0;
  for (const v of r.stdout) if (v > 200) n++;
  return n;
}

test('store, get and list a template: fields typed by where they stand, the timeline kept with its placeholders', async () => {
  const res = await req('POST', '/video/templates', PROMO);
  assert.equal(res.statusCode, 201, res.body);
  const t = res.json();
  assert.match(t.id, /^tpl_/);
  assert.deepEqual(
    t.fields.map((f: { name: string; type: string }) => [f.name, f.type]),
    [
      ['DUR', 'number'],
      ['FILL', 'color'],
      ['PHOTO', 'asset'],
      ['TITLE', 'text'],
    ],
  );
  assert.equal(t.fields[3].default, 'Hello');
  assert.equal(t.timeline.tracks[0].clips[0].duration_ms, '{{DUR}}');
  const got = await req('GET', `/video/templates/${t.id}`);
  assert.equal(got.statusCode, 200);
  assert.deepEqual(got.json().timeline, PROMO.timeline);
  const list = await req('GET', '/video/templates');
  assert.ok(list.json().items.some((x: { id: string }) => x.id === t.id));
  assert.equal(list.json().items[0].timeline, undefined);
});

test('storing refuses malformed placeholders, unused fields, bad structure and unknown literal assets', async () => {
  const bad = async (body: unknown, code: string, status: number) => {
    const res = await req('POST', '/video/templates', body);
    assert.equal(res.statusCode, status, res.body);
    assert.equal(res.json().error.code, code);
    return res.json().error.details;
  };
  const malformed = structuredClone(PROMO);
  malformed.timeline.tracks[2]!.items![0]!.text = 'Hi {{TITLE}';
  await bad(malformed, 'TEMPLATE_INVALID', 422);
  const unused = { ...PROMO, fields: { ...PROMO.fields, NOPE: { type: 'number' } } };
  assert.equal((await bad(unused, 'TEMPLATE_INVALID', 422)).issues[0].field, 'NOPE');
  const fit = structuredClone(PROMO) as { timeline: { fit?: string } } & typeof PROMO;
  fit.timeline.fit = '{{FIT}}';
  const d = await bad(fit, 'TEMPLATE_INVALID', 422);
  assert.equal(d.issues[0].field, 'FIT');
  assert.equal(d.issues[0].path, 'timeline.fit');
  const literal = structuredClone(PROMO);
  literal.timeline.tracks[1]!.clips![0]!.asset_id = s.photoB;
  await bad(literal, 'ASSET_NOT_FOUND', 404);
  await bad({ name: 'x', timeline: { tracks: 'no' }, extra: 1 }, 'VALIDATION_FAILED', 400);
});

test('a merge preview returns the merged timeline; bad merges are refused naming the field', async () => {
  const id = await createPromo();
  const merge = { DUR: 1500, FILL: '#204060', PHOTO: s.photoA };
  const ok = await req('POST', `/video/templates/${id}/merge`, { merge });
  assert.equal(ok.statusCode, 200, ok.body);
  const body = ok.json();
  assert.deepEqual(body.values, { ...merge, TITLE: 'Hello' });
  assert.equal(body.timeline.tracks[0].clips[0].generator.color, '#204060');
  assert.equal(body.timeline.tracks[2].items[0].duration_ms, 1500);

  const refused = async (m: Record<string, unknown>, fields: string[]) => {
    const res = await req('POST', `/video/templates/${id}/merge`, { merge: m });
    assert.equal(res.statusCode, 400, res.body);
    assert.equal(res.json().error.code, 'TEMPLATE_MERGE_INVALID');
    assert.deepEqual([...new Set(res.json().error.details.fields as string[])].sort(), fields);
    return res.json().error;
  };
  await refused({ FILL: '#204060', PHOTO: s.photoA }, ['DUR']);
  await refused({ ...merge, SPEED: 2 }, ['SPEED']);
  await refused({ ...merge, DUR: 'long' }, ['DUR']);
  await refused({ ...merge, FILL: 'blue' }, ['FILL']);
  await refused({ ...merge, DUR: -5 }, ['DUR']);
  // Another tenant's asset is refused like one that never existed.
  const err = await refused({ ...merge, PHOTO: s.photoB }, ['PHOTO']);
  assert.match(err.message, /no asset/);
  await refused({ ...merge, PHOTO: 'ast_doesnotexist' }, ['PHOTO']);
  // The render route refuses the same before queueing anything.
  const res = await req('POST', `/video/templates/${id}/render`, {
    merge: { ...merge, FILL: 'blue' },
    profile: 'draft_360p',
  });
  assert.equal(res.statusCode, 400);
  assert.equal(res.json().error.code, 'TEMPLATE_MERGE_INVALID');
});

test('another tenant cannot read, list, merge or render the template (404)', async () => {
  const id = await createPromo();
  const get = await req('GET', `/video/templates/${id}`, undefined, s.keyB);
  assert.equal(get.statusCode, 404);
  assert.equal(get.json().error.code, 'TEMPLATE_NOT_FOUND');
  const list = await req('GET', '/video/templates', undefined, s.keyB);
  assert.deepEqual(list.json().items, []);
  const merge = { DUR: 1000, FILL: '#204060', PHOTO: s.photoB };
  for (const url of [`/video/templates/${id}/merge`, `/video/templates/${id}/render`]) {
    const res = await req('POST', url, { merge }, s.keyB);
    assert.equal(res.statusCode, 404, res.body);
    assert.equal(res.json().error.code, 'TEMPLATE_NOT_FOUND');
  }
  // The same tenant in another env does not see it either.
  const prod = await s.app.inject({
    method: 'GET',
    url: `/video/templates/${id}`,
    headers: auth(s.keyA, 'prod'),
  });
  assert.equal(prod.statusCode, 404);
});

test('two merges render two different videos: fill colour at a point, duration, the image from the asset field', async (t) => {
  const id = await createPromo();
  const a = await renderMerge(id, { DUR: 1000, FILL: '#C00000', PHOTO: s.photoA, TITLE: 'A' }, 'merge-a.mp4');
  const b = await renderMerge(id, { DUR: 2000, FILL: '#00A000', PHOTO: s.photoA, TITLE: 'B' }, 'merge-b.mp4');
  assert.ok(
    Math.abs((await durationMs(a, 'video')) - 1000) <= 34,
    `a lasts ${await durationMs(a, 'video')} ms`,
  );
  assert.ok(
    Math.abs((await durationMs(b, 'video')) - 2000) <= 34,
    `b lasts ${await durationMs(b, 'video')} ms`,
  );
  const fa = await sampleColor({ file: a, tMs: 500, x: 40, y: 300 });
  const fb = await sampleColor({ file: b, tMs: 500, x: 40, y: 300 });
  assert.ok(fa.r > 160 && fa.g < 50 && fa.b < 50, `a fill ${JSON.stringify(fa)}`);
  assert.ok(fb.g > 130 && fb.r < 50 && fb.b < 50, `b fill ${JSON.stringify(fb)}`);
  t.diagnostic(
    `a: ${await durationMs(a, 'video')} ms fill ${JSON.stringify(fa)}; b: ${await durationMs(b, 'video')} ms fill ${JSON.stringify(fb)}`,
  );
  // The blue image (asset field) sits in the top-right quarter-size box in both.
  for (const f of [a, b]) {
    const pic = await sampleColor({ file: f, tMs: 500, x: 560, y: 40 });
    assert.ok(pic.b > 180 && pic.r < 60, `picture ${JSON.stringify(pic)}`);
  }
  // The same merge again is the same job (render idempotency of POST /video/render).
  const again = await req('POST', `/video/templates/${id}/render`, {
    merge: { DUR: 1000, FILL: '#C00000', PHOTO: s.photoA, TITLE: 'A' },
    profile: 'draft_360p',
    output: 'merge-a.mp4',
  });
  assert.equal(again.statusCode, 200, again.body);
});

test('a text value full of ffmpeg metacharacters renders as text, never as graph syntax', async (t) => {
  const id = await createPromo();
  const nasty = "50% off: it's {a=b}; [x],\\ %{pts}\n=:;,[]'%{}";
  const merge = { DUR: 1000, FILL: '#000000', PHOTO: s.photoA, TITLE: nasty };
  // The merged timeline carries the text verbatim; its plan's filtergraph holds none of it.
  const preview = await req('POST', `/video/templates/${id}/merge`, { merge });
  assert.equal(preview.statusCode, 200, preview.body);
  assert.equal(preview.json().timeline.tracks[2].items[0].text, nasty);
  const dry = await req('POST', '/video/render/dry-run', {
    timeline: preview.json().timeline,
    profile: 'draft_360p',
  });
  assert.equal(dry.statusCode, 200, dry.body);
  const graph: string = dry.json().plan.filtergraph;
  assert.ok(!graph.includes('50%') && !graph.includes("it's") && !graph.includes('{a=b}'), graph);

  const file = await renderMerge(id, merge, 'nasty.mp4');
  const withText = brightCentre(file, 500);
  const plain = await renderMerge(id, { ...merge, TITLE: '.' }, 'dot.mp4');
  t.diagnostic(`bright centre pixels: metacharacter text ${withText}, a dot ${brightCentre(plain, 500)}`);
  // Two lines of 90 px text light far more of the centre than a single dot.
  assert.ok(
    withText > 1500 && withText > 10 * Math.max(1, brightCentre(plain, 500)),
    `${withText} bright pixels`,
  );
});
