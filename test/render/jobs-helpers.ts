/** Shared setup for render-job tests: services on a temp dir, red/green/blue clips, a cut timeline, waiting. */
import type { RequestContext } from '../../src/context.js';
import type { JobQueue, JobRecord } from '../../src/jobs/job-queue.js';
import { parseTimeline, type Timeline } from '../../src/timeline/index.js';
import { solidClip } from '../helpers/media.js';
import type { TestServices } from '../media/setup.js';

export async function registerColours(
  services: TestServices,
  ctx: RequestContext,
  colours: string[] = ['#FF0000', '#00FF00', '#0000FF'],
  durationMs = 1000,
): Promise<string[]> {
  const ids: string[] = [];
  for (const color of colours) {
    const path = await solidClip({ color, durationMs, width: 320, height: 240 });
    ids.push((await services.assets.registerAsset(ctx, { source: { path } })).asset.id);
  }
  return ids;
}

/** Back-to-back clips of `clipMs` each (hard cuts). */
export function cutTimeline(assetIds: string[], clipMs = 1000): Timeline {
  return parseTimeline({
    tracks: [
      {
        id: 'v',
        kind: 'video',
        clips: assetIds.map((asset_id, i) => ({
          id: `c${i}`,
          asset_id,
          start_ms: i * clipMs,
          in_ms: 0,
          out_ms: clipMs,
        })),
      },
    ],
  });
}

const FINAL = new Set(['completed', 'failed', 'cancelled']);

export async function waitForJob(
  queue: JobQueue,
  ctx: RequestContext,
  jobId: string,
  until: (job: JobRecord) => boolean = (j) => FINAL.has(j.state),
  timeoutMs = 120_000,
): Promise<JobRecord> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const job = await queue.get(ctx, jobId);
    if (until(job)) return job;
    if (Date.now() > deadline) throw new Error(`job ${jobId} still ${job.state} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
