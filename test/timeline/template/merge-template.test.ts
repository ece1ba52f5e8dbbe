// Templates with {{NAME}} merge fields, pure: placeholders found and typed by where they stand, the template
// check (malformed, unused, ambiguous, wrong default, structure with samples), and merges refused field by field.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isCutroomError } from '../../../src/errors.js';
import {
  checkTemplate,
  findPlaceholders,
  mergeTemplate,
  TemplateDocSchema,
  type TemplateDoc,
} from '../../../src/timeline/template/index.js';

function doc(input: unknown): TemplateDoc {
  return TemplateDocSchema.parse(input);
}

const TIMELINE = {
  background: '{{BG}}',
  tracks: [
    {
      id: 'v',
      kind: 'video',
      clips: [{ id: 'c0', asset_id: '{{PHOTO}}', start_ms: 0, duration_ms: '{{DUR}}' }],
    },
    {
      id: 't',
      kind: 'text',
      items: [
        { id: 'title', start_ms: 0, duration_ms: '{{DUR}}', text: 'Hello {{NAME}}!', color: '{{INK}}' },
        { id: 'sub', start_ms: 0, duration_ms: 1000, text: '{{SUB}}', font: { size: '{{SIZE}}' } },
      ],
    },
  ],
};

const TEMPLATE = doc({ name: 'promo', fields: { SUB: { default: 'today only' } }, timeline: TIMELINE });

function refusal(
  fn: () => unknown,
  code: string,
): { fields?: string[]; issues: Array<{ path: string; message: string; field?: string }> } {
  try {
    fn();
  } catch (err) {
    assert.ok(isCutroomError(err), String(err));
    assert.equal(err.code, code, err.message);
    return err.details as {
      fields?: string[];
      issues: Array<{ path: string; message: string; field?: string }>;
    };
  }
  assert.fail(`expected ${code}`);
}

test('placeholders: whole strings and embedded ones, object keys ignored, malformed ones refused', () => {
  const uses = findPlaceholders({ a: '{{ X }}', b: ['x {{Y}} {{X}}'], '{{K}}': 1 });
  assert.deepEqual(
    uses.map((u) => [u.name, u.path, u.whole]),
    [
      ['X', 'a', true],
      ['Y', 'b[0]', false],
      ['X', 'b[0]', false],
    ],
  );
  for (const bad of ['{{NAME}', '{{first name}}', 'a {{', '{{1abc}}'])
    refusal(() => findPlaceholders({ text: bad }), 'TEMPLATE_INVALID');
});

test('field types are inferred from where they stand; declared types win', () => {
  const { fields } = checkTemplate(TEMPLATE);
  const types = Object.fromEntries(fields.map((f) => [f.name, f.type]));
  assert.deepEqual(types, {
    BG: 'color',
    DUR: 'number',
    INK: 'color',
    NAME: 'text',
    PHOTO: 'asset',
    SIZE: 'number',
    SUB: 'text',
  });
  assert.deepEqual(fields.find((f) => f.name === 'DUR')!.paths, [
    'timeline.tracks[0].clips[0].duration_ms',
    'timeline.tracks[1].items[0].duration_ms',
  ]);
  assert.equal(fields.find((f) => f.name === 'SUB')!.default, 'today only');
  // A placeholder where the guess is wrong (an enum wants a string, "number" is the fallback) is refused,
  // naming the field, until its type is declared.
  const anim = {
    tracks: [
      {
        id: 't',
        kind: 'text',
        items: [{ id: 'a', start_ms: 0, duration_ms: 500, text: 'x', animation: { in: '{{ANIM}}' } }],
      },
    ],
  };
  const d = refusal(() => checkTemplate(doc({ name: 'a', timeline: anim })), 'TEMPLATE_INVALID');
  assert.equal(d.issues[0]!.field, 'ANIM');
  assert.equal(d.issues[0]!.path, 'timeline.tracks[0].items[0].animation.in');
  const ok = checkTemplate(doc({ name: 'a', fields: { ANIM: { type: 'text' } }, timeline: anim }));
  assert.equal(ok.fields[0]!.type, 'text');
});

test('the template check: unused declarations, ambiguous fields, defaults of the wrong type, bad structure', () => {
  const unused = refusal(
    () => checkTemplate(doc({ name: 'x', fields: { GHOST: {} }, timeline: TIMELINE })),
    'TEMPLATE_INVALID',
  );
  assert.deepEqual(
    unused.issues.map((i) => i.field),
    ['GHOST'],
  );

  const twoTypes = { background: '{{X}}', duration_ms: '{{X}}' };
  assert.equal(
    refusal(() => checkTemplate(doc({ name: 'x', timeline: twoTypes })), 'TEMPLATE_INVALID').issues[0]!.field,
    'X',
  );

  const wrongDefault = refusal(
    () => checkTemplate(doc({ name: 'x', fields: { INK: { default: 'red' } }, timeline: TIMELINE })),
    'TEMPLATE_INVALID',
  );
  assert.equal(wrongDefault.issues[0]!.path, 'fields.INK.default');

  // Not a timeline once merged: a typo'd key is refused like in any timeline.
  const typo = {
    tracks: [
      { id: 'v', kind: 'video', clips: [{ id: 'c', asset_id: '{{A}}', start_ms: 0, durration_ms: 5 }] },
    ],
  };
  const t = refusal(() => checkTemplate(doc({ name: 'x', timeline: typo })), 'TEMPLATE_INVALID');
  assert.match(t.issues[0]!.message, /unknown key "durration_ms"; did you mean "duration_ms"/);

  // Sample values may be out of range where they stand (1 px font size < 4): excused, the merge is checked.
  assert.doesNotThrow(() => checkTemplate(TEMPLATE));
  // With every field defaulted, the defaults must make a consistent timeline.
  const overlap = {
    tracks: [
      {
        id: 'v',
        kind: 'video',
        clips: [
          { id: 'a', asset_id: 'x', start_ms: 0, duration_ms: '{{LEN}}' },
          { id: 'b', asset_id: 'x', start_ms: 1000, duration_ms: 1000 },
        ],
      },
    ],
  };
  const o = refusal(
    () => checkTemplate(doc({ name: 'x', fields: { LEN: { default: 5000 } }, timeline: overlap })),
    'TEMPLATE_INVALID',
  );
  assert.match(o.issues[0]!.message, /overlaps/);
});

const GOOD = { BG: '#102030', PHOTO: 'ast_photo', DUR: 2000, NAME: 'Ada', INK: '#FFCC00', SIZE: 48 };

test('a merge gives a timeline: typed values in place, text spliced, defaults used', () => {
  const out = mergeTemplate({ template: TEMPLATE, merge: GOOD });
  const t = out.timeline;
  assert.equal(t.background, '#102030');
  const video = t.tracks[0]!;
  assert.ok(video.kind === 'video');
  assert.equal(video.clips[0]!.asset_id, 'ast_photo');
  assert.equal(video.clips[0]!.duration_ms, 2000);
  const text = t.tracks[1]!;
  assert.ok(text.kind === 'text');
  assert.equal(text.items[0]!.text, 'Hello Ada!');
  assert.equal(text.items[0]!.color, '#FFCC00');
  assert.equal(text.items[1]!.text, 'today only');
  assert.equal(text.items[1]!.font.size, 48);
  assert.deepEqual(out.assets, [{ field: 'PHOTO', asset_id: 'ast_photo' }]);
  // Two merges, two timelines; the same merge, the same timeline.
  const other = mergeTemplate({ template: TEMPLATE, merge: { ...GOOD, DUR: 3000 } });
  assert.notDeepEqual(other.timeline, t);
  assert.deepEqual(mergeTemplate({ template: TEMPLATE, merge: GOOD }).timeline, t);
});

test('metacharacters and placeholders inside a text value stay literal text', () => {
  const nasty = "it's 50% off: a=b; [x],{y} \\ {{INK}}\nline two %{pts}";
  const out = mergeTemplate({ template: TEMPLATE, merge: { ...GOOD, SUB: nasty } });
  const text = out.timeline.tracks[1]!;
  assert.ok(text.kind === 'text');
  assert.equal(text.items[1]!.text, nasty);
  // A value that would be a placeholder is not expanded again.
  const again = mergeTemplate({ template: TEMPLATE, merge: { ...GOOD, NAME: '{{BG}}' } });
  const t2 = again.timeline.tracks[1]!;
  assert.ok(t2.kind === 'text');
  assert.equal(t2.items[0]!.text, 'Hello {{BG}}!');
});

test('a bad merge is refused naming each field: missing, unknown, wrong type, refused where it lands', () => {
  const { PHOTO: _p, ...missing } = GOOD;
  let d = refusal(() => mergeTemplate({ template: TEMPLATE, merge: missing }), 'TEMPLATE_MERGE_INVALID');
  assert.deepEqual(d.fields, ['PHOTO']);
  assert.equal(d.issues[0]!.path, 'merge.PHOTO');
  assert.match(d.issues[0]!.message, /required/);

  d = refusal(
    () => mergeTemplate({ template: TEMPLATE, merge: { ...GOOD, COLOUR: '#000000' } }),
    'TEMPLATE_MERGE_INVALID',
  );
  assert.deepEqual(d.fields, ['COLOUR']);

  d = refusal(
    () => mergeTemplate({ template: TEMPLATE, merge: { ...GOOD, DUR: '2000', INK: 'yellow', NAME: 7 } }),
    'TEMPLATE_MERGE_INVALID',
  );
  assert.deepEqual(d.fields!.sort(), ['DUR', 'INK', 'NAME']);
  assert.match(d.issues.find((i) => i.field === 'INK')!.message, /colour #RRGGBB/);
  assert.match(d.issues.find((i) => i.field === 'DUR')!.message, /must be a number/);

  d = refusal(
    () => mergeTemplate({ template: TEMPLATE, merge: { ...GOOD, PHOTO: 'no spaces allowed' } }),
    'TEMPLATE_MERGE_INVALID',
  );
  assert.deepEqual(d.fields, ['PHOTO']);

  // Right type, refused by the timeline where it lands: a fractional duration, a 2 px font.
  d = refusal(
    () => mergeTemplate({ template: TEMPLATE, merge: { ...GOOD, DUR: 1500.5, SIZE: 2 } }),
    'TEMPLATE_MERGE_INVALID',
  );
  assert.deepEqual([...new Set(d.fields)].sort(), ['DUR', 'SIZE']);
  assert.ok(
    d.issues.every((i) => i.path.startsWith('merge.') && /at timeline\./.test(i.message)),
    JSON.stringify(d.issues),
  );
});
