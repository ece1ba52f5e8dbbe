// Golden filter strings for every catalog filter (default + animated) and style preset, plus the validation
// policy: clamping with PARAM_CLAMPED, INVALID_PARAM listing every problem, UNKNOWN_FILTER with valid ids.
// Regenerate goldens with UPDATE_GOLDEN=1 and review the diff like code.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  compileFilterChain,
  type CompileFilterChainInput,
} from '../../../src/plan/filters/compile-filter-chain.js';
import { FILTER_DESCRIPTORS, filterTypes } from '../../../src/plan/filters/catalog.js';
import { isCutroomError } from '../../../src/errors.js';
import { filterCases, LUT_REF } from './cases.js';

const GOLDEN_DIR = join(dirname(fileURLToPath(import.meta.url)), 'golden');

function input(partial: Partial<CompileFilterChainInput>): CompileFilterChainInput {
  return {
    filters: [],
    automation: [],
    clipPath: 'tracks[0].clips[2]',
    width: 1920,
    height: 1080,
    fps: { num: 30, den: 1 },
    durationMs: 4000,
    // A path with characters the graph parser treats specially, to show the escaping in the goldens.
    luts: { [LUT_REF]: "/work/luts/teal: 'orange', v2.cube" },
    ...partial,
  };
}

test('golden chains for every catalog filter and style preset', () => {
  mkdirSync(GOLDEN_DIR, { recursive: true });
  const mismatches: string[] = [];
  for (const c of filterCases()) {
    const { chain } = compileFilterChain(input({ filters: c.filters, automation: c.automation }));
    const file = join(GOLDEN_DIR, `${c.name}.txt`);
    if (process.env.UPDATE_GOLDEN === '1' || !existsSync(file)) {
      if (process.env.UPDATE_GOLDEN !== '1')
        mismatches.push(`${c.name}: golden missing (run with UPDATE_GOLDEN=1)`);
      else writeFileSync(file, `${chain}\n`);
      continue;
    }
    const expected = readFileSync(file, 'utf8').replace(/\n$/, '');
    if (chain !== expected) mismatches.push(`${c.name}:\n  got      ${chain}\n  expected ${expected}`);
  }
  assert.deepEqual(mismatches, []);
});

test('same input gives the same chain byte for byte', () => {
  for (const c of filterCases()) {
    const a = compileFilterChain(input({ filters: c.filters, automation: c.automation }));
    const b = compileFilterChain(
      input({ filters: structuredClone(c.filters), automation: structuredClone(c.automation) }),
    );
    assert.equal(a.chain, b.chain, c.name);
  }
});

test('no filters -> empty chain', () => {
  assert.deepEqual(compileFilterChain(input({})), { chain: '', warnings: [] });
});

test('out-of-range values are clamped in the chain with a PARAM_CLAMPED warning carrying the full path', () => {
  const r = compileFilterChain(
    input({
      filters: [
        { type: 'contrast', params: {} },
        { type: 'brightness', params: { value: 3.5 } },
        { type: 'vignette', params: { strength: -2 } },
      ],
    }),
  );
  assert.equal(r.chain, 'eq=contrast=1,eq=brightness=1,vignette=angle=0');
  assert.deepEqual(
    r.warnings.map((w) => [w.code, w.path]),
    [
      ['PARAM_CLAMPED', 'tracks[0].clips[2].filters[1].params.value'],
      ['PARAM_CLAMPED', 'tracks[0].clips[2].filters[2].params.strength'],
    ],
  );
  assert.match(r.warnings[0]!.message, /3\.5 is outside \[-1, 1\]; clamped to 1/);
});

test('keyframe values are clamped too, each with its keyframe path', () => {
  const r = compileFilterChain(
    input({
      filters: [{ id: 'b', type: 'brightness', params: {} }],
      automation: [
        {
          param: 'filter:b.value',
          keyframes: [
            { t_ms: 0, value: 0, easing: 'linear' },
            { t_ms: 1000, value: 9, easing: 'linear' },
          ],
        },
      ],
    }),
  );
  assert.match(r.chain, /^eq=brightness=0\+1\*clip\(/);
  assert.deepEqual(
    r.warnings.map((w) => w.path),
    ['tracks[0].clips[2].automation[0].keyframes[1].value'],
  );
});

test('wrong types, unknown params and enum values -> one INVALID_PARAM listing every problem', () => {
  let caught: unknown;
  try {
    compileFilterChain(
      input({
        filters: [
          { type: 'brightness', params: { value: 'bright' } },
          { type: 'vignette', params: { strength: 0.5, radius: 3 } },
          { type: 'film_grain', params: { strength: 2.5, temporal: 'yes' } },
          { type: 'style', params: { preset: 'noir' } },
          { type: 'chroma_key', params: { color: 'green' } },
          { type: 'lut', params: { file: 'artifact:missing' } },
          { type: 'lut', params: {} },
        ],
      }),
    );
  } catch (err) {
    caught = err;
  }
  assert.ok(isCutroomError(caught, 'INVALID_PARAM'), String(caught));
  const issues = caught.details.issues as Array<{ path: string; message: string }>;
  assert.deepEqual(
    issues.map((i) => i.path),
    [
      'tracks[0].clips[2].filters[0].params.value',
      'tracks[0].clips[2].filters[1].params.radius',
      'tracks[0].clips[2].filters[2].params.strength',
      'tracks[0].clips[2].filters[2].params.temporal',
      'tracks[0].clips[2].filters[3].params.preset',
      'tracks[0].clips[2].filters[4].params.color',
      'tracks[0].clips[2].filters[5].params.file',
      'tracks[0].clips[2].filters[6].params.file',
    ],
  );
  assert.match(issues[4]!.message, /cinematic/);
});

test('automation of a non-animatable, unknown or unmatched filter param is INVALID_PARAM', () => {
  let caught: unknown;
  try {
    compileFilterChain(
      input({
        filters: [{ id: 'g', type: 'film_grain', params: {} }],
        automation: [
          { param: 'filter:g.strength', keyframes: [{ t_ms: 0, value: 1, easing: 'linear' }] },
          { param: 'filter:g.nope', keyframes: [{ t_ms: 0, value: 1, easing: 'linear' }] },
          { param: 'filter:other.value', keyframes: [{ t_ms: 0, value: 1, easing: 'linear' }] },
          { param: 'opacity', keyframes: [{ t_ms: 0, value: 1, easing: 'linear' }] },
        ],
      }),
    );
  } catch (err) {
    caught = err;
  }
  assert.ok(isCutroomError(caught, 'INVALID_PARAM'), String(caught));
  const issues = caught.details.issues as Array<{ path: string; message: string }>;
  assert.deepEqual(
    issues.map((i) => i.path),
    [
      'tracks[0].clips[2].automation[0].param',
      'tracks[0].clips[2].automation[1].param',
      'tracks[0].clips[2].automation[2].param',
    ],
  );
  assert.match(issues[0]!.message, /not animatable/);
});

test('unknown filter type -> UNKNOWN_FILTER with the valid ids and the path', () => {
  let caught: unknown;
  try {
    compileFilterChain(
      input({
        filters: [
          { type: 'brightness', params: {} },
          { type: 'glitter', params: {} },
        ],
      }),
    );
  } catch (err) {
    caught = err;
  }
  assert.ok(isCutroomError(caught, 'UNKNOWN_FILTER'), String(caught));
  assert.deepEqual(caught.details.valid, filterTypes());
  assert.equal(caught.details.path, 'tracks[0].clips[2].filters[1].type');
  assert.ok((caught.details.valid as string[]).includes('style'));
});

test('style intensity 0 gives neutral params; fade longer than the clip is clamped with a warning', () => {
  const zero = compileFilterChain(
    input({ filters: [{ type: 'style', params: { preset: 'punchy', intensity: 0 } }] }),
  );
  assert.equal(zero.chain, 'eq=contrast=1,eq=saturation=1,unsharp=lx=5:ly=5:la=0');
  const fade = compileFilterChain(
    input({ durationMs: 300, filters: [{ type: 'fade_out', params: { duration_ms: 1000 } }] }),
  );
  assert.equal(fade.chain, 'fade=t=out:st=0:d=0.3:color=0x000000');
  assert.deepEqual(
    fade.warnings.map((w) => [w.code, w.path]),
    [['PARAM_CLAMPED', 'tracks[0].clips[2].filters[0].params.duration_ms']],
  );
});

test('descriptors are well-formed: defaults inside ranges, neutral inside ranges, enums with values', () => {
  for (const d of FILTER_DESCRIPTORS) {
    for (const [name, p] of Object.entries(d.params)) {
      const where = `${d.type}.${name}`;
      assert.match(name, /^[a-z0-9_]+$/, where);
      if (typeof p.default === 'number') {
        assert.ok(p.min === undefined || p.default >= p.min, where);
        assert.ok(p.max === undefined || p.default <= p.max, where);
      }
      if (p.neutral !== undefined)
        assert.ok(p.neutral >= (p.min ?? -Infinity) && p.neutral <= (p.max ?? Infinity), where);
      if (p.type === 'enum') assert.ok((p.values ?? []).length > 0, where);
      if (p.animatable) assert.equal(p.type, 'number', where);
    }
  }
});
