// Golden tests: each test/plan/golden/<case>.json (a CompileInput with fake sources) must compile to exactly
// <case>.filtergraph.txt and <case>.args.json (args with the graph replaced by "@filtergraph", plus meta and
// warnings). Review changes to these files like code; regenerate with UPDATE_GOLDEN=1.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compile } from '../../src/plan/compile.js';
import type { CompileInput } from '../../src/plan/types.js';
import { TimelineSchema } from '../../src/timeline/index.js';

const DIR = join(dirname(fileURLToPath(import.meta.url)), 'golden');
const UPDATE = process.env.UPDATE_GOLDEN === '1';

const cases = readdirSync(DIR)
  .filter((f) => f.endsWith('.json') && !f.endsWith('.args.json'))
  .map((f) => f.slice(0, -'.json'.length))
  .sort();

test('there is a golden case per feature', () => {
  for (const name of [
    'cuts-and-gaps',
    'fit-fill-blur',
    'overlay-pip-transform',
    'keyframes',
    'speed-reverse-freeze',
    'audio-mix-fades',
    'image-clip',
    'vfr-rotated-source',
    'range',
    'transition-fade',
    'transition-dip',
    'transition-wipe',
    'transition-push',
    'transition-slide',
    'transition-shape',
    'transition-stylised',
    'captions-burn-in',
    'region-stabilise-slowmo',
    'streams-video-gop',
    'streams-audio',
    'loudness-measure',
  ])
    assert.ok(cases.includes(name), `missing golden case ${name}`);
});

for (const name of cases) {
  test(`golden: ${name}`, () => {
    const raw = JSON.parse(readFileSync(join(DIR, `${name}.json`), 'utf8')) as CompileInput & {
      timeline: unknown;
    };
    const input: CompileInput = { ...raw, timeline: TimelineSchema.parse(raw.timeline) };
    const plan = compile(input);
    const graph = `${plan.filtergraph}\n`;
    const args = `${JSON.stringify(
      {
        args: plan.args.map((a) => (a === plan.filtergraph ? '@filtergraph' : a)),
        meta: plan.meta,
        warnings: plan.warnings,
      },
      null,
      2,
    )}\n`;
    const graphFile = join(DIR, `${name}.filtergraph.txt`);
    const argsFile = join(DIR, `${name}.args.json`);
    if (UPDATE || !existsSync(graphFile)) {
      writeFileSync(graphFile, graph);
      writeFileSync(argsFile, args);
    }
    assert.equal(graph, readFileSync(graphFile, 'utf8'));
    assert.equal(args, readFileSync(argsFile, 'utf8'));
  });
}
