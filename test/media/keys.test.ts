import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isCutroomError } from '../../src/errors.js';
import { assertKeyInTenantPrefix, assetKey, tenantPrefix } from '../../src/media/keys.js';
import { sanitiseFilename } from '../../src/media/filename.js';

const ctx = { tenantId: 'acme', env: 'dev', requestId: 'r1' };
const ASSET = 'ast_abcdefghijklmnopqrst';

test('assetKey builds tenants/{tenant}/{env}/media_v2/{asset}/{name}, sub-folders allowed', () => {
  assert.equal(
    assetKey({ tenantId: 'acme', env: 'dev', assetId: ASSET, name: 'source.mp4' }),
    `tenants/acme/dev/media_v2/${ASSET}/source.mp4`,
  );
  assert.equal(
    assetKey({ tenantId: 'acme', env: 'prod', assetId: ASSET, name: 'regions/art_abcdefghijklmnopqrst.png' }),
    `tenants/acme/prod/media_v2/${ASSET}/regions/art_abcdefghijklmnopqrst.png`,
  );
  assert.equal(tenantPrefix(ctx), 'tenants/acme/dev/media_v2/');
});

test('assetKey refuses unsafe tenant, env, asset id or name', () => {
  const bad = [
    { tenantId: '../x', env: 'dev', assetId: ASSET, name: 'a' },
    { tenantId: 'acme', env: 'DEV', assetId: ASSET, name: 'a' },
    { tenantId: 'acme', env: 'dev', assetId: '../../other', name: 'a' },
    { tenantId: 'acme', env: 'dev', assetId: ASSET, name: '../../../../other/dev/media_v2/x/source.mp4' },
    { tenantId: 'acme', env: 'dev', assetId: ASSET, name: '/abs' },
    { tenantId: 'acme', env: 'dev', assetId: ASSET, name: 'a\u0000b' },
  ];
  for (const input of bad) {
    assert.throws(
      () => assetKey(input),
      (e) => isCutroomError(e, 'INVALID_STORAGE_KEY') || isCutroomError(e, 'INVALID_PATH'),
      JSON.stringify(input),
    );
  }
});

test('assertKeyInTenantPrefix accepts own keys and refuses anything outside the prefix', () => {
  assertKeyInTenantPrefix(ctx, `tenants/acme/dev/media_v2/${ASSET}/source.mp4`);
  assertKeyInTenantPrefix(ctx, `tenants/acme/dev/media_v2/${ASSET}/renders/job_x.mp4`, ASSET);
  const outside = [
    `tenants/other/dev/media_v2/${ASSET}/source.mp4`,
    `tenants/acme/prod/media_v2/${ASSET}/source.mp4`,
    `tenants/acme/dev/media_v1/${ASSET}/source.mp4`,
    `tenants/acme/dev/media_v2/${ASSET}/../../../../other/dev/media_v2/x/source.mp4`,
    `tenants/acme/dev/media_v2/`,
    `tenants/acme/dev/media_v2`,
    `tenants/acmex/dev/media_v2/${ASSET}/source.mp4`,
    `/tenants/acme/dev/media_v2/${ASSET}/source.mp4`,
    `tenants/acme/dev/media_v2/${ASSET}/a\u0000b`,
    'source.mp4',
  ];
  for (const key of outside)
    assert.throws(
      () => assertKeyInTenantPrefix(ctx, key),
      (e) => isCutroomError(e, 'INVALID_STORAGE_KEY'),
      key,
    );
  // With an asset id, another asset's folder of the same tenant is outside too.
  assert.throws(
    () => assertKeyInTenantPrefix(ctx, `tenants/acme/dev/media_v2/ast_zzzzzzzzzzzzzzzzzzzz/x.png`, ASSET),
    (e) => isCutroomError(e, 'INVALID_STORAGE_KEY'),
  );
});

test('sanitiseFilename keeps only a safe, lower-cased extension', () => {
  assert.deepEqual(sanitiseFilename({ filename: 'My Holiday.MP4' }), {
    original: 'My Holiday.MP4',
    ext: 'mp4',
  });
  assert.equal(sanitiseFilename({ filename: 'x.tar.gz' }).ext, 'bin');
  assert.equal(sanitiseFilename({ filename: 'noext' }).ext, 'bin');
  assert.equal(sanitiseFilename({ filename: '.png' }).ext, 'bin');
  assert.equal(sanitiseFilename({ filename: 'folder/clip.mov' }).ext, 'mov');
  for (const filename of [
    '../../etc/passwd',
    '/etc/passwd',
    'a\u0000b.mp4',
    'a\\b.mp4',
    'C:x.mp4',
    'a\nb.mp4',
    '',
  ])
    assert.throws(
      () => sanitiseFilename({ filename }),
      (e) => isCutroomError(e, 'INVALID_PATH'),
      filename,
    );
});
