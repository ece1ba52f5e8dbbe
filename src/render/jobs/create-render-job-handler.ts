/**
 * The `render` job: timeline → plan → video in chunks + audio once → lossless join → a new asset of the tenant.
 *
 * Where the result lives (decided here): the rendered file is registered as a NEW video asset of the tenant
 * (`tenants/{t}/{e}/media_v2/{asset_id}/source.mp4`), so it can be played, proxied, analysed or edited like any
 * upload, and a meta-only `render` artifact is attached to that asset with {plan_hash, profile, encoder, job_id,
 * frame_count}. The bytes are stored once (as the asset's source) instead of twice; `GET …/jobs/:id/output` serves
 * them. Re-running the job (a retry after the upload) finds the same asset by content hash.
 *
 * Image sequences (png_sequence, jpg_sequence) are the exception: their frames are one stored .zip, which is no
 * media asset, so it is the content of a `render` artifact that belongs to no asset
 * (`tenants/{t}/{e}/media_v2/_none/renders/{artifact_id}.zip`); `…/output` serves the zip, `…/output/frames`
 * lists the frames and `…/output/frames/{index}` serves one as a byte range of the zip (stored, not deflated).
 *
 * Chunking: a timeline shorter than two chunk lengths renders in one ffmpeg run. Longer ones are cut at frame
 * boundaries (preferring hard cuts) into chunks of `chunkMs`, shortened further when the plan has many inputs,
 * because ffmpeg 5.1 keeps every input's decoder allocated for the whole run (memory grows with segment count).
 * Each chunk is a `range` compile with video only and closed GOPs; audio is one pass over the whole timeline
 * (runChunkedRender explains why). Finished chunks are `render_segment` artifacts, so a retried or resumed job
 * re-renders only the missing ones.
 *
 * Loudness: profiles with a target are normalised with a measured gain (renderToFile measures the WHOLE timeline's
 * mix first, see measure-loudness.ts), in the one-piece render and in the audio pass of a chunked one alike, so
 * both give the same loudness and no ffmpeg holds loudnorm's 3 s of frames.
 */
import { copyFile, mkdir, rename, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { runChunkedRender } from '../../jobs/chunked-render.js';
import { planChunks, type RenderChunk } from '../../jobs/chunking.js';
import { timelineCutTimes } from '../../jobs/cut-times.js';
import type { JobHandler, JobHandlerTools } from '../../jobs/job-queue.js';
import { runFfmpeg, type FfmpegProgress } from '../../ffmpeg/run.js';
import type { Services } from '../../media/services.js';
import { SEQUENCE_FORMATS } from '../../plan/output/output-options.js';
import { resolveOutput } from '../../plan/output/resolve-output.js';
import { getProfile } from '../../plan/profiles.js';
import { parseTimeline } from '../../timeline/index.js';
import { prepareRender, type PreparedRender } from '../prepare-render.js';
import { renderToFile } from '../render-to-file.js';
import {
  declinedSmartMeta,
  planSmartForRender,
  smartQualifies,
  smartRenderToFile,
  type PlannedSmartRender,
  type SmartRenderMeta,
} from '../smart-render.js';
import { checkSourcesStored } from './check-sources-stored.js';
import { readStoredZipIndex } from '../read-zip-index.js';
import type { RenderJobFrames, RenderJobParams, RenderJobResult } from './render-job-params.js';

/** Bump when the render artifact's meaning changes in a way the plan hash does not show. */
export const RENDER_BACKEND_VERSION = 'cutroom-render-job/1';

export interface RenderJobHandlerOptions {
  services: Services;
  /** Wanted chunk length. Default 30 s. Timelines under 2 × chunkMs render in one piece. */
  chunkMs?: number;
  /** Most inputs one chunk's ffmpeg should open (memory bound). Default 64. */
  maxInputsPerChunk?: number;
  /** Chunks rendered at once within a job. Default 1 (the queue already runs jobs in parallel). */
  chunkConcurrency?: number;
  /** A chunk or the audio pass running longer is killed (retryable). Default none. */
  chunkTimeoutMs?: number;
}

export interface ChunkLayoutInput {
  durationMs: number;
  fps: { num: number; den: number };
  inputCount: number;
  cutTimesMs: readonly number[];
  chunkMs: number;
  maxInputsPerChunk: number;
}

/** The chunks of a render (one chunk = render in one piece). Exported for tests and the bench. */
export function chunkLayout(input: ChunkLayoutInput): RenderChunk[] {
  const { durationMs, fps, inputCount, chunkMs, maxInputsPerChunk } = input;
  let target = chunkMs;
  // Inputs spread over the timeline roughly evenly; shorter chunks open proportionally fewer of them.
  if (inputCount > maxInputsPerChunk)
    target = Math.min(target, (durationMs * maxInputsPerChunk) / inputCount);
  if (durationMs < 2 * target) target = durationMs;
  return planChunks({ durationMs, fps, targetChunkMs: Math.max(1, target), cutTimesMs: input.cutTimesMs });
}

function progressDetail(
  last: FfmpegProgress | null,
  startedAt: number,
  fraction: number,
): Record<string, unknown> {
  const elapsed = Date.now() - startedAt;
  return {
    fps: last ? Math.round(last.fps * 10) / 10 : 0,
    eta_ms: fraction > 0.01 && fraction < 1 ? Math.round((elapsed * (1 - fraction)) / fraction) : null,
  };
}

export function createRenderJobHandler(
  options: RenderJobHandlerOptions,
): JobHandler<RenderJobParams, RenderJobResult> {
  const { services } = options;
  const chunkMs = options.chunkMs ?? 30_000;
  const maxInputsPerChunk = options.maxInputsPerChunk ?? 64;

  return async (job, tools: JobHandlerTools) => {
    const { ctx, signal } = tools;
    const timeline = parseTimeline(job.params.timeline);
    const profileId = job.params.profile;
    const profile = getProfile(profileId);
    await checkSourcesStored({ services, ctx, timeline });

    const jobDir = join(services.config.workDir, 'jobs', job.id);
    await mkdir(jobDir, { recursive: true });
    const startedAt = Date.now();
    let lastFfmpeg: FfmpegProgress | null = null;
    const report = (fraction: number, detail: Record<string, unknown>) =>
      tools.reportProgress(fraction, { ...detail, ...progressDetail(lastFfmpeg, startedAt, fraction) });

    try {
      const outputOptions = job.params.output_options;
      const named = job.params.output ?? job.params.export_path;
      const resolved = resolveOutput({
        profile,
        ...(outputOptions ? { options: outputOptions } : {}),
        ...(named !== undefined ? { extension: named.slice(named.lastIndexOf('.') + 1) } : {}),
      });
      const withOutput = outputOptions ? { outputOptions } : {};
      const whole = await prepareRender({
        services,
        ctx,
        timeline,
        profile: profileId,
        workDir: jobDir,
        ...(outputOptions ? { output: outputOptions } : {}),
        // As at submit time (submitRenderJob), so the plan hash is the job's.
        ...(named !== undefined ? { outputExtension: resolved.extension } : {}),
      });
      const meta = whole.plan.meta;
      // Only MP4/MOV join losslessly from chunks; GIFs, WebM, audio and images render in one piece.
      const joinable = resolved.format === 'mp4' || resolved.format === 'mov';
      const laidOut = chunkLayout({
        durationMs: meta.duration_ms,
        fps: meta.fps,
        inputCount: whole.plan.inputs.length,
        cutTimesMs: timelineCutTimes(timeline),
        chunkMs,
        maxInputsPerChunk,
      });
      const chunks = joinable ? laidOut : laidOut.slice(0, 1);
      const output = join(jobDir, `output.${resolved.extension}`);
      let loudness: PreparedRender['loudness'];
      const keepLoudness = (prepared: PreparedRender) => {
        if (prepared.loudness) loudness = prepared.loudness;
      };
      let rendered: number[] = [0];
      let reused: number[] = [];
      let smartMeta: SmartRenderMeta | undefined;
      // Smart render: on request (`smart: true`), and by default for cut-only edits whose every segment
      // qualifies (smartQualifies); `smart: false` never. Plain MP4/MOV at the profile's size and rate only.
      let planned: PlannedSmartRender | undefined;
      if (joinable && outputOptions === undefined && job.params.smart !== false) {
        const planDir = join(jobDir, 'smart');
        await mkdir(planDir, { recursive: true });
        planned = await planSmartForRender({
          services,
          ctx,
          timeline,
          profile: profileId,
          workDir: planDir,
          signal,
        });
      }
      const smart =
        planned !== undefined && (job.params.smart === true || smartQualifies(planned.smart.meta));
      // Not rendered smart by default: the result still says what could have been copied and why not.
      if (planned && !smart) smartMeta = declinedSmartMeta(planned.smart);
      if (planned && smart) {
        // The smart render is itself piecewise (copied GOP runs + encoded patches + one audio pass), so it
        // replaces the chunk layout rather than running inside it: its encoded patches are short (a GOP or
        // less each) and its copies cost no encoding, so chunk artifacts would save a retry little.
        const r = await smartRenderToFile({
          services,
          ctx,
          timeline,
          profile: profileId,
          output,
          signal,
          planned,
          onProgress: (fraction, detail) => report(fraction * 0.95, { phase: 'render', ...detail }),
        });
        smartMeta = r.meta.smart;
      } else if (chunks.length === 1) {
        await renderToFile({
          services,
          ctx,
          timeline,
          profile: profileId,
          output,
          ...withOutput,
          signal,
          onPlan: keepLoudness,
          onProgress: (p) => {
            lastFfmpeg = p;
            report(p.fraction * 0.95, { phase: 'render', chunk: 0, chunks: 1 });
          },
        });
      } else {
        const result = await runChunkedRender({
          ctx,
          artifacts: services.artifacts,
          renderKey: { plan_hash: meta.plan_hash, profile: profileId },
          chunks,
          fps: meta.fps,
          output,
          workRoot: jobDir,
          renderVideoChunk: async (req) => {
            await renderToFile({
              services,
              ctx,
              timeline,
              profile: profileId,
              output: req.output,
              ...withOutput,
              range: { start_ms: req.chunk.start_ms, duration_ms: req.chunk.duration_ms },
              streams: 'video',
              ...(profile.video.gop !== undefined ? { gopFrames: profile.video.gop } : {}),
              signal: req.signal,
              onProgress: (p) => {
                lastFfmpeg = p;
                req.onProgress(p.fraction);
              },
            });
          },
          renderAudio: async (req) => {
            await renderToFile({
              services,
              ctx,
              timeline,
              profile: profileId,
              output: req.output,
              ...withOutput,
              streams: 'audio',
              signal: req.signal,
              onPlan: keepLoudness,
              onProgress: (p) => req.onProgress(p.fraction),
            });
          },
          runFfmpeg,
          signal,
          jobId: job.id,
          ...(options.chunkTimeoutMs !== undefined ? { chunkTimeoutMs: options.chunkTimeoutMs } : {}),
          ...(options.chunkConcurrency !== undefined ? { chunkConcurrency: options.chunkConcurrency } : {}),
          onProgress: (f, detail) => report(f * 0.95, detail),
        });
        rendered = result.rendered_chunks;
        reused = result.reused_chunks;
      }
      if (signal.aborted) throw signal.reason ?? new Error('aborted');

      // Store: the output becomes an asset (copied into the store atomically; a failing store leaves nothing).
      report(0.96, { phase: 'store' });
      const sequence = SEQUENCE_FORMATS.has(resolved.format);
      let frames: RenderJobFrames | undefined;
      if (sequence) {
        const entries = await readStoredZipIndex({ path: output });
        frames = {
          format: resolved.format === 'jpg_sequence' ? 'jpg' : 'png',
          count: entries.length,
          width: meta.width,
          height: meta.height,
          first: entries[0]?.name ?? '',
        };
      }
      const asset = sequence
        ? null
        : (await services.assets.registerAsset(ctx, { source: { path: output }, signal })).asset;
      const { artifact } = await services.artifacts.lookupOrCreateArtifact(ctx, {
        assetId: asset?.id ?? null,
        kind: 'render',
        backendVersion: RENDER_BACKEND_VERSION,
        params: { plan_hash: meta.plan_hash, profile: profileId, job_id: job.id },
        produce: async () => ({
          // The zip is the artifact's content (under the tenant's `_none` folder); other outputs are the asset.
          ...(sequence ? { content: { path: output }, name: 'renders/{artifact_id}.zip' } : {}),
          meta: {
            ...(frames ? { frames } : {}),
            plan_hash: meta.plan_hash,
            profile: profileId,
            encoder: meta.encoder.video_encoder,
            job_id: job.id,
            frame_count: meta.frame_count,
            duration_ms: meta.duration_ms,
            chunks: chunks.length,
            output: job.params.output ?? null,
            // The measured mix (null: no loudness target, or the audio pass was reused from an earlier run).
            loudness_measured_lufs:
              loudness && !loudness.silent ? Math.round(loudness.integrated_lufs * 100) / 100 : null,
          },
        }),
      });
      let exportPath: string | null = null;
      if (job.params.export_path) {
        exportPath = job.params.export_path;
        await mkdir(dirname(exportPath), { recursive: true });
        const tmp = `${exportPath}.partial-${process.pid}`;
        await copyFile(output, tmp);
        await rename(tmp, exportPath);
      }
      const size = (await stat(output)).size;
      report(1, { phase: 'done' });
      return {
        asset_id: asset?.id ?? null,
        artifact_id: artifact.id,
        ...(frames ? { frames } : {}),
        plan_hash: meta.plan_hash,
        profile: profileId,
        encoder: meta.encoder.video_encoder,
        frame_count: meta.frame_count,
        duration_ms: meta.duration_ms,
        size_bytes: size,
        chunks: smart ? 1 : chunks.length,
        rendered_chunks: rendered,
        reused_chunks: reused,
        output: job.params.output ?? null,
        export_path: exportPath,
        ...(smartMeta ? { smart: smartMeta } : {}),
      };
    } finally {
      await rm(jobDir, { recursive: true, force: true });
    }
  };
}
