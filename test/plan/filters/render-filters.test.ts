// Every catalog filter and style preset renders through real ffmpeg, and the effects are measured on pixels.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compileFilterChain } from '../../../src/plan/filters/compile-filter-chain.js';
import type { Automation, FilterInstance } from '../../../src/timeline/index.js';
import { filterCases, LUT_REF } from './cases.js';
import { meanRgb, renderFrames, variance } from './render-helpers.js';

const W = 160;
const H = 90;
const TESTSRC = `testsrc2=s=${W}x${H}:d=0.5:r=10`;

/** An inverting 2×2×2 .cube: output = 1 - input (lut3d interpolates between the corners). */
function writeInvertLut(dir: string): string {
  const lines = ['TITLE "invert"', 'LUT_3D_SIZE 2'];
  // .cube order: red changes fastest, then green, then blue.
  for (let b = 0; b < 2; b++)
    for (let g = 0; g < 2; g++) for (let r = 0; r < 2; r++) lines.push(`${1 - r} ${1 - g} ${1 - b}`);
  // A path with a space, a colon and a quote exercises escapeFilterPath in a real graph.
  const path = join(dir, "in vert: 'lut'.cube");
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}

function chainFor(
  filters: FilterInstance[],
  luts: Record<string, string>,
  automation: Automation[] = [],
): string {
  return compileFilterChain({
    filters,
    automation,
    clipPath: 'tracks[1].clips[0]',
    width: W,
    height: H,
    fps: { num: 10, den: 1 },
    durationMs: 500,
    luts,
  }).chain;
}

test('every catalog filter (default and animated) and every style preset renders with exit 0', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cutroom-filters-'));
  try {
    const luts = { [LUT_REF]: writeInvertLut(dir) };
    const failures: string[] = [];
    for (const c of filterCases()) {
      const chain = chainFor(c.filters, luts, c.automation);
      const r = renderFrames({ source: TESTSRC, chain, width: W, height: H });
      if (r.code !== 0 || r.frames.length !== 5)
        failures.push(
          `${c.name}: exit ${r.code}, ${r.frames.length} frames: ${r.stderr.slice(-300)}\n  ${chain}`,
        );
    }
    assert.deepEqual(failures, []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('brightness +0.3 makes mid-grey brighter; animated brightness rises over time', () => {
  const src = `color=c=0x808080:s=${W}x${H}:d=0.5:r=10`;
  const rect = { x: 60, y: 30, w: 40, h: 30 };
  const base = meanRgb(renderFrames({ source: src, chain: '', width: W, height: H }).frames[0]!, W, rect);
  const bright = meanRgb(
    renderFrames({
      source: src,
      chain: chainFor([{ type: 'brightness', params: { value: 0.3 } }], {}),
      width: W,
      height: H,
    }).frames[0]!,
    W,
    rect,
  );
  assert.ok(bright.g > base.g + 50, `${JSON.stringify(base)} -> ${JSON.stringify(bright)}`);

  const animated = chainFor([{ id: 'b', type: 'brightness', params: {} }], {}, [
    {
      param: 'filter:b.value',
      keyframes: [
        { t_ms: 0, value: 0, easing: 'linear' },
        { t_ms: 400, value: 0.4, easing: 'linear' },
      ],
    },
  ]);
  const frames = renderFrames({ source: src, chain: animated, width: W, height: H }).frames;
  const g = frames.map((f) => meanRgb(f, W, rect).g);
  assert.ok(Math.abs(g[0]! - base.g) < 3, `frame 0 unchanged: ${g[0]} vs ${base.g}`);
  for (let i = 1; i < g.length; i++) assert.ok(g[i]! > g[i - 1]!, `brightness rises: ${g.join(', ')}`);
});

test('saturation 0 and grayscale make R≈G≈B on a colourful frame', () => {
  for (const filters of [
    [{ type: 'saturation', params: { value: 0 } }],
    [{ type: 'grayscale', params: {} }],
  ]) {
    const frame = renderFrames({ source: TESTSRC, chain: chainFor(filters, {}), width: W, height: H })
      .frames[0]!;
    let maxSpread = 0;
    for (let i = 0; i < frame.length; i += 3) {
      const spread =
        Math.max(frame[i]!, frame[i + 1]!, frame[i + 2]!) - Math.min(frame[i]!, frame[i + 1]!, frame[i + 2]!);
      maxSpread = Math.max(maxSpread, spread);
    }
    assert.ok(maxSpread <= 6, `${filters[0]!.type}: max channel spread ${maxSpread}`);
  }
  const original = renderFrames({ source: TESTSRC, chain: '', width: W, height: H }).frames[0]!;
  const spreadOf = (f: Buffer): number =>
    Math.max(...[0, 3000, 9000, 20000].map((i) => Math.abs(f[i]! - f[i + 2]!)));
  assert.ok(spreadOf(original) > 30, 'the source itself is colourful');
});

test('blur reduces the variance of a testsrc frame; animated sigma reduces it over time', () => {
  const sharp = variance(renderFrames({ source: TESTSRC, chain: '', width: W, height: H }).frames[0]!);
  const blurred = variance(
    renderFrames({
      source: TESTSRC,
      chain: chainFor([{ type: 'blur', params: { sigma: 4 } }], {}),
      width: W,
      height: H,
    }).frames[0]!,
  );
  assert.ok(blurred < sharp * 0.9, `variance ${sharp} -> ${blurred}`);

  const animated = chainFor([{ id: 'bl', type: 'blur', params: {} }], {}, [
    {
      param: 'filter:bl.sigma',
      keyframes: [
        { t_ms: 0, value: 0, easing: 'linear' },
        { t_ms: 100, value: 0, easing: 'hold' },
        { t_ms: 300, value: 6, easing: 'linear' },
      ],
    },
  ]);
  const frames = renderFrames({ source: TESTSRC, chain: animated, width: W, height: H }).frames;
  const plain = renderFrames({ source: TESTSRC, chain: '', width: W, height: H }).frames;
  assert.ok(Math.abs(variance(frames[0]!) - variance(plain[0]!)) < 1, 'sigma 0 at the start: unblurred');
  assert.ok(variance(frames[4]!) < variance(plain[4]!) * 0.9, 'blurred after the step');
});

test('a generated invert LUT inverts a colour (path with space, colon and quote)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cutroom-lut-'));
  try {
    const luts = { 'artifact:inv': writeInvertLut(dir) };
    const chain = chainFor([{ type: 'lut', params: { file: 'artifact:inv' } }], luts);
    const r = renderFrames({ source: `color=c=0xFF2000:s=${W}x${H}:d=0.2:r=10`, chain, width: W, height: H });
    assert.equal(r.code, 0, r.stderr);
    const c = meanRgb(r.frames[0]!, W, { x: 70, y: 40, w: 10, h: 10 });
    assert.ok(c.r < 20 && c.g > 200 && c.b > 235, JSON.stringify(c));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('chroma_key turns the key colour transparent and keeps other colours opaque', () => {
  const src = `color=c=0x00FF00:s=${W}x${H}:d=0.2:r=10,drawbox=x=0:y=0:w=80:h=90:c=0xFF0000:t=fill`;
  const chain = chainFor([{ type: 'chroma_key', params: { color: '#00FF00', similarity: 0.2 } }], {});
  const r = renderFrames({ source: src, chain, width: W, height: H, pixFmt: 'rgba' });
  assert.equal(r.code, 0, r.stderr);
  const alphaAt = (x: number, y: number): number => r.frames[0]![(y * W + x) * 4 + 3]!;
  assert.ok(alphaAt(120, 45) < 10, `green keyed out: alpha ${alphaAt(120, 45)}`);
  assert.ok(alphaAt(40, 45) > 245, `red kept: alpha ${alphaAt(40, 45)}`);
});

test('fade_in starts black and ends at the source colour', () => {
  const src = `color=c=0xC0C0C0:s=${W}x${H}:d=0.5:r=10`;
  const frames = renderFrames({
    source: src,
    chain: chainFor([{ type: 'fade_in', params: { duration_ms: 300 } }], {}),
    width: W,
    height: H,
  }).frames;
  const rect = { x: 70, y: 40, w: 10, h: 10 };
  assert.ok(meanRgb(frames[0]!, W, rect).g < 10);
  assert.ok(meanRgb(frames[4]!, W, rect).g > 180);
});
