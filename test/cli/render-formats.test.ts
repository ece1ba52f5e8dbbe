// `cutroom render --format …` (issue 15, point 1): the extension decides the container, --format must agree
// with it, and a GIF / poster / WebM written by the CLI is what ffprobe says it is.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { frameCount, probeJson, solidClip } from '../helpers/media.js';
import { cutroomIn } from './run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'cutroom-cli-formats-'));
after(() => rmSync(dir, { recursive: true, force: true }));

async function timelineFile(): Promise<string> {
  const blue = await solidClip({ color: '#0000FF', durationMs: 1000 });
  const added = cutroomIn(dir, ['assets', 'add', blue, '--json']);
  assert.equal(added.status, 0, added.stderr);
  const assetId = JSON.parse(added.stdout).asset.id as string;
  const path = join(dir, 'timeline.json');
  writeFileSync(
    path,
    JSON.stringify({
      tracks: [{ id: 'v', kind: 'video', clips: [{ id: 'b', asset_id: assetId, start_ms: 0, out_ms: 600 }] }],
    }),
  );
  return path;
}

test('gif and png poster from the CLI; size and fps options apply', async () => {
  const timeline = await timelineFile();
  const gif = join(dir, 'out.gif');
  const run = cutroomIn(dir, [
    'render',
    timeline,
    '-o',
    gif,
    '--profile',
    'draft_360p',
    '--gif-max-width',
    '320',
  ]);
  assert.equal(run.status, 0, run.stderr);
  const g = (await probeJson(gif)).streams[0] as unknown as { codec_name: string; width: number };
  assert.equal(g.codec_name, 'gif');
  assert.equal(g.width, 320);
  assert.equal(await frameCount(gif, { decode: true }), 9); // 600 ms at the 15 fps cap
  const png = join(dir, 'poster.png');
  const p = cutroomIn(dir, [
    'render',
    timeline,
    '-o',
    png,
    '--profile',
    'draft_360p',
    '--poster-ms',
    '300',
    '--width',
    '200',
  ]);
  assert.equal(p.status, 0, p.stderr);
  const s = (await probeJson(png)).streams[0] as unknown as {
    codec_name: string;
    width: number;
    height: number;
  };
  assert.deepEqual([s.codec_name, s.width, s.height], ['png', 200, 112]);
});

test('an extension that is no format, or disagrees with --format, fails with one coded line', async () => {
  const timeline = await timelineFile();
  const mkv = cutroomIn(dir, ['render', timeline, '-o', join(dir, 'out.mkv'), '--profile', 'draft_360p']);
  assert.notEqual(mkv.status, 0);
  assert.match(mkv.stderr, /OUTPUT_FORMAT_MISMATCH/);
  const clash = cutroomIn(dir, ['render', timeline, '-o', join(dir, 'out.mp4'), '--format', 'webm']);
  assert.notEqual(clash.status, 0);
  assert.match(clash.stderr, /OUTPUT_FORMAT_MISMATCH: format webm is written as \.webm/);
  const odd = cutroomIn(dir, ['render', timeline, '-o', join(dir, 'odd.mp4'), '--width', '301']);
  assert.notEqual(odd.status, 0);
  assert.match(odd.stderr, /VALIDATION_FAILED.*width: must be even/);
});
