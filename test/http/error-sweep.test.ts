// Every error code in src/errors.ts has an entry here: either a real request that provokes it through the API
// (real services, real ffprobe, real files) or the reason it is not provoked here (the API never answers it,
// or it needs a broken machine, a killed worker or real transcripts; where another test covers it, it says so). A code with
// no entry fails the test, so a new code needs one. Every provoked body must carry its code, the status of the
// registry, the request id, and none of the server's insides: the data dir, /tmp, /home, heap addresses
// (0x55d5…) or stack frames.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LightMyRequestResponse } from 'fastify';
import { ERRORS, type ErrorCode } from '../../src/errors.js';
import {
  TEST_MEDIA_DIR,
  audioOnly,
  emptyFile,
  testsrcClip,
  textRenamedMp4,
  truncatedMp4,
} from '../helpers/media.js';
import { buildApp } from '../../src/http/index.js';
import { engineRoutes } from '../../src/http/engine-routes.js';
import { createServices } from '../../src/media/services.js';
import { createRenderQueue } from '../../src/render/jobs/index.js';
import { auth, multipartBody } from './helpers.js';

interface SweepServer {
  app: Awaited<ReturnType<typeof buildApp>>;
  dataDir: string;
  keyA: string;
  keyB: string;
  keyADevOnly: string;
  close(): Promise<void>;
}

let s: SweepServer;
let roots: string;
let assetId: string;
let otherTenantAsset: string;
let audioAssetId: string;
let projectId: string;
let jobId: string;

const J = { 'content-type': 'application/json' };

interface Call {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  url: string;
  payload?: unknown;
  headers?: Record<string, string>;
  /** Default: tenant ta's key, env dev. */
  key?: string | null;
  env?: string;
}

function call(c: Call): Promise<LightMyRequestResponse> {
  const headers = {
    ...(c.key === null ? {} : auth(c.key ?? s.keyA, c.env ?? 'dev')),
    ...(c.payload !== undefined && !Buffer.isBuffer(c.payload) ? J : {}),
    ...c.headers,
  };
  return s.app.inject({
    method: c.method,
    url: c.url,
    headers,
    ...(c.payload !== undefined ? { payload: c.payload as string } : {}),
  });
}

async function upload(file: string, name: string): Promise<LightMyRequestResponse> {
  const mp = multipartBody({ filename: name, content: readFileSync(file) });
  return call({ method: 'POST', url: '/media-v2/assets', payload: mp.payload, headers: mp.headers });
}

const clipTimeline = (asset: string, extra: Record<string, unknown> = {}) => ({
  tracks: [
    {
      id: 'v',
      kind: 'video',
      clips: [{ id: 'c1', asset_id: asset, start_ms: 0, in_ms: 0, out_ms: 500, ...extra }],
    },
  ],
});

type Entry = { provoke: () => Promise<LightMyRequestResponse> } | { notProvoked: string };

const table: Record<ErrorCode, Entry> = {
  VALIDATION_FAILED: {
    provoke: () => call({ method: 'POST', url: '/video/timeline/validate', payload: { trakcs: [] } }),
  },
  INVALID_PATH: {
    provoke: () => call({ method: 'POST', url: '/media-v2/assets', payload: { path: '/etc/passwd' } }),
  },
  INVALID_STORAGE_KEY: {
    notProvoked: 'keys are built by the server from ids; no route takes a storage key from a client',
  },
  UNKNOWN_TRANSITION: {
    provoke: () =>
      call({
        method: 'POST',
        url: '/video/render/dry-run',
        payload: {
          timeline: {
            tracks: [
              {
                id: 'v',
                kind: 'video',
                clips: [
                  { id: 'a', asset_id: assetId, start_ms: 0, in_ms: 0, out_ms: 500 },
                  { id: 'b', asset_id: assetId, start_ms: 500, in_ms: 0, out_ms: 500 },
                ],
                transitions: [
                  { id: 't', type: 'swirl', from_clip_id: 'a', to_clip_id: 'b', duration_ms: 200 },
                ],
              },
            ],
          },
        },
      }),
  },
  UNKNOWN_FILTER: {
    provoke: () =>
      call({
        method: 'POST',
        url: '/video/render/dry-run',
        payload: { timeline: clipTimeline(assetId, { filters: [{ type: 'sparkle' }] }) },
      }),
  },
  INVALID_PARAM: {
    provoke: () =>
      call({
        method: 'POST',
        url: '/video/focus/automation',
        payload: { asset_id: audioAssetId, aspect: '9:16', faces: 'none' },
      }),
  },
  UNKNOWN_PROFILE: {
    provoke: () =>
      call({
        method: 'POST',
        url: '/video/render/dry-run',
        payload: { timeline: clipTimeline(assetId), profile: 'imax_70mm' },
      }),
  },
  FONT_NOT_FOUND: {
    provoke: () =>
      call({
        method: 'POST',
        url: '/video/render/dry-run',
        payload: {
          timeline: {
            tracks: [
              ...clipTimeline(assetId).tracks,
              {
                id: 't',
                kind: 'text',
                items: [
                  {
                    id: 'x',
                    start_ms: 0,
                    duration_ms: 500,
                    text: 'hi',
                    font: { family: 'No Such Font Family 42' },
                  },
                ],
              },
            ],
          },
        },
      }),
  },
  TIMELINE_INVALID: {
    provoke: () =>
      call({
        method: 'POST',
        url: '/video/render/dry-run',
        payload: {
          timeline: {
            tracks: [
              {
                id: 'v',
                kind: 'video',
                clips: [
                  { id: 'a', asset_id: assetId, start_ms: 0, in_ms: 0, out_ms: 500 },
                  { id: 'a', asset_id: assetId, start_ms: 200, in_ms: 0, out_ms: 500 },
                ],
              },
            ],
          },
        },
      }),
  },
  UNAUTHENTICATED: { provoke: () => call({ method: 'GET', url: '/media-v2/assets', key: null }) },
  UNKNOWN_TENANT: {
    notProvoked:
      'every API key belongs to a tenant; an unknown key is UNAUTHENTICATED before any tenant lookup',
  },
  ENV_NOT_ALLOWED: {
    provoke: () => call({ method: 'GET', url: '/media-v2/assets', key: s.keyADevOnly, env: 'prod' }),
  },
  TENANT_MISMATCH: {
    provoke: () =>
      call({
        method: 'POST',
        url: '/video/render/dry-run',
        payload: { tenant_id: 'tb', timeline: clipTimeline(assetId) },
      }),
  },
  ASSET_NOT_FOUND: { provoke: () => call({ method: 'GET', url: `/media-v2/assets/${otherTenantAsset}` }) },
  ARTIFACT_NOT_FOUND: { provoke: () => call({ method: 'GET', url: '/media-v2/artifacts/art_nope' }) },
  PROJECT_NOT_FOUND: { provoke: () => call({ method: 'GET', url: '/video/timeline/projects/prj_nope' }) },
  JOB_NOT_FOUND: { provoke: () => call({ method: 'GET', url: '/video/render/jobs/job_nope' }) },
  KEY_NOT_FOUND: { notProvoked: 'API keys are managed by the CLI (cutroom keys), not over HTTP' },
  ROUTE_NOT_FOUND: { provoke: () => call({ method: 'GET', url: '/video/no-such-route' }) },
  OBJECT_NOT_FOUND: {
    notProvoked:
      'a stored object missing under a registered artifact; needs the store edited behind the server',
  },
  VERSION_CONFLICT: {
    provoke: () =>
      call({
        method: 'PUT',
        url: `/video/timeline/projects/${projectId}`,
        payload: { version: 999, name: 'x', sequences: [] },
      }),
  },
  UNSUPPORTED_MEDIA: { provoke: async () => upload(await textRenamedMp4(), 'notes.mp4') },
  MEDIA_CORRUPT: { provoke: async () => upload(await truncatedMp4(), 'cut.mp4') },
  EMPTY_UPLOAD: { provoke: async () => upload(await emptyFile(), 'empty.mp4') },
  UNSUPPORTED_CONTENT_TYPE: {
    provoke: () =>
      call({
        method: 'POST',
        url: '/video/render/dry-run',
        payload: '<timeline/>',
        headers: { 'content-type': 'application/xml' },
      }),
  },
  RANGE_NOT_SATISFIABLE: {
    provoke: () =>
      call({
        method: 'GET',
        url: `/video/preview/${projectId}?start_ms=0&duration_ms=200`,
        headers: { range: 'bytes=999999999-' },
      }),
  },
  PAYLOAD_TOO_LARGE: {
    notProvoked: 'covered with a 100 kB upload limit in assets.test.ts; this server keeps the default limit',
  },
  ARTIFACT_META_INVALID: { notProvoked: 'artifact meta is written by the engines, never by a client' },
  JOB_PARAMS_MISMATCH: {
    provoke: () =>
      call({
        method: 'POST',
        url: '/video/render',
        payload: { job_id: jobId, timeline: clipTimeline(assetId, { out_ms: 400 }) },
      }),
  },
  ILLEGAL_JOB_TRANSITION: {
    notProvoked:
      'the routes only ask for transitions the state machine allows (cancel/resume answer idempotently)',
  },
  QUEUE_FULL: {
    // The queue holds one job per tenant and `before` queued one: a second, different job is refused.
    provoke: () =>
      call({
        method: 'POST',
        url: '/video/render',
        payload: { timeline: clipTimeline(assetId, { out_ms: 300 }) },
      }),
  },
  JOB_OUTPUT_NOT_READY: { provoke: () => call({ method: 'GET', url: `/video/render/jobs/${jobId}/output` }) },
  JOB_WORKER_LOST: {
    notProvoked: 'needs a worker process killed mid-job (test/render/render-job-faults.test.ts)',
  },
  FFMPEG_NOT_FOUND: { notProvoked: 'needs ffmpeg missing from the machine' },
  PROBE_FAILED: {
    notProvoked: 'ffprobe failing on a readable file is classified as UNSUPPORTED_MEDIA or MEDIA_CORRUPT',
  },
  DECODE_FAILED: { notProvoked: 'needs a file that probes but fails mid-decode in an engine' },
  RENDER_FAILED: { notProvoked: 'reported on the job (status failed), not as an error response' },
  RENDER_CANCELLED: { notProvoked: 'reported on the job (status cancelled), not as an error response' },
  SOURCE_MISSING: { notProvoked: "needs an asset's stored file deleted behind the server" },
  ENCODER_UNAVAILABLE: { notProvoked: 'needs CUTROOM_ENCODER forcing a hardware encoder this machine lacks' },
  STORE_FAILED: { notProvoked: 'needs a failing object store (disk full)' },
  CAPTIONS_MODEL_INVALID: {
    notProvoked: 'needs VIDEO_CAPTIONS_MODEL set to a bad file in the server environment',
  },
  CAPTIONS_BACKEND_UNKNOWN: { notProvoked: 'needs VIDEO_CAPTIONS_BACKEND set to an unknown name' },
  CAPTIONS_ASR_FAILED: { notProvoked: 'needs pocketsphinx to crash' },
  INTERCHANGE_FORMAT_UNKNOWN: {
    provoke: () =>
      call({ method: 'POST', url: '/video/interchange/import?format=betamax', payload: { text: 'x' } }),
  },
  INTERCHANGE_PARSE_FAILED: {
    provoke: () =>
      call({
        method: 'POST',
        url: '/video/interchange/import?format=editly',
        payload: { text: '{ not json' },
      }),
  },
  INTERCHANGE_UNSUPPORTED_VERSION: { notProvoked: 'covered per format in test/interchange' },
  INTERCHANGE_INVALID: {
    // A subtitle cue that ends before it starts.
    provoke: () =>
      call({
        method: 'POST',
        url: '/video/interchange/import?format=srt',
        payload: { text: '1\n00:00:05,000 --> 00:00:01,000\nhello\n' },
      }),
  },
  INTERCHANGE_MEDIA_UNMAPPED: {
    provoke: () =>
      call({
        method: 'POST',
        url: '/video/interchange/import?format=editly',
        payload: {
          text: JSON.stringify({
            clips: [{ duration: 1, layers: [{ type: 'video', path: 'holiday.mp4' }] }],
          }),
        },
      }),
  },
  INTERCHANGE_TOO_LARGE: { notProvoked: 'covered per format in test/interchange' },
  DEPENDENCY_MISSING: { notProvoked: 'needs a model or binary missing (whisper model, vidstab)' },
  CLI_USAGE: { notProvoked: 'command line only' },
  INTERNAL: { notProvoked: 'an unexpected exception; openapi.test.ts injects one' },
  EDIT_TARGET_NOT_FOUND: {
    notProvoked: 'edit ops run in the Studio and the CLI; no HTTP route applies them',
  },
  TRACK_LOCKED: { notProvoked: 'edit ops run in the Studio and the CLI; no HTTP route applies them' },
  EDIT_OVERLAP: { notProvoked: 'edit ops run in the Studio and the CLI; no HTTP route applies them' },
  EDIT_NOT_APPLICABLE: { notProvoked: 'edit ops run in the Studio and the CLI; no HTTP route applies them' },
  MEDIA_STREAM_MISSING: {
    provoke: () => call({ method: 'GET', url: `/media-v2/assets/${audioAssetId}/filmstrip` }),
  },
  TRANSCRIPT_EDIT_INVALID: { notProvoked: 'needs a real transcript artifact (test/engines/transcript-edit)' },
  EDIT_REMOVES_EVERYTHING: { notProvoked: 'needs a real transcript artifact (test/engines/transcript-edit)' },
  TRANSCRIPT_ASSET_MISMATCH: {
    notProvoked: 'needs a real transcript artifact (test/engines/transcript-edit)',
  },
  TRANSCRIPT_STUB_REFUSED: { notProvoked: 'needs a stub transcript artifact (test/engines/transcript-edit)' },
  EDIT_SEQUENCE_INVALID: { notProvoked: 'needs a registered sequence with transcripts (test/engines/transcript-edit/sequence.test.ts)' },
  UNKNOWN_MOTION_PRESET: {
    provoke: () =>
      call({
        method: 'POST',
        url: '/video/render/dry-run',
        payload: { timeline: clipTimeline(assetId, { motion: { preset: 'barrel_roll' } }) },
      }),
  },
  OUTPUT_FORMAT_MISMATCH: {
    provoke: () =>
      call({
        method: 'POST',
        url: '/video/render',
        payload: { timeline: clipTimeline(assetId), output: 'clip.gif', output_options: { format: 'mp4' } },
      }),
  },
  TEMPLATE_NOT_FOUND: { provoke: () => call({ method: 'GET', url: '/video/templates/tpl_nothing_here' }) },
  TEMPLATE_INVALID: {
    provoke: () =>
      call({
        method: 'POST',
        url: '/video/templates',
        payload: { name: 'unused field', fields: { NOPE: { type: 'number' } }, timeline: clipTimeline(assetId) },
      }),
  },
  TEMPLATE_MERGE_INVALID: { notProvoked: 'needs a stored template with fields (test/http/templates.test.ts)' },
  WEBHOOK_URL_INVALID: {
    provoke: () =>
      call({ method: 'POST', url: '/video/render', payload: { timeline: clipTimeline(assetId), callback_url: 'ftp://example.com/hook' } }),
  },
  WEBHOOK_ADDRESS_FORBIDDEN: {
    provoke: () =>
      call({ method: 'POST', url: '/video/render', payload: { timeline: clipTimeline(assetId), callback_url: 'http://127.0.0.1:9/hook' } }),
  },
};

before(async () => {
  // The import root is the client's own name (error messages show it): keep it out of /tmp, which must not show.
  mkdirSync(TEST_MEDIA_DIR, { recursive: true });
  roots = mkdtempSync(join(TEST_MEDIA_DIR, 'sweep-roots-'));
  mkdirSync(join(roots, 'allowed'));
  const dataDir = mkdtempSync(join(tmpdir(), 'cutroom-sweep-'));
  const services = await createServices({ dataDir });
  await services.tenants.createTenant({ id: 'ta', envs: ['dev', 'prod'] });
  await services.tenants.createTenant({ id: 'tb', envs: ['dev', 'prod'] });
  // No worker (start: false) and room for one queued job per tenant: jobs stay queued, the next is refused.
  const queue = await createRenderQueue({
    services,
    start: false,
    queue: { concurrency: 1, pollMs: 50, maxQueuedPerTenant: 1 },
  });
  const app = await buildApp({
    services,
    extraRoutes: engineRoutes({ queue }),
    config: { importRoots: [join(roots, 'allowed')] },
  });
  await app.ready();
  s = {
    app,
    dataDir,
    keyA: (await services.tenants.createApiKey({ tenantId: 'ta' })).key,
    keyB: (await services.tenants.createApiKey({ tenantId: 'tb' })).key,
    keyADevOnly: (await services.tenants.createApiKey({ tenantId: 'ta', envs: ['dev'] })).key,
    close: async () => {
      await app.close();
      await queue.close();
      await services.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  const clip = await testsrcClip({ durationMs: 1000 });
  copyFileSync(clip, join(roots, 'allowed', 'clip.mp4'));
  const a = await call({
    method: 'POST',
    url: '/media-v2/assets',
    payload: { path: join(roots, 'allowed', 'clip.mp4') },
  });
  assert.equal(a.statusCode, 201, a.body);
  assetId = a.json().asset.id;
  const sound = await upload(await audioOnly({ durationMs: 1000 }), 'tone.wav');
  assert.equal(sound.statusCode, 201, sound.body);
  audioAssetId = sound.json().asset.id;
  const b = await call({
    method: 'POST',
    url: '/media-v2/assets',
    payload: { path: join(roots, 'allowed', 'clip.mp4') },
    key: s.keyB,
  });
  assert.equal(b.statusCode, 201, b.body);
  otherTenantAsset = b.json().asset.id;
  const p = await call({
    method: 'POST',
    url: '/video/timeline/projects',
    payload: { name: 'sweep', sequences: [{ id: 'main', ...clipTimeline(assetId) }] },
  });
  assert.equal(p.statusCode, 201, p.body);
  projectId = p.json().id ?? p.json().project?.id;
  // A job that stays queued (this server runs no worker): its output is not ready.
  const j = await call({
    method: 'POST',
    url: '/video/render',
    payload: { job_id: 'job_sweep_1', timeline: clipTimeline(assetId) },
  });
  assert.ok(j.statusCode === 202 || j.statusCode === 201, j.body);
  jobId = j.json().id ?? j.json().job?.id;
});

after(async () => {
  await s.close();
  rmSync(roots, { recursive: true, force: true });
});

test('every error code has an entry in the sweep table', () => {
  const missing = Object.keys(ERRORS).filter((c) => !Object.hasOwn(table, c));
  assert.deepEqual(
    missing,
    [],
    'add a way to provoke these codes (or the reason the API cannot) to the table',
  );
});

test('every provokable error answers its code and status with the request id and no server internals', async (t) => {
  const leaks: string[] = [];
  const undocumented: string[] = [];
  let provoked = 0;
  // The route's OpenAPI operation must list every code it was seen to answer (x-error-codes, and a response
  // for its status): a client generated from /openapi.json knows what to expect.
  const openapi = (await call({ method: 'GET', url: '/openapi.json', key: null })).json() as {
    paths: Record<string, Record<string, { 'x-error-codes'?: string[]; responses: Record<string, unknown> }>>;
  };
  const operations = Object.entries(openapi.paths).flatMap(([template, ops]) =>
    Object.entries(ops).map(([method, op]) => ({
      method: method.toUpperCase(),
      re: new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\\{[^/]+?\\\}|\{[^/]+?\}/g, '[^/]+')}$`),
      template,
      op,
    })),
  );
  for (const [code, entry] of Object.entries(table) as Array<[ErrorCode, Entry]>) {
    if (!('provoke' in entry)) continue;
    const res = await entry.provoke();
    provoked++;
    // The import roots are the operator's published names (INVALID_PATH lists them on purpose), wherever the
    // checkout lives, /tmp included: take them out before looking for server paths.
    const body = res.body.split(join(roots, 'allowed')).join('<import root>');
    const req = res.raw.req as { method?: string; url?: string };
    const path = (req.url ?? '').split('?')[0]!;
    const matches = operations.filter((o) => o.method === req.method && o.re.test(path));
    // Prefer a literal path over a templated one (/video/templates vs /video/templates/{id}).
    const op = matches.sort((a, b) => (a.template.includes('{') ? 1 : 0) - (b.template.includes('{') ? 1 : 0))[0];
    if (op && !(op.op['x-error-codes'] ?? []).includes(code))
      undocumented.push(`${code} from ${req.method} ${op.template}`);
    if (op && !op.op.responses[String(ERRORS[code].status)])
      undocumented.push(`${ERRORS[code].status} (${code}) from ${req.method} ${op.template} has no response`);
    assert.equal(res.statusCode, ERRORS[code].status, `${code}: ${res.statusCode} ${body}`);
    const env = res.json() as { error: { code: string; message: string; details?: Record<string, unknown> } };
    assert.equal(env.error.code, code, `${code}: got ${body}`);
    const requestId = env.error.details?.request_id;
    assert.equal(typeof requestId, 'string', `${code}: no request id in ${body}`);
    if (res.headers['x-request-id'] !== undefined) assert.equal(res.headers['x-request-id'], requestId, code);
    for (const [what, re] of [
      ['the data dir', new RegExp(s.dataDir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))],
      ['/tmp', /\/tmp\b/],
      ['/home', /\/home\b/],
      ['a heap address', /\b0x[0-9a-fA-F]{4,}\b/],
      ['a stack frame', /\bat [^\s]+ \(|\bat (file|node):|\.(ts|js):\d+:\d+/],
    ] as const) {
      if (re.test(body))
        leaks.push(
          `${code} leaks ${what}: ${body.slice(Math.max(0, (re.exec(body)?.index ?? 0) - 150), 400)}`,
        );
    }
  }
  t.diagnostic(`${provoked} of ${Object.keys(ERRORS).length} codes provoked over HTTP`);
  assert.deepEqual(leaks, []);
  assert.deepEqual(undocumented, [], 'the OpenAPI operation does not list an error it answers');
});
