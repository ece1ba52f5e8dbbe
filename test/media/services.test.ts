import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { isCutroomError } from '../../src/errors.js';
import {
  createServices,
  DEFAULT_MAX_UPLOAD_BYTES,
  servicesOptionsFromEnv,
} from '../../src/media/services.js';

test('config from the environment: data dir, database URL, upload limit (default 2 GiB)', () => {
  assert.deepEqual(servicesOptionsFromEnv({}), { dataDir: './.cutroom' });
  assert.deepEqual(
    servicesOptionsFromEnv({
      CUTROOM_DATA_DIR: '/srv/cutroom',
      CUTROOM_DATABASE_URL: 'postgres://db/cutroom',
      CUTROOM_MAX_UPLOAD_BYTES: '1048576',
    }),
    { dataDir: '/srv/cutroom', databaseUrl: 'postgres://db/cutroom', maxUploadBytes: 1048576 },
  );
  assert.equal(DEFAULT_MAX_UPLOAD_BYTES, 2 * 1024 * 1024 * 1024);
  for (const bad of ['0', '-1', '1.5', 'lots', '1e400'])
    assert.throws(
      () => servicesOptionsFromEnv({ CUTROOM_MAX_UPLOAD_BYTES: bad }),
      (e) => isCutroomError(e, 'VALIDATION_FAILED'),
      bad,
    );
});

test('createServices wires a local store and SQLite under the data dir; close is idempotent', async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'cutroom-svc-'));
  try {
    const s = await createServices({ dataDir, maxUploadBytes: 1234 });
    assert.equal(s.config.dataDir, resolve(dataDir));
    assert.equal(s.config.dialect, 'sqlite');
    assert.equal(s.config.maxUploadBytes, 1234);
    assert.equal(s.store.kind, 'local');
    const r = await s.tenants.ensureLocalTenant();
    assert.equal(r.created, true);
    await s.store.put('tenants/local/dev/media_v2/ast_aaaaaaaaaaaaaaaaaaaa/x.bin', Buffer.from('x'));
    assert.ok(
      (
        await stat(join(dataDir, 'objects/tenants/local/dev/media_v2/ast_aaaaaaaaaaaaaaaaaaaa/x.bin'))
      ).isFile(),
    );
    assert.ok((await stat(join(dataDir, 'cutroom.sqlite'))).isFile());
    await s.close();
    await s.close();
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
});
