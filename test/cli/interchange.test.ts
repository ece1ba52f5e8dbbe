// cutroom import FILE --from FORMAT and cutroom export PROJECT --to FORMAT on a temp data dir: an OTIO file is
// imported against a registered asset, exported as MLT with the stored file path, and melt renders it.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testsrcClip } from '../helpers/media.js';
import { cutroomIn, type Run } from './run-cli.js';

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'cutroom-cli-interchange-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

const cutroom = (args: string[]): Run => cutroomIn(dir, ['--data-dir', join(dir, 'data'), ...args]);

test('import an OTIO file and export it as MLT that melt renders; bad input is one coded line', async () => {
  const clip = await testsrcClip({ durationMs: 2000, width: 320, height: 180 });
  const added = cutroom(['assets', 'add', clip, '--json']);
  assert.equal(added.status, 0, added.stderr);
  const assetId = JSON.parse(added.stdout).asset.id as string;
  const otio = readFileSync(new URL('../interchange/fixtures/two-tracks-24fps.otio', import.meta.url), 'utf8');
  const file = join(dir, 'cut.otio');
  writeFileSync(file, otio);
  const mapping = join(dir, 'map.json');
  writeFileSync(mapping, JSON.stringify({ 'file:///footage/interview.mov': assetId, 'file:///footage/broll.mov': assetId }));
  const imported = cutroom(['import', file, '--from', 'otio', '--assets', mapping, '--asset', `file:///footage/music.wav=${assetId}`]);
  assert.equal(imported.status, 0, imported.stderr);
  const [projectId, ...rest] = imported.stdout.trim().split(/\s+/);
  assert.match(projectId!, /^prj_|^[A-Za-z0-9_]+$/);
  assert.match(rest.join(' '), /Interview cut v3 \(3 warnings\)/);
  assert.equal(imported.errLines.filter((l) => l.startsWith('warning INTERCHANGE_UNMAPPED')).length, 3);

  const mltFile = join(dir, 'cut.mlt');
  const exported = cutroom(['export', projectId!, '--to', 'mlt', '-o', mltFile, '--fps', '24', '--width', '320', '--height', '180']);
  assert.equal(exported.status, 0, exported.stderr);
  const mlt = readFileSync(mltFile, 'utf8');
  // The stored source path, so melt on this machine renders it.
  assert.match(mlt, new RegExp(`<property name="resource">${join(dir, 'data').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}[^<]+</property>`));
  if (spawnSync('melt', ['-version']).status === 0) {
    const out = join(dir, 'melt.mp4');
    const r = spawnSync('melt', ['-quiet', mltFile, '-consumer', `avformat:${out}`, 'vcodec=libx264', 'preset=ultrafast', 'an=1', 'real_time=0'], { env: { ...process.env, QT_QPA_PLATFORM: 'offscreen' } });
    assert.equal(r.status, 0, r.stderr.toString().slice(-1000));
  }
  const unknown = cutroom(['import', file, '--from', 'aaf']);
  assert.equal(unknown.status, 1);
  assert.equal(unknown.errLines.length, 1);
  assert.match(unknown.errLines[0]!, /^cutroom: INTERCHANGE_FORMAT_UNKNOWN: /);
  const unmapped = cutroom(['import', file, '--from', 'otio']);
  assert.match(unmapped.errLines[0]!, /^cutroom: INTERCHANGE_MEDIA_UNMAPPED: /);
});
