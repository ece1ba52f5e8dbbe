// Unknown keys are errors with a "did you mean" and the full path; renamed keys are accepted with a warning.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { z } from 'zod';
import {
  ProjectSchema,
  TimelineSchema,
  editDistance,
  parseTimeline,
  renamedKeys,
  safeParseStrict,
  suggestKey,
} from '../../src/timeline/index.js';
import { isCutroomError } from '../../src/errors.js';

function issuesOf(fn: () => unknown): Array<{ path: string; message: string }> {
  try {
    fn();
  } catch (err) {
    assert.ok(isCutroomError(err, 'VALIDATION_FAILED'), String(err));
    return err.details.issues as Array<{ path: string; message: string }>;
  }
  assert.fail('expected VALIDATION_FAILED');
}

const clip = { id: 'a', asset_id: 'ast_1', start_ms: 0, out_ms: 1000 };

test('edit distance counts a transposition as one edit', () => {
  assert.equal(editDistance('trakcs', 'tracks'), 1);
  assert.equal(editDistance('volum', 'volume'), 1);
  assert.equal(editDistance('abc', 'abc'), 0);
  assert.equal(suggestKey('zzzzzz', ['tracks', 'volume']), undefined);
});

test('typos at every level are errors with the full path and a suggestion', () => {
  const issues = issuesOf(() =>
    parseTimeline({
      trakcs: [],
      tracks: [
        {
          id: 'v',
          kind: 'video',
          clips: [{ ...clip, volum: 0.5, opacty: 0.3, transform: { scael: 2 } }],
        },
        {
          id: 't',
          kind: 'text',
          items: [{ id: 'x', start_ms: 0, durration_ms: 500, duration_ms: 500, text: 'hi', motion: 'pop' }],
        },
      ],
    }),
  );
  const byPath = new Map(issues.map((i) => [i.path, i.message]));
  assert.match(byPath.get('trakcs') ?? '', /did you mean "tracks"/);
  assert.match(byPath.get('tracks[0].clips[0].volum') ?? '', /did you mean "volume"/);
  assert.match(byPath.get('tracks[0].clips[0].opacty') ?? '', /did you mean "opacity"/);
  assert.match(byPath.get('tracks[0].clips[0].transform.scael') ?? '', /did you mean "scale"/);
  assert.match(byPath.get('tracks[1].items[0].durration_ms') ?? '', /did you mean "duration_ms"/);
  assert.match(byPath.get('tracks[1].items[0].motion') ?? '', /unknown key "motion"/);
  assert.equal(issues.length, 6, JSON.stringify(issues));
});

test('unknown keys inside unions (stabilise object, position object) and projects are found', () => {
  const issues = issuesOf(() =>
    parseTimeline({
      tracks: [
        { id: 'v', kind: 'video', clips: [{ ...clip, stabilise: { smothing: 20 } }] },
        {
          id: 't',
          kind: 'text',
          items: [{ id: 'x', start_ms: 0, duration_ms: 500, text: 'hi', position: { x: 0.5, y: 0.5, z: 1 } }],
        },
      ],
    }),
  );
  assert.deepEqual(issues.map((i) => i.path).sort(), [
    'tracks[0].clips[0].stabilise.smothing',
    'tracks[1].items[0].position.z',
  ]);
  const r = safeParseStrict(ProjectSchema, {
    name: 'p',
    sequences: [{ id: 'main', tracks: [], backgroud: '#000000' }],
  });
  assert.equal(r.success, false);
  assert.match(JSON.stringify(r), /sequences\[0\]\.backgroud.*did you mean \\"background\\"/);
});

test('a valid timeline still parses and free-form records (filter params) stay free-form', () => {
  const t = parseTimeline({
    tracks: [
      {
        id: 'v',
        kind: 'video',
        clips: [{ ...clip, filters: [{ type: 'brightness', params: { anything: 1 } }] }],
      },
    ],
  });
  assert.equal(t.tracks.length, 1);
  assert.equal(
    TimelineSchema.safeParse({ trakcs: [] }).success,
    true,
    'zod alone strips (why this walker exists)',
  );
});

test('a renamed key is accepted with a DEPRECATED_FIELD warning and its value moves to the new name', () => {
  const Schema = renamedKeys(z.object({ duration_ms: z.int() }), { length_ms: 'duration_ms' });
  const r = safeParseStrict(z.object({ items: z.array(Schema) }), { items: [{ length_ms: 40 }] });
  assert.ok(r.success);
  assert.deepEqual(r.data, { items: [{ duration_ms: 40 }] });
  assert.deepEqual(
    r.warnings.map((w) => [w.code, w.path]),
    [['DEPRECATED_FIELD', 'items[0].length_ms']],
  );
});
