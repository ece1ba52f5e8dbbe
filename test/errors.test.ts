// Every error code in src/errors.ts is documented in docs/ERRORS.md (fastify's habit).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { ERRORS, cutroomError, isCutroomError } from '../src/errors.js';

test('every error code is documented in docs/ERRORS.md', () => {
  const doc = readFileSync('docs/ERRORS.md', 'utf8');
  const missing = Object.keys(ERRORS).filter((code) => !doc.includes(`\`${code}\``));
  assert.deepEqual(missing, []);
});

test('cutroomError carries code, status and details', () => {
  const err = cutroomError('TENANT_MISMATCH', 'nope', { tenant: 'b' });
  assert.ok(isCutroomError(err, 'TENANT_MISMATCH'));
  assert.equal(err.status, 403);
  assert.deepEqual(err.toJSON(), { code: 'TENANT_MISMATCH', message: 'nope', details: { tenant: 'b' } });
});
