// `cutroom assets add FONT.ttf` registers a font asset through the same command as media.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cutroomIn } from './run-cli.js';

const LIBERATION_SERIF = '/usr/share/fonts/truetype/liberation/LiberationSerif-Regular.ttf';
let dir: string;

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'cutroom-cli-font-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

test('assets add FONT.ttf prints a font asset with its family; --json carries kind and media_info.font', () => {
  const dataDir = join(dir, 'data');
  const human = cutroomIn(dir, ['--data-dir', dataDir, 'assets', 'add', LIBERATION_SERIF]);
  assert.equal(human.status, 0, human.stderr);
  assert.match(
    human.stdout,
    /^added: ast_\w+ {2}font "Liberation Serif" \(ttf\) {2}\d+ B {2}LiberationSerif-Regular\.ttf/,
  );
  const json = cutroomIn(dir, ['--data-dir', dataDir, 'assets', 'add', LIBERATION_SERIF, '--json']);
  assert.equal(json.status, 0, json.stderr);
  const { asset, meta } = JSON.parse(json.stdout);
  assert.equal(meta.deduplicated, true);
  assert.equal(asset.kind, 'font');
  assert.equal(asset.media_info.font.family, 'Liberation Serif');
});
