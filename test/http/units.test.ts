// Small pure pieces of the HTTP layer: API key → context edge cases, Range parsing, request ids.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isCutroomError } from '../../src/errors.js';
import { authenticate } from '../../src/http/authenticate.js';
import { parseRange } from '../../src/http/parse-range.js';
import { requestIdFor } from '../../src/http/request-id.js';
import type { ResolvedApiKey, Tenant } from '../../src/media/tenants.js';

function tenantsWith(resolved: ResolvedApiKey | null, tenant: Tenant | null) {
  return {
    resolveApiKey: async () => resolved,
    getTenant: async () => tenant,
  };
}

const T: Tenant = { id: 'ta', name: 'ta', envs: ['dev', 'prod'], created_at: '' };

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'ok';
  } catch (err) {
    assert.ok(isCutroomError(err), String(err));
    return err.code;
  }
}

test('a key whose tenant is t_unknown, unsafe or gone is refused; envs come from the key', async () => {
  const base = { authorization: 'Bearer k', xEnv: undefined, requestId: 'r' };
  assert.equal(
    await codeOf(
      authenticate({
        ...base,
        tenants: tenantsWith({ tenantId: 't_unknown', envs: ['dev'], keyId: 'key_a' }, T),
      }),
    ),
    'UNKNOWN_TENANT',
  );
  assert.equal(
    await codeOf(
      authenticate({ ...base, tenants: tenantsWith({ tenantId: '../x', envs: ['dev'], keyId: 'key_a' }, T) }),
    ),
    'UNKNOWN_TENANT',
  );
  assert.equal(
    await codeOf(
      authenticate({
        ...base,
        tenants: tenantsWith({ tenantId: 'ta', envs: ['dev'], keyId: 'key_a' }, null),
      }),
    ),
    'UNKNOWN_TENANT',
  );
  assert.equal(await codeOf(authenticate({ ...base, tenants: tenantsWith(null, T) })), 'UNAUTHENTICATED');
  assert.equal(
    await codeOf(
      authenticate({ ...base, tenants: tenantsWith({ tenantId: 'ta', envs: [], keyId: 'key_a' }, T) }),
    ),
    'ENV_NOT_ALLOWED',
  );
  const ctx = await authenticate({
    ...base,
    xEnv: 'prod',
    tenants: tenantsWith({ tenantId: 'ta', envs: ['dev', 'prod'], keyId: 'key_a' }, T),
  });
  assert.deepEqual(ctx, { tenantId: 'ta', env: 'prod', requestId: 'r' });
});

test('parseRange: single ranges, suffixes, open ends, and what is ignored or unsatisfiable', () => {
  assert.deepEqual(parseRange({ header: 'bytes=0-9', size: 100 }), { start: 0, end: 9 });
  assert.deepEqual(parseRange({ header: 'bytes=90-', size: 100 }), { start: 90, end: 99 });
  assert.deepEqual(parseRange({ header: 'bytes=90-500', size: 100 }), { start: 90, end: 99 });
  assert.deepEqual(parseRange({ header: 'bytes=-10', size: 100 }), { start: 90, end: 99 });
  assert.deepEqual(parseRange({ header: 'bytes=-500', size: 100 }), { start: 0, end: 99 });
  assert.equal(parseRange({ header: undefined, size: 100 }), null);
  assert.equal(parseRange({ header: 'bytes=0-1,5-6', size: 100 }), null);
  assert.equal(parseRange({ header: 'items=0-1', size: 100 }), null);
  assert.equal(parseRange({ header: 'bytes=9-1', size: 100 }), null);
  assert.equal(parseRange({ header: 'bytes=100-', size: 100 }), 'unsatisfiable');
  assert.equal(parseRange({ header: 'bytes=-0', size: 100 }), 'unsatisfiable');
  assert.equal(parseRange({ header: 'bytes=0-', size: 0 }), 'unsatisfiable');
});

test('requestIdFor keeps safe ids and replaces anything else', () => {
  assert.equal(requestIdFor({ header: 'abc-123:x.y_z' }), 'abc-123:x.y_z');
  assert.equal(requestIdFor({ header: ['first', 'second'] }), 'first');
  for (const bad of ['', 'a b', 'x'.repeat(129), 'a\nb', '<script>'])
    assert.match(requestIdFor({ header: bad }), /^[0-9a-f]{8}-[0-9a-f]{4}-/);
});
