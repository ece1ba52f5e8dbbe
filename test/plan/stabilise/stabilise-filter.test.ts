// Pure builders of src/plan/stabilise: exact filter strings, parameter resolution, artifact choice, warnings.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  findStabiliseTransforms,
  planClipStabilise,
  resolveStabiliseParams,
  stabiliseFilter,
  stabiliseSegment,
  STABILISE_TRANSFORMS_MISSING,
} from '../../../src/plan/stabilise/index.js';
import type { PlanArtifact } from '../../../src/plan/types.js';
import { MediaClipSchema, type MediaClip } from '../../../src/timeline/index.js';

const UNSHARP = 'unsharp=5:5:0.8:3:3:0.4';

function clip(extra: Record<string, unknown>): MediaClip {
  return MediaClipSchema.parse({ id: 'c1', asset_id: 'a1', start_ms: 0, ...extra });
}

function artifact(id: string, extra: Partial<PlanArtifact> & { tripod?: boolean } = {}): PlanArtifact {
  const { tripod = false, ...rest } = extra;
  return {
    id,
    kind: 'stabilise_transforms',
    asset_id: 'a1',
    backend_version: 'vidstab-5.1.9',
    cache_key: `k_${id}`,
    path: `/data/${id}.trf`,
    meta: { params: { shakiness: 5, accuracy: 15, stepsize: 6, mincontrast: 0.25, tripod } },
    ...rest,
  };
}

test('stabiliseFilter: defaults give automatic zoom (optzoom=1) and keep the border', () => {
  const r = stabiliseFilter({
    transformsPath: '/data/t.trf',
    smoothing: 15,
    zoom: 0,
    crop: 'keep',
    tripod: false,
    clipPath: 'tracks[0].clips[2]',
    clipId: 'c1',
    backend: 'vidstab-5.1.9',
  });
  assert.equal(
    r.filter,
    `vidstabtransform=input=/data/t.trf:smoothing=15:zoom=0:optzoom=1:crop=keep:tripod=0:interpol=bicubic,${UNSHARP}`,
  );
  assert.deepEqual(r.details, {
    clip_id: 'c1',
    path: 'tracks[0].clips[2]',
    smoothing: 15,
    zoom: 0,
    crop: 'keep',
    tripod: false,
    backend: 'vidstab-5.1.9',
  });
});

test('stabiliseFilter: a fixed zoom turns the automatic zoom off; tripod forces smoothing 0', () => {
  const r = stabiliseFilter({
    transformsPath: '/d/t.trf',
    smoothing: 30,
    zoom: -2.5,
    crop: 'black',
    tripod: true,
    clipPath: 'p',
    clipId: 'c',
    backend: 'b',
  });
  assert.equal(
    r.filter,
    `vidstabtransform=input=/d/t.trf:smoothing=0:zoom=-2.5:optzoom=0:crop=black:tripod=1:interpol=bicubic,${UNSHARP}`,
  );
  assert.equal(r.details.smoothing, 0);
});

test('stabiliseFilter: the transforms path is escaped for both filtergraph levels', () => {
  const r = stabiliseFilter({
    transformsPath: "/tmp/a:b,c'd[e];f.trf",
    smoothing: 10,
    zoom: 0,
    crop: 'keep',
    tripod: false,
    clipPath: 'p',
    clipId: 'c',
    backend: 'b',
  });
  const input = r.filter.slice('vidstabtransform=input='.length, r.filter.indexOf(':smoothing='));
  // Option level: \\ \' \: ; graph level then escapes \\ ' [ ] , ; again. The render test reads such a path.
  assert.equal(input, String.raw`/tmp/a\\:b\,c\\\'d\[e\]\;f.trf`);
});

test('resolveStabiliseParams: true means the defaults; an object fills the rest; false/undefined = off', () => {
  assert.equal(resolveStabiliseParams(undefined), undefined);
  assert.equal(resolveStabiliseParams(false), undefined);
  assert.deepEqual(resolveStabiliseParams(true), { smoothing: 15, zoom: 0, crop: 'keep', tripod: false });
  assert.deepEqual(resolveStabiliseParams(clip({ stabilise: { smoothing: 40 } }).stabilise), {
    smoothing: 40,
    zoom: 0,
    crop: 'keep',
    tripod: false,
  });
});

test('planClipStabilise: no request, a missing artifact (warning), a matching artifact (filter)', () => {
  const base = { clipPath: 'tracks[0].clips[1]', assetId: 'a1', moving: true };
  assert.deepEqual(planClipStabilise({ ...base, clip: clip({}), artifacts: {} }), { kind: 'none' });

  const missing = planClipStabilise({ ...base, clip: clip({ stabilise: true }), artifacts: {} });
  assert.equal(missing.kind, 'missing');
  assert.equal(missing.kind === 'missing' && missing.warning.code, STABILISE_TRANSFORMS_MISSING);
  assert.equal(missing.kind === 'missing' && missing.warning.path, 'tracks[0].clips[1].stabilise');

  // Another asset's transforms, or tripod-mode transforms for a smoothing clip, do not count.
  const others = { x: artifact('x', { asset_id: 'a2' }), t: artifact('t', { tripod: true }) };
  assert.equal(
    planClipStabilise({ ...base, clip: clip({ stabilise: true }), artifacts: others }).kind,
    'missing',
  );

  const applied = planClipStabilise({
    ...base,
    clip: clip({ stabilise: true }),
    artifacts: { ...others, b: artifact('b'), a: artifact('a') },
  });
  assert.equal(applied.kind, 'apply');
  if (applied.kind !== 'apply') return;
  assert.equal(applied.artifact.id, 'a', 'several candidates: the smallest id, whatever the key order');
  assert.match(applied.filter, /^vidstabtransform=input=\/data\/a\.trf:/);
  assert.equal(applied.details.backend, 'vidstab-5.1.9');

  const tripod = planClipStabilise({
    ...base,
    clip: clip({ stabilise: { tripod: true } }),
    artifacts: { ...others, a: artifact('a') },
  });
  assert.equal(tripod.kind === 'apply' && tripod.artifact.id, 't');

  // Stills and freeze frames: nothing to correct, no warning.
  assert.deepEqual(
    planClipStabilise({ ...base, moving: false, clip: clip({ stabilise: true }), artifacts: {} }),
    { kind: 'none' },
  );
});

test('findStabiliseTransforms ignores artifacts without a file', () => {
  const noPath = artifact('a');
  delete noPath.path;
  assert.equal(
    findStabiliseTransforms({ artifacts: { a: noPath }, assetId: 'a1', tripod: false }),
    undefined,
  );
});

test('stabiliseSegment: decode from 0 to the window end, stabilise, then cut at the window start', () => {
  const s = stabiliseSegment({
    windowStartMs: 1500,
    windowEndMs: 3033.333333,
    filter: 'VS',
    decoderOptions: ['-threads', '1'],
  });
  assert.deepEqual(s.inputOptions, ['-threads', '1', '-t', '3.033333']);
  assert.deepEqual(s.videoFilters, ['VS', 'trim=start=1.5']);
  assert.deepEqual(s.audioFilters, ['atrim=start=1.5']);
  const atZero = stabiliseSegment({ windowStartMs: 0, windowEndMs: 1000, filter: 'VS' });
  assert.deepEqual(atZero, { inputOptions: ['-t', '1'], videoFilters: ['VS'], audioFilters: [] });
});
