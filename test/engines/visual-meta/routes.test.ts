// The analysis routes through the real app: visual meta (shot list) and audio semantic timeline, cached, tenant-walled.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { text } from 'node:stream/consumers';
import { audioOnly } from '../../helpers/media.js';
import { auth, startTestServer, type TestServer } from '../../http/helpers.js';
import { buildCutEdit } from './fixtures.js';

let s: TestServer;
let editId: string;
let cutFrame: number;
let toneId: string;
const ctxA = { tenantId: 'ta', env: 'dev', requestId: 't' };

before(async () => {
  s = await startTestServer();
  const edit = await buildCutEdit({
    name: 'route-cut',
    segments: [
      { src: 'testsrc2=s=320x240:r=25:d=2', lavfi: true, startFrame: 0, frames: 30 },
      { src: 'mandelbrot=s=320x240:r=25', lavfi: true, startFrame: 0, frames: 30 },
    ],
  });
  cutFrame = edit.cuts[0]!;
  editId = (await s.services.assets.registerAsset(ctxA, { source: { path: edit.path } })).asset.id;
  toneId = (
    await s.services.assets.registerAsset(ctxA, {
      source: { path: await audioOnly({ toneHz: 440, durationMs: 3000 }) },
    })
  ).asset.id;
});
after(async () => s.close());

function post(url: string, payload: object, key = s.keyA) {
  return s.app.inject({ method: 'POST', url, headers: auth(key, 'dev'), payload });
}

test('visual meta finds the cut at its frame, and a second call is served from the cache', async () => {
  const first = await post('/video/visual-meta/analyze', { asset_id: editId, frame_sample_interval_ms: 200 });
  assert.equal(first.statusCode, 200, first.body);
  const body = first.json();
  assert.equal(body.shot_list.kind, 'video_shot_list');
  assert.equal(body.visual_meta.meta.frame_sample_interval_ms, 200);
  const { stream } = await s.services.artifacts.artifactContent(ctxA, body.shot_list.id);
  const shots = JSON.parse(await text(stream));
  assert.deepEqual(shots.cuts, [cutFrame]);
  const again = await post('/video/visual-meta/analyze', { asset_id: editId, frame_sample_interval_ms: 200 });
  assert.deepEqual(again.json().cached, { visualMeta: true, shotList: true });
  assert.equal(again.json().shot_list.id, body.shot_list.id);
});

test('audio semantic analysis of a steady tone finds no speech', async () => {
  const res = await post('/video/audio-semantic/analyze', { asset_id: toneId });
  assert.equal(res.statusCode, 200, res.body);
  const { artifact } = res.json();
  assert.equal(artifact.kind, 'audio_semantic_timeline');
  const { stream } = await s.services.artifacts.artifactContent(ctxA, artifact.id);
  const timeline = JSON.parse(await text(stream));
  assert.equal(timeline.windows.filter((w: { kind: string }) => w.kind === 'speech').length, 0);
  assert.ok(timeline.integrated_lufs < -3 && timeline.integrated_lufs > -40);
});

test("another tenant's asset is not found by the analysis routes", async () => {
  for (const url of ['/video/visual-meta/analyze', '/video/audio-semantic/analyze']) {
    const res = await post(url, { asset_id: editId }, s.keyB);
    assert.equal(res.statusCode, 404, url);
    assert.equal(res.json().error.code, 'ASSET_NOT_FOUND');
  }
});
