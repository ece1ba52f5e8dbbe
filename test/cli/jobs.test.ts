// `cutroom render --detach` + `cutroom jobs ls|show|cancel|resume` on one data dir; a render queue (what
// `cutroom serve` runs) then processes the detached job and copies the file to -o.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServices } from '../../src/media/services.js';
import { createRenderQueue } from '../../src/render/jobs/index.js';
import { frameCount, hasAudio, solidClip } from '../helpers/media.js';
import { waitForJob } from '../render/jobs-helpers.js';
import { cutroomIn } from './run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'cutroom-cli-jobs-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const dataDir = join(dir, 'data');
const cutroom = (args: string[]) => cutroomIn(dir, ['--data-dir', dataDir, ...args]);

test('render --detach queues a job that jobs ls/show/cancel/resume see, and the queue renders it', async () => {
  const red = await solidClip({ color: '#FF0000', durationMs: 1000 });
  const added = cutroom(['assets', 'add', red, '--json']);
  assert.equal(added.status, 0, added.stderr);
  const assetId = JSON.parse(added.stdout).asset.id as string;
  const timelinePath = join(dir, 'timeline.json');
  writeFileSync(
    timelinePath,
    JSON.stringify({
      tracks: [
        { id: 'v', kind: 'video', clips: [{ id: 'r', asset_id: assetId, start_ms: 0, out_ms: 1000 }] },
      ],
    }),
  );
  const out = join(dir, 'exported', 'red.mp4');
  const detached = cutroom(['render', timelinePath, '-o', out, '--profile', 'draft_360p', '--detach']);
  assert.equal(detached.status, 0, detached.stderr);
  const jobId = detached.stdout.trim();
  assert.match(jobId, /^job_[0-9a-f]{32}$/);

  const shown = cutroom(['jobs', 'show', jobId, '--json']);
  assert.equal(shown.status, 0, shown.stderr);
  assert.equal(JSON.parse(shown.stdout).job.state, 'queued');
  const listed = cutroom(['jobs', 'ls']);
  assert.match(listed.stdout, new RegExp(`^${jobId}\\s+render\\s+queued`, 'm'));

  const cancelled = cutroom(['jobs', 'cancel', jobId, '--json']);
  assert.equal(JSON.parse(cancelled.stdout).job.state, 'cancelled');
  const resumed = cutroom(['jobs', 'resume', jobId, '--json']);
  assert.equal(JSON.parse(resumed.stdout).job.state, 'queued');
  const missing = cutroom(['jobs', 'show', 'job_nope']);
  assert.notEqual(missing.status, 0);
  assert.match(missing.stderr, /JOB_NOT_FOUND/);

  // What `cutroom serve` does: run the render queue on the data dir.
  const services = await createServices({ dataDir });
  const queue = await createRenderQueue({ services, queue: { concurrency: 1, pollMs: 50 } });
  try {
    const ctx = { tenantId: 'local', env: 'dev', requestId: 'req_cli_test' };
    const job = await waitForJob(queue, ctx, jobId);
    assert.equal(job.state, 'completed', JSON.stringify(job.error));
  } finally {
    await queue.close();
    await services.close();
  }
  assert.equal(await frameCount(out), 30);
  assert.ok(await hasAudio(out));
  const final = cutroom(['jobs', 'show', jobId]);
  assert.match(final.stdout, /completed/);
});

test('render --detach --format png_sequence: the queue renders the frames and copies the zip to -o', async () => {
  const timelinePath = join(dir, 'fill.json');
  writeFileSync(
    timelinePath,
    JSON.stringify({
      tracks: [
        {
          id: 'v',
          kind: 'video',
          clips: [
            {
              id: 'f',
              asset_id: 'generator:f',
              start_ms: 0,
              duration_ms: 500,
              generator: { type: 'color', color: '#0000FF' },
            },
          ],
        },
      ],
    }),
  );
  const out = join(dir, 'exported', 'frames.zip');
  const detached = cutroom([
    'render',
    timelinePath,
    '-o',
    out,
    '--profile',
    'draft_360p',
    '--format',
    'png_sequence',
    '--fps',
    '10',
    '--detach',
  ]);
  assert.equal(detached.status, 0, detached.stderr);
  const jobId = detached.stdout.trim();
  const services = await createServices({ dataDir });
  const queue = await createRenderQueue({ services, queue: { concurrency: 1, pollMs: 50 } });
  try {
    const job = await waitForJob(queue, { tenantId: 'local', env: 'dev', requestId: 'req_cli_seq' }, jobId);
    assert.equal(job.state, 'completed', JSON.stringify(job.error));
    assert.equal((job.result as { asset_id: string | null }).asset_id, null);
  } finally {
    await queue.close();
    await services.close();
  }
  const listing = spawnSync('unzip', ['-Z1', out]);
  assert.equal(listing.status, 0, listing.stderr.toString());
  assert.deepEqual(
    listing.stdout.toString().trim().split('\n'),
    Array.from({ length: 5 }, (_, i) => `frame_00000${i}.png`),
  );
});
