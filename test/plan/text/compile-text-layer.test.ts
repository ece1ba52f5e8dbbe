// Text layers through real ffmpeg drawtext: frame-exact visibility, position presets measured on pixels,
// hostile strings drawn literally from text files, long texts, animations and multi-line centring.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compileTextLayer, MAX_LINE_FILTERS } from '../../../src/plan/text/compile-text-layer.js';
import type { z } from 'zod';
import { TextLayerSchema, type TextLayer } from '../../../src/timeline/index.js';
import { diffBox, renderFrames, testFontFile, type Rgb } from '../filters/render-helpers.js';

const W = 320;
const H = 180;
const BG: Rgb = { r: 0x20, g: 0x40, b: 0x60 };
const FONT = testFontFile();

function layerOf(input: Partial<z.input<typeof TextLayerSchema>> & { text: string }): TextLayer {
  return TextLayerSchema.parse({ id: 'l1', start_ms: 0, duration_ms: 1000, ...input });
}

/** Compile, write plan files into a temp dir (as the runner does), render; returns frames and the result. */
function renderLayer(layer: TextLayer, opts: { durationS?: number } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'cutroom-text-'));
  try {
    const compiled = compileTextLayer({
      layer,
      index: 0,
      path: 'tracks[2].items[0]',
      canvas: { width: W, height: H },
      fps: { num: 10, den: 1 },
      fontFile: FONT,
      workDir: dir,
    });
    for (const f of compiled.files) writeFileSync(f.path, f.content);
    const written = compiled.files.map((f) => readFileSync(f.path, 'utf8'));
    const r = renderFrames({
      source: `color=c=0x204060:s=${W}x${H}:d=${opts.durationS ?? 1}:r=10`,
      chain: compiled.filter,
      width: W,
      height: H,
    });
    return { ...r, compiled, written };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('a text layer is visible exactly on the frames of [start, start+duration) and nowhere else', () => {
  const r = renderLayer(layerOf({ text: 'Hello', start_ms: 200, duration_ms: 500, font: { size: 200 } }));
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.frames.length, 10);
  const visible = r.frames.map((f) => diffBox(f, W, H, BG) !== null);
  assert.deepEqual(visible, [false, false, true, true, true, true, true, false, false, false]);
});

test('position presets put the text block in the expected third of the frame, inside the 5% margin', () => {
  const cases: Array<[TextLayer['position'], 'L' | 'C' | 'R', 'T' | 'M' | 'B']> = [
    ['center', 'C', 'M'],
    ['top', 'C', 'T'],
    ['bottom', 'C', 'B'],
    ['left', 'L', 'M'],
    ['right', 'R', 'M'],
    ['top_left', 'L', 'T'],
    ['top_right', 'R', 'T'],
    ['bottom_left', 'L', 'B'],
    ['bottom_right', 'R', 'B'],
    ['lower_third', 'L', 'B'],
    [{ x: 0.8, y: 0.2 }, 'R', 'T'],
  ];
  const third = (v: number, size: number): number => Math.min(2, Math.floor((3 * v) / size));
  for (const [position, hx, vy] of cases) {
    const r = renderLayer(layerOf({ text: 'Hi', position, font: { size: 150 } }), { durationS: 0.1 });
    assert.equal(r.code, 0, r.stderr);
    const box = diffBox(r.frames[0]!, W, H, BG);
    assert.ok(box, `${JSON.stringify(position)}: nothing drawn`);
    const cx = (box.x0 + box.x1) / 2;
    const cy = (box.y0 + box.y1) / 2;
    const where = `${JSON.stringify(position)} box ${JSON.stringify(box)}`;
    assert.equal(third(cx, W), { L: 0, C: 1, R: 2 }[hx], where);
    assert.equal(third(cy, H), { T: 0, M: 1, B: 2 }[vy], where);
    // Safe margin: 5% of the canvas (16 px, 9 px here) minus a pixel of antialiasing.
    assert.ok(box.x0 >= 15 && box.x1 <= W - 15 && box.y0 >= 8 && box.y1 <= H - 8, where);
    if (hx === 'L' && typeof position === 'string')
      assert.ok(box.x0 <= 19, `left edge at the margin: ${where}`);
    if (hx === 'R' && typeof position === 'string')
      assert.ok(box.x1 >= W - 19, `right edge at the margin: ${where}`);
  }
  // {x, y} is the block's centre.
  const r = renderLayer(layerOf({ text: 'Hi', position: { x: 0.8, y: 0.2 }, font: { size: 150 } }), {
    durationS: 0.1,
  });
  const box = diffBox(r.frames[0]!, W, H, BG)!;
  assert.ok(Math.abs((box.x0 + box.x1) / 2 - 0.8 * W) <= 3, JSON.stringify(box));
  assert.ok(Math.abs((box.y0 + box.y1) / 2 - 0.2 * H) <= 4, JSON.stringify(box));
});

const HOSTILE = [
  `it's "quoted": 50% {\\b1} %{pts} [x];y, back\\slash`,
  'first line\nsecond: line',
  'emoji 😀🎬 ok',
  'مرحبا بالعالم',
  'שלום עולם',
  "'",
  '\\',
  '%{localtime} %{eif:1+1:d} %%',
  "drawtext=text='x':enable=0,null",
];

test('hostile strings render literally: exit 0, text file equals the input, frame not blank, text not in the graph', () => {
  for (const text of HOSTILE) {
    const r = renderLayer(layerOf({ text, align: 'left', font: { size: 120 } }), { durationS: 0.1 });
    assert.equal(r.code, 0, `${JSON.stringify(text)}: ${r.stderr}`);
    assert.deepEqual(r.written, [text], JSON.stringify(text));
    assert.equal(r.compiled.files.length, 1);
    assert.ok(diffBox(r.frames[0]!, W, H, BG), `${JSON.stringify(text)}: blank frame`);
    assert.match(r.compiled.filter, /:expansion=none:/);
    for (const word of ['quoted', 'localtime', 'second', 'emoji', 'enable=0']) {
      assert.ok(!r.compiled.filter.includes(word), `${word} leaked into the graph`);
    }
  }
});

test('%{pts} is drawn literally: the frame does not change with time (expansion would print the pts)', () => {
  const r = renderLayer(layerOf({ text: 'pts=%{pts} n=%{n}', align: 'left', font: { size: 150 } }), {
    durationS: 0.6,
  });
  assert.equal(r.code, 0, r.stderr);
  assert.ok(diffBox(r.frames[0]!, W, H, BG));
  assert.ok(r.frames[0]!.equals(r.frames[5]!), 'frames 0 and 5 differ: text was expanded');
});

test('centre-aligned multi-line hostile text: one file per line with the exact line text', () => {
  const text = `it's "quoted": 50%\n{\\b1} %{pts} [x];y\nback\\slash 😀 שלום`;
  const r = renderLayer(layerOf({ text, font: { size: 100 } }), { durationS: 0.1 });
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(r.written, text.split('\n'));
  assert.ok(diffBox(r.frames[0]!, W, H, BG));
});

test('centre alignment centres every line of a multi-line block', () => {
  const r = renderLayer(layerOf({ text: 'A much wider line\nx', font: { size: 140 } }), { durationS: 0.1 });
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(r.compiled.warnings, []);
  const frame = r.frames[0]!;
  const all = diffBox(frame, W, H, BG)!;
  const mid = Math.round((all.y0 + all.y1) / 2);
  // Crop each line's band out of the frame and measure it alone.
  const band = (y0: number, y1: number) => {
    const rows = frame.subarray(y0 * W * 3, (y1 + 1) * W * 3);
    return diffBox(rows, W, y1 - y0 + 1, BG)!;
  };
  const top = band(all.y0, mid);
  const bottom = band(mid + 1, all.y1);
  assert.ok(top.x1 - top.x0 > 3 * (bottom.x1 - bottom.x0), 'first line is the wide one');
  for (const b of [top, bottom]) assert.ok(Math.abs((b.x0 + b.x1) / 2 - W / 2) <= 3, JSON.stringify(b));
});

test('a 5000-character text compiles and renders; many lines fall back to one block with a warning', () => {
  const long = 'Lorem ipsum dolor sit amet, %{pts} consectetur: adipiscing \\ elit. '
    .repeat(80)
    .slice(0, 5000);
  assert.equal(long.length, 5000);
  const r = renderLayer(layerOf({ text: long, align: 'left', font: { size: 60 } }), { durationS: 0.1 });
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(r.written, [long]);
  assert.ok(diffBox(r.frames[0]!, W, H, BG));

  const manyLines = Array.from({ length: 200 }, (_, i) => `line ${i}: ${'x'.repeat(20)}`)
    .join('\n')
    .slice(0, 5000);
  const m = renderLayer(layerOf({ text: manyLines, font: { size: 20 } }), { durationS: 0.1 });
  assert.equal(m.code, 0, m.stderr);
  assert.ok(manyLines.split('\n').length > MAX_LINE_FILTERS);
  assert.deepEqual(
    m.compiled.warnings.map((w) => [w.code, w.path]),
    // 200 lines of 20 px (1.25 em pitch) on a 180 px canvas: most of them fall outside it.
    [
      ['TEXT_OVERFLOW', 'tracks[2].items[0].text'],
      ['TEXT_ALIGN_FALLBACK', 'tracks[2].items[0].align'],
    ],
  );
  assert.equal(m.compiled.filter.split('drawtext=').length - 1, 1);
});

test('animations: fade ramps in, slide_up rises into place, pop grows', () => {
  const base = { text: 'Move', start_ms: 0, duration_ms: 1000, font: { size: 200 } } as const;
  const count = (f: Buffer): number => diffBox(f, W, H, BG)?.count ?? 0;

  const fade = renderLayer(layerOf({ ...base, animation: { in: 'fade', duration_ms: 400 } }));
  assert.equal(fade.code, 0, fade.stderr);
  assert.equal(count(fade.frames[0]!), 0, 'alpha 0 on the first frame');
  assert.ok(count(fade.frames[5]!) > 0);

  const slide = renderLayer(layerOf({ ...base, animation: { in: 'slide_up', duration_ms: 600 } }));
  assert.equal(slide.code, 0, slide.stderr);
  const y1 = diffBox(slide.frames[2]!, W, H, BG, 20)!.y0;
  const yEnd = diffBox(slide.frames[8]!, W, H, BG, 20)!.y0;
  assert.ok(y1 > yEnd + 2, `moving up: y ${y1} then ${yEnd}`);

  const pop = renderLayer(layerOf({ ...base, animation: { in: 'pop', duration_ms: 600 } }));
  assert.equal(pop.code, 0, pop.stderr);
  const w1 = diffBox(pop.frames[2]!, W, H, BG, 20)!;
  const wEnd = diffBox(pop.frames[8]!, W, H, BG, 20)!;
  assert.ok(
    wEnd.x1 - wEnd.x0 > (w1.x1 - w1.x0) * 1.15,
    `growing: ${JSON.stringify(w1)} then ${JSON.stringify(wEnd)}`,
  );
});

test('box, outline and shadow are drawn; sizes scale with the canvas height', () => {
  const plain = renderLayer(layerOf({ text: 'Box', font: { size: 150 } }), { durationS: 0.1 });
  const boxed = renderLayer(
    layerOf({ text: 'Box', font: { size: 150 }, box: { color: '#FF0000FF', padding: 30 } }),
    { durationS: 0.1 },
  );
  assert.equal(boxed.code, 0, boxed.stderr);
  const p = diffBox(plain.frames[0]!, W, H, BG)!;
  const b = diffBox(boxed.frames[0]!, W, H, BG)!;
  assert.ok(
    b.x1 - b.x0 >= p.x1 - p.x0 + 8,
    `box padding (30 px @1080 = 5 px here): ${JSON.stringify(p)} vs ${JSON.stringify(b)}`,
  );
  const styled = renderLayer(layerOf({ text: 'Box', font: { size: 150 }, outline: {}, shadow: {} }), {
    durationS: 0.1,
  });
  assert.equal(styled.code, 0, styled.stderr);
  assert.match(
    styled.compiled.filter,
    /borderw=1:bordercolor=0x000000:shadowx=1:shadowy=1:shadowcolor=0x000000A0/,
  );
  assert.match(styled.compiled.filter, /fontsize=25:/);
});

test('fit: a long title wraps inside the safe area or shrinks to fit; as written it overflows with a warning', () => {
  const title = 'A very long headline that cannot fit on one line';
  const none = renderLayer(layerOf({ text: title, font: { size: 200 } }), { durationS: 0.1 });
  assert.equal(none.code, 0, none.stderr);
  assert.deepEqual(
    none.compiled.warnings.map((w) => [w.code, w.path]),
    [['TEXT_OVERFLOW', 'tracks[2].items[0].text']],
  );
  const cut = diffBox(none.frames[0]!, W, H, BG)!;
  // Centred and wider than the canvas: cut off at both edges (the last column may fall between two letters).
  assert.ok(cut.x0 === 0 && cut.x1 >= W - 12, `unfitted title spans the whole width: ${JSON.stringify(cut)}`);

  for (const fit of ['wrap', 'shrink'] as const) {
    // 200 px on 1080 = 33 px here; wrapping at the safe area gives 3 lines, about 125 px high on a 180 px canvas.
    const r = renderLayer(layerOf({ text: title, fit, font: { size: 200 } }), { durationS: 0.1 });
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(r.compiled.warnings, [], fit);
    const box = diffBox(r.frames[0]!, W, H, BG)!;
    assert.ok(box, fit);
    const margin = Math.floor(W * 0.05);
    assert.ok(
      box.x0 >= margin - 2 && box.x1 <= W - 1 - margin + 2,
      `${fit}: ${JSON.stringify(box)} inside x ${margin}..${W - 1 - margin}`,
    );
    assert.ok(box.y0 > 0 && box.y1 < H - 1, `${fit}: ${JSON.stringify(box)} inside the frame`);
    if (fit === 'wrap') assert.ok(r.written.length >= 2, `wrapped into ${r.written.length} lines`);
  }
});
