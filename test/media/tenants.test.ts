import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ID_PATTERN } from '../../src/context.js';
import { isCutroomError } from '../../src/errors.js';
import { createServices } from '../../src/media/services.js';
import { dialects, makeServices } from './setup.js';

for (const dialect of await dialects()) {
  test(`[${dialect}] createApiKey returns the key once and stores only its sha256`, async () => {
    const s = await makeServices({ dialect });
    try {
      await s.tenants.createTenant({ id: 'acme', envs: ['dev', 'prod'] });
      const { key, info } = await s.tenants.createApiKey({ tenantId: 'acme', envs: ['dev'], label: 'ci' });
      assert.match(key, /^cr_[A-Za-z0-9_-]{43}$/);
      assert.equal(Buffer.from(key.slice(3), 'base64url').length, 32);
      const rows = await s.db.selectFrom('api_keys').selectAll().execute();
      assert.equal(rows.length, 1);
      assert.equal(rows[0]!.key_hash, createHash('sha256').update(key).digest('hex'));
      // No column of the row holds the plaintext (or its random part).
      for (const value of Object.values(rows[0]!)) {
        assert.ok(!String(value).includes(key.slice(3)), 'plaintext key found in the database row');
      }
      assert.deepEqual(info.envs, ['dev']);
      const listed = await s.tenants.listKeys('acme');
      assert.equal(listed.length, 1);
      assert.ok(!JSON.stringify(listed).includes(key.slice(3)));
      assert.ok(!('key_hash' in listed[0]!), 'listKeys must not expose the hash');
    } finally {
      await s.dispose();
    }
  });

  test(`[${dialect}] resolveApiKey: known → tenant/envs, unknown/malformed → null, revoked → null`, async () => {
    const s = await makeServices({ dialect });
    try {
      await s.tenants.createTenant({ id: 'acme' });
      await s.tenants.createTenant({ id: 'other' });
      const a = await s.tenants.createApiKey({ tenantId: 'acme', envs: ['prod'] });
      const b = await s.tenants.createApiKey({ tenantId: 'other' });
      assert.deepEqual(await s.tenants.resolveApiKey(a.key), {
        tenantId: 'acme',
        envs: ['prod'],
        keyId: a.info.id,
      });
      assert.deepEqual(await s.tenants.resolveApiKey(b.key), {
        tenantId: 'other',
        envs: ['dev', 'prod'],
        keyId: b.info.id,
      });
      const flipped = a.key.slice(0, -1) + (a.key.endsWith('A') ? 'B' : 'A');
      assert.equal(await s.tenants.resolveApiKey(flipped), null);
      for (const bad of ['', 'cr_', 'Bearer x', `${a.key} `, a.key.slice(3), "cr_' or 1=1 --"])
        assert.equal(await s.tenants.resolveApiKey(bad), null, bad);
      // Another tenant cannot revoke it.
      await assert.rejects(s.tenants.revokeKey({ keyId: a.info.id, tenantId: 'other' }), (e) =>
        isCutroomError(e, 'KEY_NOT_FOUND'),
      );
      assert.notEqual(await s.tenants.resolveApiKey(a.key), null);
      const revoked = await s.tenants.revokeKey({ keyId: a.info.id, tenantId: 'acme' });
      assert.ok(revoked.revoked_at);
      assert.equal(await s.tenants.resolveApiKey(a.key), null);
      assert.notEqual(await s.tenants.resolveApiKey(b.key), null);
      await assert.rejects(s.tenants.revokeKey({ keyId: 'key_nope' }), (e) =>
        isCutroomError(e, 'KEY_NOT_FOUND'),
      );
    } finally {
      await s.dispose();
    }
  });

  test(`[${dialect}] tenant and env ids are validated; key envs must belong to the tenant`, async () => {
    const s = await makeServices({ dialect });
    try {
      for (const id of ['', 'Acme', '../x', 'a b', 'x'.repeat(64), 't_unknown']) {
        await assert.rejects(
          s.tenants.createTenant({ id }),
          (e) => isCutroomError(e, 'VALIDATION_FAILED'),
          id,
        );
      }
      await assert.rejects(s.tenants.createTenant({ id: 'ok', envs: ['dev', 'Prod!'] }), (e) => {
        assert.ok(isCutroomError(e, 'VALIDATION_FAILED'));
        assert.deepEqual(
          (e.details.issues as { path: string }[]).map((i) => i.path),
          ['envs[1]'],
        );
        return true;
      });
      await s.tenants.createTenant({ id: 'ok', envs: ['dev'] });
      await assert.rejects(s.tenants.createTenant({ id: 'ok' }), (e) =>
        isCutroomError(e, 'VALIDATION_FAILED'),
      );
      await assert.rejects(s.tenants.createApiKey({ tenantId: 'ok', envs: ['prod'] }), (e) =>
        isCutroomError(e, 'VALIDATION_FAILED'),
      );
      await assert.rejects(s.tenants.createApiKey({ tenantId: 'nobody' }), (e) =>
        isCutroomError(e, 'UNKNOWN_TENANT'),
      );
    } finally {
      await s.dispose();
    }
  });

  test(`[${dialect}] ensureLocalTenant creates local(dev, prod) + a key once`, async () => {
    const s = await makeServices({ dialect });
    try {
      const first = await s.tenants.ensureLocalTenant();
      assert.equal(first.created, true);
      assert.equal(first.tenantId, 'local');
      assert.match(first.tenantId, ID_PATTERN);
      assert.ok(first.key);
      const resolved = await s.tenants.resolveApiKey(first.key);
      assert.equal(resolved?.tenantId, 'local');
      assert.deepEqual(resolved?.envs, ['dev', 'prod']);
      const second = await s.tenants.ensureLocalTenant();
      assert.deepEqual(second, { tenantId: 'local', created: false });
      assert.equal((await s.tenants.listKeys('local')).length, 1);
    } finally {
      await s.dispose();
    }
  });
}

test('[sqlite file] the plaintext key appears nowhere in the database files', async () => {
  const s = await makeServices();
  try {
    const { key } = (await s.tenants.ensureLocalTenant()) as { key: string };
    await s.close();
    const files = (await readdir(s.dataDir)).filter((f) => f.startsWith('cutroom.sqlite'));
    assert.ok(files.length >= 1);
    for (const f of files) {
      const bytes = await readFile(join(s.dataDir, f));
      assert.equal(bytes.indexOf(key.slice(3)), -1, `plaintext key in ${f}`);
      assert.equal(bytes.indexOf(key.slice(3, 20)), -1, `part of the plaintext key in ${f}`);
    }
    // Reopened: the key still resolves (and ensureLocalTenant does not create another one).
    const again = await makeServicesAt(s.dataDir);
    try {
      assert.equal((await again.tenants.resolveApiKey(key))?.tenantId, 'local');
      assert.equal((await again.tenants.ensureLocalTenant()).created, false);
    } finally {
      await again.close();
    }
  } finally {
    await s.dispose();
  }
});

function makeServicesAt(dataDir: string) {
  return createServices({ dataDir });
}
