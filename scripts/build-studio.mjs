#!/usr/bin/env node
// Builds the Studio bundle (studio/ -> dist/studio) with Vite, skipping the build when no input is newer than
// the last one, so `scripts/setup.sh` stays fast on every run. `--force` always builds.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const OUT = 'dist/studio/index.html';
const INPUTS = ['studio', 'src/timeline', 'src/errors.ts', 'package-lock.json'];

function newest(path) {
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let max = st.mtimeMs;
  for (const name of readdirSync(path)) max = Math.max(max, newest(join(path, name)));
  return max;
}

const force = process.argv.includes('--force');
if (!force && existsSync(OUT)) {
  const built = statSync(OUT).mtimeMs;
  if (INPUTS.filter(existsSync).every((p) => newest(p) <= built)) process.exit(0);
}
const r = spawnSync(process.execPath, ['node_modules/vite/bin/vite.js', 'build', '--config', 'studio/vite.config.ts'], {
  stdio: 'inherit',
});
process.exit(r.status ?? 1);
