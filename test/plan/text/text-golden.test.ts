// Golden drawtext strings for representative text layers (review diffs like code; UPDATE_GOLDEN=1 rewrites).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileTextLayer } from '../../../src/plan/text/compile-text-layer.js';
import { TextLayerSchema } from '../../../src/timeline/index.js';

const GOLDEN_DIR = join(dirname(fileURLToPath(import.meta.url)), 'golden');

const CASES: Record<string, unknown> = {
  single_fade: {
    id: 'a',
    start_ms: 1000,
    duration_ms: 2000,
    text: 'Hello',
    animation: { in: 'fade', out: 'fade' },
  },
  lines_pop_slide_boxed: {
    id: 'b',
    start_ms: 333,
    duration_ms: 1500,
    text: 'Line one\nLine two',
    position: 'bottom_right',
    align: 'right',
    box: {},
    outline: { width: 4 },
    shadow: { x: -2 },
    animation: { in: 'pop', out: 'slide_left', duration_ms: 300 },
  },
  custom_position_left_align: {
    id: 'c',
    start_ms: 0,
    duration_ms: 40,
    text: 'a\nb',
    position: { x: 0.25, y: 0.75 },
    align: 'left',
    color: '#FFCC0080',
  },
};

test('golden drawtext filters', () => {
  const mismatches: string[] = [];
  for (const [name, raw] of Object.entries(CASES)) {
    const r = compileTextLayer({
      layer: TextLayerSchema.parse(raw),
      index: 3,
      path: 'tracks[4].items[3]',
      canvas: { width: 1920, height: 1080 },
      fps: { num: 30000, den: 1001 },
      fontFile: "/fonts/My Font: 'Bold'.ttf",
      workDir: '/work dir/job:1/',
    });
    const text = `${r.filter}\n${JSON.stringify({ files: r.files, warnings: r.warnings }, null, 2)}\n`;
    const file = join(GOLDEN_DIR, `${name}.txt`);
    if (process.env.UPDATE_GOLDEN === '1') writeFileSync(file, text);
    else if (!existsSync(file)) mismatches.push(`${name}: golden missing (run with UPDATE_GOLDEN=1)`);
    else if (readFileSync(file, 'utf8') !== text) mismatches.push(`${name}:\n${text}`);
  }
  assert.deepEqual(mismatches, []);
});
