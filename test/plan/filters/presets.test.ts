// GET /video/presets data: built from the compiler's own descriptors, complete, consistent with the schema.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { listPresets } from '../../../src/plan/presets.js';
import { FILTER_BUILDERS } from '../../../src/plan/filters/builders.js';
import { FILTER_DESCRIPTORS } from '../../../src/plan/filters/catalog.js';
import { compileFilterChain } from '../../../src/plan/filters/compile-filter-chain.js';
import { motionPresetAutomation, MOTION_PRESETS } from '../../../src/plan/filters/motion-presets.js';
import { listProfiles } from '../../../src/plan/profiles.js';
import { listTransitions } from '../../../src/plan/transitions/catalog.js';
import {
  AutomationSchema,
  CaptionStyleSchema,
  PositionPresetSchema,
  TextAnimationSchema,
  TransformSchema,
} from '../../../src/timeline/index.js';

test('every catalog filter has a builder and every builder a descriptor (style expands instead)', () => {
  const types = FILTER_DESCRIPTORS.map((d) => d.type).filter((t) => t !== 'style');
  assert.deepEqual(Object.keys(FILTER_BUILDERS).sort(), [...types].sort());
});

test('listPresets serves the compiler descriptors, transitions and profiles themselves', () => {
  const p = listPresets();
  assert.equal(p.filters, FILTER_DESCRIPTORS);
  assert.equal(p.transitions, listTransitions());
  assert.equal(p.profiles, listProfiles());
  assert.deepEqual(
    p.text_animations.map((a) => a.id),
    TextAnimationSchema.options,
  );
  assert.deepEqual(p.position_presets.map((a) => a.id).sort(), [...PositionPresetSchema.options].sort());
  assert.deepEqual(
    p.caption_styles.map((c) => [c.id, c.available]),
    CaptionStyleSchema.options.map((id) => [id, true]),
  );
  // The style enum lists exactly the style presets.
  const styleDescriptor = p.filters.find((f) => f.type === 'style')!;
  assert.deepEqual(
    styleDescriptor.params.preset!.values,
    p.style_presets.map((s) => s.id),
  );
  // Plain data: survives JSON unchanged (what the HTTP layer sends).
  assert.deepEqual(JSON.parse(JSON.stringify(p)), p);
});

test('every style preset stack is valid catalog input: compiles with no warnings', () => {
  for (const s of listPresets().style_presets) {
    const r = compileFilterChain({
      filters: s.filters.map((f) => ({ type: f.type, params: { ...f.params } })),
      automation: [],
      clipPath: 'c',
      width: 640,
      height: 360,
      fps: { num: 30, den: 1 },
      durationMs: 1000,
      luts: {},
    });
    assert.deepEqual(r.warnings, [], s.id);
    assert.ok(r.chain.length > 0, s.id);
  }
});

test('motion presets become schema-valid automation within the transform ranges, deterministic, bounded', () => {
  const transform = TransformSchema.shape;
  for (const m of MOTION_PRESETS) {
    for (const durationMs of [1, 3000, 3_600_000]) {
      const entries = motionPresetAutomation({ id: m.id, durationMs });
      assert.ok(entries.length > 0);
      for (const e of entries) {
        AutomationSchema.parse(e);
        const range = transform[e.param as 'scale' | 'position_x' | 'position_y'];
        for (const k of e.keyframes) {
          range.parse(k.value);
          assert.ok(k.t_ms >= 0 && k.t_ms <= durationMs, `${m.id} t_ms ${k.t_ms}`);
        }
      }
      assert.deepEqual(motionPresetAutomation({ id: m.id, durationMs }), entries);
    }
  }
  const shake = motionPresetAutomation({ id: 'shake', durationMs: 800 });
  const xs = shake.find((e) => e.param === 'position_x')!.keyframes;
  assert.equal(xs.length, 11);
  assert.ok(new Set(xs.map((k) => k.value)).size > 5, 'shake moves');
});
