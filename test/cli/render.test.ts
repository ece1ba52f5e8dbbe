// `cutroom render` as a user runs it: register with the CLI, render a timeline file, check the output.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { durationMs, frameCount, sampleColor, solidClip } from '../helpers/media.js';
import { cutroomIn } from './run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'cutroom-cli-render-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('render a registered clip to a file, with plain progress lines off a terminal', async () => {
  const green = await solidClip({ color: '#00FF00', durationMs: 1500 });
  const added = cutroomIn(dir, ['assets', 'add', green, '--json']);
  assert.equal(added.status, 0, added.stderr);
  const assetId = JSON.parse(added.stdout).asset.id as string;
  const timelinePath = join(dir, 'timeline.json');
  writeFileSync(
    timelinePath,
    JSON.stringify({
      tracks: [
        { id: 'v', kind: 'video', clips: [{ id: 'g', asset_id: assetId, start_ms: 0, out_ms: 1000 }] },
      ],
    }),
  );
  const out = join(dir, 'out.mp4');
  const run = cutroomIn(dir, ['render', timelinePath, '-o', out, '--profile', 'draft_360p']);
  assert.equal(run.status, 0, run.stderr);
  assert.match(run.stdout, /rendered .*out\.mp4: 1000 ms, 30 frames/);
  assert.ok(
    run.errLines.some((l) => /^render: 100%/.test(l)),
    run.stderr,
  );
  assert.ok(Math.abs((await durationMs(out, 'video')) - 1000) <= 34);
  const c = await sampleColor({ file: out, tMs: 500, x: 320, y: 180 });
  assert.ok(c.g > 200 && c.r < 60 && c.b < 60, JSON.stringify(c));
});

test('--chunked renders through the job machinery in this process, to the same frames', async () => {
  const green = await solidClip({ color: '#00FF00', durationMs: 1500 });
  const added = cutroomIn(dir, ['assets', 'add', green, '--json']);
  const assetId = JSON.parse(added.stdout).asset.id as string;
  const timelinePath = join(dir, 'timeline-chunked.json');
  writeFileSync(
    timelinePath,
    JSON.stringify({
      tracks: [
        { id: 'v', kind: 'video', clips: [{ id: 'g', asset_id: assetId, start_ms: 0, out_ms: 1200 }] },
      ],
    }),
  );
  const out = join(dir, 'chunked.mp4');
  const run = cutroomIn(dir, ['render', timelinePath, '-o', out, '--profile', 'draft_360p', '--chunked']);
  assert.equal(run.status, 0, run.stderr);
  assert.match(run.stdout, /rendered .*chunked\.mp4: 1200 ms, 36 frames, as job job_/);
  assert.equal(await frameCount(out), 36);
  const c = await sampleColor({ file: out, tMs: 600, x: 320, y: 180 });
  assert.ok(c.g > 200 && c.r < 60 && c.b < 60, JSON.stringify(c));
});

test('--dry-run --json prints the plan without rendering', () => {
  const timelinePath = join(dir, 'missing.json');
  writeFileSync(
    timelinePath,
    JSON.stringify({
      tracks: [
        { id: 'v', kind: 'video', clips: [{ id: 'g', asset_id: 'ast_nope', start_ms: 0, out_ms: 1000 }] },
      ],
    }),
  );
  const run = cutroomIn(dir, ['render', timelinePath, '--dry-run', '--json', '--profile', 'draft_360p']);
  assert.equal(run.status, 0, run.stderr);
  const prepared = JSON.parse(run.stdout);
  assert.deepEqual(prepared.missing_assets, [
    { asset_id: 'ast_nope', paths: ['tracks[0].clips[0].asset_id'] },
  ]);
});

test('an invalid timeline exits non-zero with one line per issue and its path', () => {
  const timelinePath = join(dir, 'bad.json');
  writeFileSync(
    timelinePath,
    JSON.stringify({
      tracks: [{ id: 'v', kind: 'video', clips: [{ id: 'g', asset_id: 'x', start_ms: -1, speed: 10 }] }],
    }),
  );
  const run = cutroomIn(dir, ['render', timelinePath, '-o', join(dir, 'never.mp4')]);
  assert.equal(run.status, 2);
  assert.deepEqual(
    run.errLines.map((l) => l.replace(/: .*$/, '')),
    ['cutroom', 'cutroom'],
  );
  assert.ok(run.errLines.some((l) => l.includes('tracks[0].clips[0].start_ms')));
  assert.ok(run.errLines.some((l) => l.includes('tracks[0].clips[0].speed')));
});

test('a render of an unknown asset fails with one readable line', () => {
  const timelinePath = join(dir, 'missing2.json');
  writeFileSync(
    timelinePath,
    JSON.stringify({
      tracks: [
        { id: 'v', kind: 'video', clips: [{ id: 'g', asset_id: 'ast_nope', start_ms: 0, out_ms: 1000 }] },
      ],
    }),
  );
  const run = cutroomIn(dir, ['render', timelinePath, '-o', join(dir, 'never.mp4')]);
  assert.equal(run.status, 1);
  assert.equal(run.errLines.length, 1);
  assert.match(run.errLines[0]!, /^cutroom: ASSET_NOT_FOUND: .*tracks\[0\]\.clips\[0\]\.asset_id/);
});
