// POST /media-v2/assets with a font file: the same multipart route registers it as a font asset; broken fonts
// are coded errors that leave nothing stored; tenants stay walled.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { auth, multipartBody, startTestServer, type TestServer } from './helpers.js';

const LIBERATION_SERIF = '/usr/share/fonts/truetype/liberation/LiberationSerif-Regular.ttf';

let s: TestServer;

before(async () => {
  s = await startTestServer();
});

after(async () => {
  await s.close();
});

function upload(filename: string, content: Buffer, key = s.keyA) {
  const mp = multipartBody({ filename, content });
  return s.app.inject({
    method: 'POST',
    url: '/media-v2/assets',
    headers: { ...auth(key, 'dev'), ...mp.headers },
    payload: mp.payload,
  });
}

test('a .ttf uploads as a font asset with its family; GET returns it; another tenant gets 404', async () => {
  const res = await upload('MyBrand.ttf', readFileSync(LIBERATION_SERIF));
  assert.equal(res.statusCode, 201, res.body);
  const { asset } = res.json();
  assert.equal(asset.kind, 'font');
  assert.equal(asset.ext, 'ttf');
  assert.equal(asset.original_filename, 'MyBrand.ttf');
  assert.equal(asset.media_info.font.family, 'Liberation Serif');

  const got = await s.app.inject({
    method: 'GET',
    url: `/media-v2/assets/${asset.id}`,
    headers: auth(s.keyA, 'dev'),
  });
  assert.equal(got.statusCode, 200, got.body);
  assert.equal(got.json().kind, 'font');
  assert.equal(got.json().media_info.font.family, 'Liberation Serif');

  const foreign = await s.app.inject({
    method: 'GET',
    url: `/media-v2/assets/${asset.id}`,
    headers: auth(s.keyB, 'dev'),
  });
  assert.equal(foreign.statusCode, 404);
  assert.equal(foreign.json().error.code, 'ASSET_NOT_FOUND');
});

test('a truncated .ttf is 422 MEDIA_CORRUPT and nothing of tenant tb is stored', async () => {
  const bytes = readFileSync(LIBERATION_SERIF);
  const res = await upload('cut.ttf', bytes.subarray(0, 20_000), s.keyB);
  assert.equal(res.statusCode, 422, res.body);
  assert.equal(res.json().error.code, 'MEDIA_CORRUPT');
  assert.deepEqual(await s.services.store.list('tenants/tb/'), []);
});
