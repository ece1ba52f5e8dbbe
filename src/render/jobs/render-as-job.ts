/**
 * Render a timeline to a local file through the job machinery, in this process: submit, run the embedded queue
 * until the job ends, copy the output to `exportPath`. Long timelines render in chunks this way, so one ffmpeg
 * never holds every input's decoder (≈ 40 MB each at 1080p) — the CLI uses it for long edits.
 */
import { copyFile, mkdir, rename } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { RequestContext } from '../../context.js';
import { cutroomError } from '../../errors.js';
import type { JobRecord } from '../../jobs/job-queue.js';
import type { Services } from '../../media/services.js';
import type { Timeline } from '../../timeline/index.js';
import { createRenderQueue } from './create-render-queue.js';
import type { RenderJobResult } from './render-job-params.js';
import { submitRenderJob } from './submit-render-job.js';

export interface RenderAsJobInput {
  services: Services;
  ctx: RequestContext;
  timeline: Timeline;
  profile: string;
  exportPath: string;
  onProgress?: (fraction: number, detail?: Record<string, unknown>) => void;
}

const FINAL = new Set(['completed', 'failed', 'cancelled']);

export async function renderAsJob(input: RenderAsJobInput): Promise<JobRecord> {
  const { services, ctx } = input;
  const queue = await createRenderQueue({ services, start: false });
  try {
    const { job } = await submitRenderJob({
      services,
      queue,
      ctx,
      timeline: input.timeline,
      profile: input.profile,
      exportPath: input.exportPath,
    });
    const finished = new Promise<JobRecord>((resolve) => {
      void queue.subscribe(ctx, job.id, (event) => {
        if (event.type === 'progress') input.onProgress?.(event.progress, event.detail);
        else if (FINAL.has(event.job.state)) resolve(event.job);
      });
    });
    await queue.start();
    // The job may have ended before the subscription saw it (e.g. an identical render submitted earlier).
    const current = await queue.get(ctx, job.id);
    const result = FINAL.has(current.state) ? current : await finished;
    if (result.state !== 'completed') {
      throw cutroomError(
        'RENDER_FAILED',
        `render job ${result.id} ${result.state}: ${result.error?.message ?? 'no detail'}`,
        { job_id: result.id, state: result.state, error: result.error },
      );
    }
    // The same render done before (same plan, profile and output) is not run again: copy its output here.
    const done = result.result as RenderJobResult | null;
    if (done && done.export_path !== input.exportPath) {
      await mkdir(dirname(input.exportPath), { recursive: true });
      const tmp = `${input.exportPath}.partial-${process.pid}`;
      // An image sequence's .zip is the render artifact's content; anything else is the output asset.
      await copyFile(
        done.asset_id !== null
          ? await services.assets.assetPath(ctx, done.asset_id)
          : await services.artifacts.artifactPath(ctx, done.artifact_id),
        tmp,
      );
      await rename(tmp, input.exportPath);
    }
    return result;
  } finally {
    await queue.close();
  }
}
