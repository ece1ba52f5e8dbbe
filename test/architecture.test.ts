// Layer direction and import cycles (ARCHITECTURE.md "Layout"): fails when a layer imports upward, when
// timeline/plan import I/O, or when any import cycle exists between modules of src/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';

const SRC = 'src';

/** Which src/ folders each layer may import (besides itself and the root files src/*.ts). */
const ALLOWED: Record<string, string[]> = {
  '.': [],
  timeline: [],
  plan: ['timeline'],
  interchange: ['timeline'],
  storage: [],
  db: [],
  ffmpeg: ['timeline'],
  media: ['timeline', 'db', 'storage', 'ffmpeg'],
  jobs: ['timeline', 'db', 'storage', 'media'],
  engines: ['timeline', 'plan', 'media', 'ffmpeg', 'db', 'storage', 'jobs'],
  render: ['timeline', 'plan', 'interchange', 'media', 'ffmpeg', 'db', 'storage', 'jobs', 'engines'],
  http: ['timeline', 'plan', 'interchange', 'media', 'ffmpeg', 'db', 'storage', 'jobs', 'engines', 'render'],
  cli: ['timeline', 'plan', 'interchange', 'media', 'ffmpeg', 'db', 'storage', 'jobs', 'engines', 'render', 'http'],
};
/** Layers that must stay free of I/O (node:* modules other than pure ones). */
const PURE_LAYERS = new Set(['timeline', 'plan', 'interchange']);
const PURE_NODE_MODULES = new Set(['node:crypto']);

function walk(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (p.endsWith('.ts')) out.push(p);
  }
  return out;
}

function layerOf(file: string): string {
  const rel = relative(SRC, file).split('/');
  return rel.length === 1 ? '.' : rel[0]!;
}

const IMPORT_RE =
  /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specs: string[] = [];
  for (const m of text.matchAll(IMPORT_RE)) specs.push((m[1] ?? m[2])!);
  return specs;
}

function resolveLocal(from: string, spec: string): string {
  return normalize(join(dirname(from), spec)).replace(/\.js$/, '.ts');
}

const files = walk(SRC);
const graph = new Map<string, string[]>();
for (const file of files) {
  graph.set(
    file,
    importsOf(file)
      .filter((s) => s.startsWith('.'))
      .map((s) => resolveLocal(file, s)),
  );
}

test('every layer imports only the layers below it', () => {
  const violations: string[] = [];
  for (const file of files) {
    const layer = layerOf(file);
    const allowed = ALLOWED[layer];
    if (!allowed) {
      violations.push(`${file}: folder "${layer}" is not a known layer (add it to ALLOWED)`);
      continue;
    }
    for (const target of graph.get(file)!) {
      const targetLayer = layerOf(target);
      if (targetLayer === layer || targetLayer === '.') continue;
      if (!allowed.includes(targetLayer))
        violations.push(`${file} imports ${target} (${layer} -> ${targetLayer})`);
    }
    if (PURE_LAYERS.has(layer)) {
      for (const spec of importsOf(file)) {
        const isNode =
          spec.startsWith('node:') || ['fs', 'child_process', 'path', 'os', 'net', 'http'].includes(spec);
        if (isNode && !PURE_NODE_MODULES.has(spec))
          violations.push(`${file} imports ${spec}: ${layer} must stay free of I/O`);
      }
    }
  }
  // The root files (errors, context) are imported by everything, so they import nothing from the layers.
  for (const file of files.filter((f) => layerOf(f) === '.')) {
    for (const target of graph.get(file)!) {
      if (layerOf(target) !== '.')
        violations.push(`${file} imports ${target}: root files must not import layers`);
    }
  }
  assert.deepEqual(violations, []);
});

test('there are no import cycles in src/', () => {
  const cycles: string[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (node: string): void => {
    state.set(node, 'visiting');
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      if (!graph.has(next)) continue;
      const s = state.get(next);
      if (s === 'visiting') cycles.push([...stack.slice(stack.indexOf(next)), next].join(' -> '));
      else if (s === undefined) visit(next);
    }
    stack.pop();
    state.set(node, 'done');
  };
  for (const file of files) if (!state.has(file)) visit(file);
  assert.deepEqual(cycles, []);
});

test('the checker itself sees imports (guards against a regex that matches nothing)', () => {
  const edges = [...graph.values()].reduce((n, list) => n + list.length, 0);
  assert.ok(edges > 0, 'no relative imports found in src/');
});
