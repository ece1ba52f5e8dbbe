// GET /video/preview/:project_id?profile=…: the preview has the render profile's aspect at preview size, so a
// 9:16 project's title sits where the final 1080x1920 render puts it (both compared at 360x640).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RequestContext } from '../../src/context.js';
import { readFrames } from '../../src/ffmpeg/frames.js';
import { prepareRender } from '../../src/render/prepare-render.js';
import { parseTimeline } from '../../src/timeline/index.js';
import { probeJson } from '../helpers/media.js';
import type { TestServices } from '../media/setup.js';
import { runPlan } from '../plan/helpers/plan-fixtures.js';
import { registerColours } from '../render/jobs-helpers.js';
import { auth, startTestServer, type TestServer } from './helpers.js';

let server: TestServer;
let ctx: RequestContext;
let projectId: string;
let sequence: unknown;

before(async () => {
  server = await startTestServer();
  ctx = { tenantId: 'ta', env: 'dev', requestId: 'req_preview_profile' };
  const [navy] = (await registerColours(server.services as TestServices, ctx, ['#101040'], 1000)) as [string];
  sequence = {
    id: 's1',
    tracks: [
      { id: 'v', kind: 'video', clips: [{ id: 'c', asset_id: navy, start_ms: 0, in_ms: 0, out_ms: 1000 }] },
      {
        id: 't',
        kind: 'text',
        items: [
          {
            id: 'title',
            start_ms: 0,
            duration_ms: 1000,
            text: 'TITLE',
            font: { family: 'DejaVu Sans', size: 120 },
            color: '#FFFFFF',
            position: { x: 0.3, y: 0.2 },
          },
        ],
      },
    ],
  };
  const project = await server.services.projects.createProject(ctx, {
    document: { name: 'vertical', sequences: [sequence as never] },
  });
  projectId = project.id;
});

after(async () => {
  await server.close();
});

/** Bounding box of the bright (title) pixels of a 360x640 gray frame. */
async function titleBox(file: string): Promise<{ x0: number; y0: number; x1: number; y1: number }> {
  for await (const frame of readFrames({
    path: file,
    width: 360,
    height: 640,
    pixFmt: 'gray',
    startMs: 500,
  })) {
    let x0 = Infinity;
    let y0 = Infinity;
    let x1 = -1;
    let y1 = -1;
    for (let y = 0; y < 640; y++)
      for (let x = 0; x < 360; x++)
        if (frame.data[y * 360 + x]! > 160) {
          x0 = Math.min(x0, x);
          y0 = Math.min(y0, y);
          x1 = Math.max(x1, x);
          y1 = Math.max(y1, y);
        }
    assert.ok(x1 >= 0, `${file}: no title pixels`);
    return { x0, y0, x1, y1 };
  }
  throw new Error(`${file}: no frame`);
}

test('a 9:16 preview (profile=social_1080x1920_h264) is 360x640 and has the title where the render has it', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'cutroom-preview-profile-'));
  try {
    const res = await server.app.inject({
      method: 'GET',
      url: `/video/preview/${projectId}?sequence_id=s1&start_ms=0&duration_ms=1000&profile=social_1080x1920_h264`,
      headers: auth(server.keyA, 'dev'),
    });
    assert.equal(res.statusCode, 200, res.body);
    const preview = join(dir, 'preview.mp4');
    await writeFile(preview, res.rawPayload);
    const v = (await probeJson(preview)).streams.find((s) => s.codec_type === 'video')!;
    assert.deepEqual([v.width, v.height], [360, 640]);

    // The final render of the same sequence with the vertical profile.
    const prepared = await prepareRender({
      services: server.services,
      ctx,
      timeline: parseTimeline(sequence),
      profile: 'social_1080x1920_h264',
      workDir: dir,
    });
    const final = join(dir, 'final.mp4');
    runPlan(prepared.plan, final);

    const a = await titleBox(preview);
    const b = await titleBox(final);
    const centre = (r: typeof a) => [(r.x0 + r.x1) / 2, (r.y0 + r.y1) / 2];
    const [ax, ay] = centre(a);
    const [bx, by] = centre(b);
    assert.ok(
      Math.abs(ax! - bx!) <= 3 && Math.abs(ay! - by!) <= 3,
      `title centre ${ax},${ay} vs ${bx},${by}`,
    );
    const w = (r: typeof a) => r.x1 - r.x0 + 1;
    const h = (r: typeof a) => r.y1 - r.y0 + 1;
    assert.ok(
      Math.abs(w(a) - w(b)) <= 4 && Math.abs(h(a) - h(b)) <= 4,
      `title ${w(a)}x${h(a)} vs ${w(b)}x${h(b)}`,
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('POST /video/preview takes the same profile: a posted 9:16 window is 360x640', async () => {
  const res = await server.app.inject({
    method: 'POST',
    url: '/video/preview',
    headers: auth(server.keyA, 'dev'),
    payload: { project_id: projectId, sequence_id: 's1', start_ms: 0, duration_ms: 300, profile: 'social_1080x1920_h264' },
  });
  assert.equal(res.statusCode, 200, res.body);
  const dir = await mkdtemp(join(tmpdir(), 'cutroom-preview-post-'));
  try {
    const file = join(dir, 'p.mp4');
    await writeFile(file, res.rawPayload);
    const v = (await probeJson(file)).streams.find((s) => s.codec_type === 'video')!;
    assert.deepEqual([v.width, v.height], [360, 640]);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('preview profile: default stays 640x360, an unknown profile is UNKNOWN_PROFILE', async () => {
  const res = await server.app.inject({
    method: 'GET',
    url: `/video/preview/${projectId}?sequence_id=s1&start_ms=0&duration_ms=300&profile=nope`,
    headers: auth(server.keyA, 'dev'),
  });
  assert.equal(res.statusCode, 400, res.body);
  assert.equal(res.json().error.code, 'UNKNOWN_PROFILE');
  const dflt = await server.app.inject({
    method: 'GET',
    url: `/video/preview/${projectId}?sequence_id=s1&start_ms=0&duration_ms=300`,
    headers: auth(server.keyA, 'dev'),
  });
  assert.equal(dflt.statusCode, 200, dflt.body);
  const dir = await mkdtemp(join(tmpdir(), 'cutroom-preview-default-'));
  try {
    const file = join(dir, 'p.mp4');
    await writeFile(file, dflt.rawPayload);
    const v = (await probeJson(file)).streams.find((s) => s.codec_type === 'video')!;
    assert.deepEqual([v.width, v.height], [640, 360]);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
