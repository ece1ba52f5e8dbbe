// cutroom shots / analyze / highlights / autocut: the real CLI in a child process, on real (small) media, with
// the registry and artifact caches the HTTP routes use.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cutroomIn, type Run } from './run-cli.js';

let dir: string;
let cutClip: string;

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'cutroom-cli-analysis-'));
  cutClip = join(dir, 'cut-at-30.mp4');
  // 30 frames of testsrc2, then 30 of smptebars: one hard cut at frame 30 (1.2 s at 25 fps), with a tone.
  const r = spawnSync('ffmpeg', [
    '-v',
    'error',
    '-y',
    '-f',
    'lavfi',
    '-i',
    'testsrc2=s=160x90:r=25:d=1.2',
    '-f',
    'lavfi',
    '-i',
    'smptebars=s=160x90:r=25:d=1.2',
    '-f',
    'lavfi',
    '-i',
    'sine=f=440:d=2.4',
    '-filter_complex',
    '[0:v][1:v]concat=n=2:v=1:a=0,format=yuv420p[v]',
    '-map',
    '[v]',
    '-map',
    '2:a',
    '-c:v',
    'libx264',
    '-preset',
    'veryfast',
    '-c:a',
    'aac',
    cutClip,
  ]);
  assert.equal(r.status, 0, r.stderr?.toString());
});
after(() => rmSync(dir, { recursive: true, force: true }));

const cutroom = (args: string[]): Run => cutroomIn(dir, args);

test('shots --json: the hard cut with its frame number; a second run is served from the cache', () => {
  const r = cutroom(['shots', cutClip, '--json']);
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.match(out.asset_id, /^ast_/);
  assert.deepEqual(out.shot_list.cuts, [30]);
  assert.equal(out.shot_list.shots.length, 2);
  assert.equal(out.shot_list.shots[1].start_ms, 1200);
  assert.equal(out.cached, false);
  const again = JSON.parse(cutroom(['shots', cutClip, '--json']).stdout);
  assert.equal(again.cached, true);
  assert.equal(again.artifact_id, out.artifact_id);
  // By asset id, too: the same artifact.
  const byId = JSON.parse(cutroom(['shots', out.asset_id, '--json']).stdout);
  assert.equal(byId.artifact_id, out.artifact_id);
  const human = cutroom(['shots', cutClip]);
  assert.equal(human.status, 0);
  assert.match(human.stdout, /cut {8}at frame 30 \(1\.200 s\)/);
});

test('analyze --json: visual meta and audio semantic timeline artifacts of the same asset', () => {
  const r = cutroom(['analyze', cutClip, '--json', '--interval-ms', '400']);
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.equal(out.visual_meta.value.frame_count, 60);
  assert.equal(out.visual_meta.value.samples.length, 6);
  assert.ok(out.audio_semantic_timeline.value.windows.length >= 1);
  assert.ok(out.audio_semantic_timeline.value.integrated_lufs < 0);
});

test('bad inputs: one readable line and a non-zero exit', () => {
  const missing = cutroom(['shots', join(dir, 'nope.mp4')]);
  assert.equal(missing.status, 1);
  assert.equal(missing.errLines.length, 1, missing.stderr);
  assert.match(missing.errLines[0]!, /^cutroom: INVALID_PATH: .*nope\.mp4/);

  const traversal = cutroom(['shots', '../../etc/passwd']);
  assert.notEqual(traversal.status, 0);
  assert.equal(traversal.errLines.length, 1, traversal.stderr);
  assert.match(traversal.errLines[0]!, /^cutroom: [A-Z_]+: /);

  const interval = cutroom(['analyze', cutClip, '--interval-ms', '5']);
  assert.equal(interval.status, 2);
  assert.match(interval.errLines[0]!, /^cutroom: CLI_USAGE: --interval-ms/);

  const unknownAsset = cutroom(['shots', 'ast_doesnotexist']);
  assert.equal(unknownAsset.status, 1);
  assert.match(unknownAsset.errLines[0]!, /^cutroom: ASSET_NOT_FOUND: /);

  const oneCam = cutroom(['autocut', cutClip]);
  assert.equal(oneCam.status, 2);
  assert.match(oneCam.errLines[0]!, /^cutroom: CLI_USAGE: autocut takes 2 to 4 cameras/);

  const noTarget = cutroom(['highlights', cutClip, '--target-ms', 'ten']);
  assert.equal(noTarget.status, 2);
  assert.match(noTarget.errLines[0]!, /^cutroom: CLI_USAGE: --target-ms/);
});

test('envs are walls: an asset id of env dev is not found from env prod', () => {
  const dev = JSON.parse(cutroom(['shots', cutClip, '--json']).stdout);
  const prod = cutroom(['--env', 'prod', 'shots', dev.asset_id, '--json']);
  assert.equal(prod.status, 1);
  assert.match(prod.errLines[0]!, /^cutroom: ASSET_NOT_FOUND: /);
});

test('highlights: ranges within the clip, timeline written to a file', () => {
  const file = join(dir, 'hl.json');
  const r = cutroom([
    'highlights',
    cutClip,
    '--target-ms',
    '1000',
    '--min-ms',
    '500',
    '--max-ms',
    '1000',
    '--faces',
    'none',
    '--json',
    '--timeline',
    file,
  ]);
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  for (const h of out.ranges) assert.ok(h.start_ms >= 0 && h.end_ms <= 2400 && h.end_ms > h.start_ms);
  assert.ok(out.total_ms <= 1000);
  const timeline = JSON.parse(readFileSync(file, 'utf8'));
  assert.deepEqual(timeline, out.timeline);
});
