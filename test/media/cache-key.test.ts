import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { isCutroomError } from '../../src/errors.js';
import { cacheKey, canonicalJson } from '../../src/media/cache-key.js';

const base = {
  tenantId: 'acme',
  env: 'dev',
  contentHash: 'ab'.repeat(32),
  kind: 'visual_meta',
  params: { sample_ms: 500, opts: { z: [1, 2.5, 'x'], a: true }, lang: null },
  backendVersion: 'visual-meta@1.2.0',
};

test('cacheKey = sha256 of the hand-written canonical JSON (sorted keys, no whitespace)', () => {
  // Written out by hand, independently of canonicalJson: top-level and nested keys sorted, arrays in order.
  const canonical =
    '{"backend_version":"visual-meta@1.2.0","content_hash":"' +
    'ab'.repeat(32) +
    '","env":"dev","kind":"visual_meta","params":{"lang":null,"opts":{"a":true,"z":[1,2.5,"x"]},"sample_ms":500},"tenant":"acme"}';
  const expected = createHash('sha256').update(canonical, 'utf8').digest('hex');
  assert.equal(cacheKey(base), expected);
  // The same digest computed outside node (`printf '%s' '<canonical>' | sha256sum`): pins the value across
  // machines and versions, so a change to the wrapper's field names is caught.
  assert.equal(cacheKey(base), '355e9ec23f80e5f4a320583c6f30a6fc6dc887ae176ab42bb99604d96a914437');
});

test('cacheKey ignores key order and undefined fields, and changes with every input', () => {
  const reordered = {
    ...base,
    params: { lang: null, opts: { a: true, z: [1, 2.5, 'x'] }, sample_ms: 500, unused: undefined },
  };
  assert.equal(cacheKey(reordered), cacheKey(base));
  const variants = [
    { ...base, tenantId: 'other' },
    { ...base, env: 'prod' },
    { ...base, contentHash: 'cd'.repeat(32) },
    { ...base, contentHash: null },
    { ...base, kind: 'video_shot_list' },
    { ...base, backendVersion: 'visual-meta@1.2.1' },
    { ...base, params: { ...base.params, sample_ms: 501 } },
    { ...base, params: { ...base.params, opts: { a: true, z: [2.5, 1, 'x'] } } },
  ];
  const keys = new Set([cacheKey(base), ...variants.map(cacheKey)]);
  assert.equal(keys.size, variants.length + 1);
});

test('canonicalJson: numbers as JSON prints them; non-JSON values are refused', () => {
  assert.equal(
    canonicalJson({ b: 0.1 + 0.2, a: -0, c: 1e21, d: 'é"\n' }),
    '{"a":0,"b":0.30000000000000004,"c":1e+21,"d":"é\\"\\n"}',
  );
  for (const bad of [{ x: NaN }, { x: Infinity }, { x: () => 1 }, { x: new Date(0) }, { x: 1n }])
    assert.throws(
      () => canonicalJson(bad),
      (e) => isCutroomError(e, 'INVALID_PARAM'),
    );
  assert.throws(
    () => canonicalJson({ a: { b: [0, NaN] } }),
    (e) => isCutroomError(e) && e.details.path === 'a.b[1]',
  );
});
