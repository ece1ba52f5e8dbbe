/**
 * A chunked render spread over many workers. The `render` job fans out one `render_chunk` child job per chunk;
 * each child renders its chunk on whichever worker takes it and registers it as a `render_segment` artifact;
 * the parent waits (parked, holding no worker) and, when every child is done, joins the segments losslessly on
 * one worker. Both halves are runChunkedRender: a child runs it on its one chunk (which registers the segment
 * under the same cache key the full render uses), and the join runs it on all chunks, so it finds every segment
 * by key and only renders the audio and concatenates (were a segment still missing, the join would render it
 * itself). A failed or cancelled child fails the render with the child's error.
 *
 * Exactly once: a worker killed mid-chunk stops renewing its BullMQ lock; the stalled job is taken over by
 * another worker, and a segment is registered only when complete (artifact registry), so each segment is
 * registered once and the join, guarded by the job row's conditional updates, completes the render once.
 *
 * Without flows (the embedded queue) the `render` handler simply renders every chunk itself.
 */
import { rm } from 'node:fs/promises';
import { extname, join } from 'node:path';
import type { RequestContext } from '../context.js';
import { cutroomError, ERRORS, type ErrorCode } from '../errors.js';
import type { ArtifactService } from '../media/artifacts.js';
import { hasFlowTools } from './bullmq-queue.js';
import {
  runChunkedRender,
  type AudioRenderRequest,
  type ChunkRenderRequest,
  type RunFfmpegLike,
} from './chunked-render.js';
import type { Fps, RenderChunk } from './chunking.js';
import type { JobHandler, JobHandlers } from './job-queue.js';

export const RENDER_CHUNK_KIND = 'render_chunk';

export interface DistributedRenderLayout {
  /** Identifies the rendered content (e.g. {plan_hash, profile}); part of every segment's cache key. */
  renderKey: Record<string, unknown>;
  chunks: RenderChunk[];
  fps: Fps;
  /** Local output file of the join (its extension is also the segments' container). */
  output: string;
}

export interface DistributedRenderOptions<P> {
  artifacts: ArtifactService;
  /** Scratch root on each worker. */
  workRoot: string;
  runFfmpeg: RunFfmpegLike;
  /** Must be deterministic: every worker recomputes it from the same params to find its chunk. */
  layout(input: { params: P; ctx: RequestContext; jobId: string }): Promise<DistributedRenderLayout>;
  renderVideoChunk(input: { params: P; ctx: RequestContext; request: ChunkRenderRequest }): Promise<void>;
  renderAudio?(input: { params: P; ctx: RequestContext; request: AudioRenderRequest }): Promise<void>;
  /** Called once per chunk render attempt and per durable segment (logging, tests). */
  onChunkEvent?(event: { type: 'start' | 'segment'; index: number; reused?: boolean; jobId: string }): void;
  /** Job kind of the parent. Default "render". */
  kind?: string;
}

export interface RenderChunkParams<P> {
  parent_job_id: string;
  chunk_index: number;
  render: P;
}

export interface DistributedRenderResult {
  output: string;
  frame_count: number;
  duration_ms: number;
  segments: Array<{ index: number; artifact_id: string }>;
  chunk_jobs: string[];
  /** Chunks the join had to render itself (none when the children did their work). */
  rendered_in_join: number[];
}

export function createDistributedRenderHandlers<P>(options: DistributedRenderOptions<P>): JobHandlers {
  const kind = options.kind ?? 'render';

  const render: JobHandler<P, DistributedRenderResult> = async (job, tools) => {
    const { ctx, signal } = tools;
    const layout = await options.layout({ params: job.params, ctx, jobId: job.id });
    let chunkJobs: string[] = [];
    if (hasFlowTools(tools) && layout.chunks.length > 1) {
      if (!tools.resumedFromChildren) {
        await tools.submitChildren(
          layout.chunks.map((c) => ({
            kind: RENDER_CHUNK_KIND,
            params: { parent_job_id: job.id, chunk_index: c.index, render: job.params },
            weight: c.frame_count,
            maxAttempts: job.max_attempts,
          })),
          { progressShare: 0.85 },
        );
        await tools.waitForChildren();
      }
      // Every child has finished. A failed or cancelled one fails the render with its error (a retry or resume
      // of the render re-queues it).
      const finished = await tools.children();
      chunkJobs = finished.map((c) => c.id);
      const bad = finished.find((c) => c.state !== 'completed');
      if (bad) {
        const code: ErrorCode =
          bad.error && Object.hasOwn(ERRORS, bad.error.code) ? bad.error.code : 'RENDER_FAILED';
        throw cutroomError(code, `chunk job ${bad.id} ended ${bad.state}: ${bad.error?.message ?? ''}`, {
          ...(bad.error?.details ?? {}),
          chunk_job_id: bad.id,
          chunk_state: bad.state,
        });
      }
    }
    const renderedInJoin: number[] = [];
    const result = await runChunkedRender({
      ctx,
      artifacts: options.artifacts,
      renderKey: layout.renderKey,
      chunks: layout.chunks,
      fps: layout.fps,
      output: layout.output,
      workRoot: join(options.workRoot, 'jobs', job.id),
      renderVideoChunk: async (request) => {
        renderedInJoin.push(request.chunk.index);
        options.onChunkEvent?.({ type: 'start', index: request.chunk.index, jobId: job.id });
        await options.renderVideoChunk({ params: job.params, ctx, request });
      },
      ...(options.renderAudio
        ? {
            renderAudio: (request: AudioRenderRequest) =>
              options.renderAudio!({ params: job.params, ctx, request }),
          }
        : {}),
      runFfmpeg: options.runFfmpeg,
      signal,
      jobId: job.id,
      onProgress: (f, detail) => tools.reportProgress(f, detail),
      onSegment: (s) => {
        if (s.index !== 'audio' && !s.reused)
          options.onChunkEvent?.({ type: 'segment', index: s.index, reused: false, jobId: job.id });
      },
    });
    return {
      output: result.output,
      frame_count: result.frame_count,
      duration_ms: result.duration_ms,
      segments: result.segments.map((s) => ({ index: s.index, artifact_id: s.artifact_id })),
      chunk_jobs: chunkJobs,
      rendered_in_join: renderedInJoin,
    };
  };

  const renderChunk: JobHandler<RenderChunkParams<P>, unknown> = async (job, tools) => {
    const { ctx, signal } = tools;
    const { chunk_index: index, render: params, parent_job_id: parentId } = job.params;
    const layout = await options.layout({ params, ctx, jobId: parentId });
    const chunk = layout.chunks.find((c) => c.index === index);
    if (!chunk)
      throw cutroomError('INVALID_PARAM', `the render has no chunk ${index}`, {
        chunk_index: index,
        chunks: layout.chunks.length,
      });
    // runChunkedRender on this one chunk registers its segment under the full render's cache key; the
    // one-segment "join" it also does is a stream copy of a few hundred kB, thrown away here.
    const scratch = join(options.workRoot, 'jobs', job.id);
    const throwaway = join(scratch, `chunk-${index}${extname(layout.output) || '.mp4'}`);
    try {
      const r = await runChunkedRender({
        ctx,
        artifacts: options.artifacts,
        renderKey: layout.renderKey,
        chunks: [chunk],
        fps: layout.fps,
        output: throwaway,
        workRoot: scratch,
        renderVideoChunk: async (request) => {
          options.onChunkEvent?.({ type: 'start', index, jobId: parentId });
          await options.renderVideoChunk({ params, ctx, request });
        },
        runFfmpeg: options.runFfmpeg,
        signal,
        jobId: job.id,
        onProgress: (f, detail) => tools.reportProgress(f, detail),
        onSegment: (s) =>
          options.onChunkEvent?.({ type: 'segment', index, reused: s.reused, jobId: parentId }),
      });
      const seg = r.segments[0]!;
      return { chunk_index: index, artifact_id: seg.artifact_id, reused: seg.reused };
    } finally {
      await rm(scratch, { recursive: true, force: true });
    }
  };

  return {
    [kind]: render as JobHandler<never, unknown>,
    [RENDER_CHUNK_KIND]: renderChunk as JobHandler<never, unknown>,
  };
}
