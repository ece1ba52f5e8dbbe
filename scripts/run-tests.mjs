#!/usr/bin/env node
// Runs the whole check: typecheck (src + tests), lint, then every test/**/*.test.ts with node's test runner.
// `node scripts/run-tests.mjs test/plan` runs only the tests under the given paths (and skips typecheck/lint).
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const args = process.argv.slice(2);
const roots = args.length > 0 ? args : ['test'];

function collect(path, out) {
  const st = statSync(path);
  if (st.isDirectory()) {
    for (const name of readdirSync(path).sort()) collect(join(path, name), out);
  } else if (/\.test\.ts$/.test(path)) {
    out.push(path);
  }
  return out;
}

function run(cmd, cmdArgs) {
  const r = spawnSync(cmd, cmdArgs, { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

if (args.length === 0) {
  console.log('> typecheck');
  run('npx', ['tsc', '-p', 'tsconfig.test.json']);
  run('npx', ['tsc', '-p', 'studio/tsconfig.json']);
  console.log('> lint');
  run('npx', ['eslint', '--max-warnings=0', 'src', 'test', 'bench', 'scripts', 'studio']);
  // The end-to-end Studio tests load the built bundle.
  run(process.execPath, ['scripts/build-studio.mjs']);
}

const files = roots.flatMap((r) => collect(r, []));
console.log(`> ${files.length} test files`);
const r = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-concurrency=2', '--test-timeout=600000', ...files],
  { stdio: 'inherit', env: { ...process.env, CUTROOM_TEST: '1' } },
);
process.exit(r.status ?? 1);
