/**
 * Chunked, resumable render runner. The video is rendered chunk by chunk (each chunk a frame-exact range of the
 * timeline, video only, by its own ffmpeg through the injected `renderVideoChunk`), the audio once for the whole
 * range (`renderAudio`), then everything is joined LOSSLESSLY: the concat demuxer reads the segments in order
 * and the muxer copies the streams (`-c copy`), with the audio as a second input.
 *
 * Why audio is not chunked: AAC frames are 1024 samples long and every encoder run adds priming samples, so
 * audio segments joined end to end click or leave gaps at the seams (and a 30 fps chunk is rarely a multiple of
 * 1024 samples). Rendering audio in one pass makes it continuous by construction; only video is cut, at frame
 * boundaries, where each segment starts with its own IDR frame (a fresh encoder = a closed GOP), which the
 * concat demuxer can join without re-encoding.
 *
 * Durability: every finished segment (and the audio) is registered as a `render_segment` artifact whose cache
 * key is (render key, stream, frame range). The artifact registry writes atomically and registers only complete
 * files, so after a crash the next attempt finds the finished segments by key and renders only the missing ones.
 *
 * This layer may not import src/ffmpeg (jobs sits below it in the layer order): the ffmpeg runner is injected
 * (`runFfmpeg` from src/ffmpeg fits the type).
 */
import { mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, extname, join, resolve } from 'node:path';
import type { RequestContext } from '../context.js';
import { cutroomError, isCutroomError } from '../errors.js';
import type { ArtifactService } from '../media/artifacts.js';
import type { Fps, RenderChunk } from './chunking.js';
import { concatList } from './concat-list.js';

/** Bump when segment files change in a way the render key does not show. */
export const SEGMENT_BACKEND_VERSION = 'cutroom-chunked-render/1';

/** The subset of src/ffmpeg runFfmpeg this runner uses (runFfmpeg itself fits). */
export type RunFfmpegLike = (opts: {
  args: string[];
  output?: string;
  durationMs?: number;
  signal?: AbortSignal;
  onProgress?: (progress: { fraction: number }) => void;
  timeoutMs?: number;
  stage: 'mux';
  context?: Record<string, unknown>;
}) => Promise<unknown>;

export interface ChunkRenderRequest {
  chunk: RenderChunk;
  /** Write a VIDEO-ONLY file with exactly chunk.frame_count frames here (same container as the output). */
  output: string;
  /** Aborted on cancel and on the per-chunk timeout: pass it to runFfmpeg. */
  signal: AbortSignal;
  /** 0..1 within the chunk. */
  onProgress: (fraction: number) => void;
}

export interface AudioRenderRequest {
  /** Write an AUDIO-ONLY file of the whole range here (`.m4a` for mp4/mov output). */
  output: string;
  signal: AbortSignal;
  onProgress: (fraction: number) => void;
}

export interface ChunkedRenderInput {
  ctx: RequestContext;
  artifacts: ArtifactService;
  /** Identifies the rendered content (e.g. {plan_hash, profile}); part of every segment's cache key. */
  renderKey: Record<string, unknown>;
  chunks: readonly RenderChunk[];
  /** The output frame rate the chunks were planned on (exact segment durations for the join). */
  fps: Fps;
  /** Final local output file; written to a temp name beside it and renamed when complete. */
  output: string;
  /** Scratch directory root (a private sub-directory is made and removed). */
  workRoot: string;
  renderVideoChunk: (req: ChunkRenderRequest) => Promise<void>;
  /** Omit for a video-only output. */
  renderAudio?: (req: AudioRenderRequest) => Promise<void>;
  runFfmpeg: RunFfmpegLike;
  signal: AbortSignal;
  /** A chunk (or the audio pass) running longer is killed: RENDER_FAILED with details.timed_out (retryable). */
  chunkTimeoutMs?: number;
  /** Chunks rendered at once. Default 1 (the job queue already runs jobs in parallel). */
  chunkConcurrency?: number;
  onProgress?: (fraction: number, detail: Record<string, unknown>) => void;
  /** Called when a segment is durable (after registration), e.g. to log or count. */
  onSegment?: (info: { index: number | 'audio'; artifact_id: string; reused: boolean }) => void;
  /** Carried into error details. */
  jobId?: string;
}

export interface ChunkedRenderResult {
  output: string;
  frame_count: number;
  duration_ms: number;
  segments: Array<{ index: number; artifact_id: string; reused: boolean }>;
  audio_artifact_id: string | null;
  rendered_chunks: number[];
  reused_chunks: number[];
}

/** Share of the progress bar: video chunks by frame count, then audio, then the join. */
const AUDIO_SHARE = 0.1;
const MUX_SHARE = 0.05;

function cancelled(context: Record<string, unknown>): never {
  throw cutroomError('RENDER_CANCELLED', 'the render was cancelled', context);
}

/** Runs `work` with a signal that also aborts after timeoutMs; a timeout becomes a retryable RENDER_FAILED. */
async function withTimeout<T>(
  outer: AbortSignal,
  timeoutMs: number | undefined,
  context: Record<string, unknown>,
  work: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  if (timeoutMs === undefined) return work(outer);
  const timer = new AbortController();
  const handle = setTimeout(() => timer.abort(), timeoutMs);
  try {
    return await work(AbortSignal.any([outer, timer.signal]));
  } catch (err) {
    if (timer.signal.aborted && !outer.aborted)
      throw cutroomError('RENDER_FAILED', `render chunk timed out after ${timeoutMs} ms`, {
        stage: 'encode',
        context,
        timed_out: true,
      });
    throw err;
  } finally {
    clearTimeout(handle);
  }
}

export async function runChunkedRender(input: ChunkedRenderInput): Promise<ChunkedRenderResult> {
  const { ctx, artifacts, renderKey, chunks, signal, chunkTimeoutMs } = input;
  if (chunks.length === 0) throw cutroomError('INVALID_PARAM', 'a chunked render needs at least one chunk');
  const output = resolve(input.output);
  const ext = extname(output) || '.mp4';
  const totalFrames = chunks.reduce((n, c) => n + c.frame_count, 0);
  const durationMs = chunks.reduce((n, c) => n + c.duration_ms, 0);
  const baseContext = { job_id: input.jobId, render_key: renderKey };
  const videoShare = 1 - MUX_SHARE - (input.renderAudio ? AUDIO_SHARE : 0);
  const chunkFraction = new Map<number, number>();
  let audioFraction = 0;
  const report = (detail: Record<string, unknown>) => {
    if (!input.onProgress) return;
    let frames = 0;
    for (const c of chunks) frames += c.frame_count * (chunkFraction.get(c.index) ?? 0);
    const fraction =
      (frames / totalFrames) * videoShare + audioFraction * (input.renderAudio ? AUDIO_SHARE : 0);
    input.onProgress(Math.min(1 - MUX_SHARE, fraction), detail);
  };

  if (signal.aborted) cancelled(baseContext);
  await mkdir(input.workRoot, { recursive: true });
  await mkdir(dirname(output), { recursive: true });
  const workDir = await mkdtemp(join(input.workRoot, 'chunked-'));
  // Siblings of the output: the final rename is atomic on one filesystem.
  const partial = join(
    dirname(output),
    `.partial-${basename(output, ext)}-${process.pid}-${Date.now()}${ext}`,
  );
  // One failing chunk stops the others (their ffmpeg is killed through this signal).
  const inner = new AbortController();
  const onOuterAbort = () => inner.abort(signal.reason);
  signal.addEventListener('abort', onOuterAbort, { once: true });

  try {
    const segmentArtifact = async (
      stream: 'video' | 'audio',
      chunk: RenderChunk | null,
      produce: (file: string, signal: AbortSignal) => Promise<void>,
    ) => {
      const fileExt = stream === 'video' ? ext : '.m4a';
      const context = { ...baseContext, stream, chunk_index: chunk?.index ?? null };
      return artifacts.lookupOrCreateArtifact(ctx, {
        assetId: null,
        kind: 'render_segment',
        backendVersion: SEGMENT_BACKEND_VERSION,
        params: {
          render: renderKey,
          stream,
          ...(chunk
            ? {
                start_frame: chunk.start_frame,
                end_frame: chunk.end_frame,
                start_ms: chunk.start_ms,
                duration_ms: chunk.duration_ms,
              }
            : { duration_ms: durationMs, frame_count: totalFrames }),
        },
        produce: async ({ workDir: scratch }) => {
          const file = join(scratch, `segment${fileExt}`);
          await withTimeout(inner.signal, chunkTimeoutMs, context, (s) => produce(file, s));
          if (inner.signal.aborted) cancelled(context);
          return {
            meta: {
              stream,
              ...(input.jobId !== undefined ? { job_id: input.jobId } : {}),
              ...(chunk
                ? {
                    chunk_index: chunk.index,
                    start_frame: chunk.start_frame,
                    frame_count: chunk.frame_count,
                    start_ms: chunk.start_ms,
                    duration_ms: chunk.duration_ms,
                  }
                : { duration_ms: durationMs }),
            },
            content: { path: file },
            name: `renders/segments/{artifact_id}${fileExt}`,
          };
        },
      });
    };

    // --- video chunks -----------------------------------------------------------------------------------------
    const segments: ChunkedRenderResult['segments'] = [];
    const pending = [...chunks];
    const worker = async (): Promise<void> => {
      for (let chunk = pending.shift(); chunk; chunk = pending.shift()) {
        if (inner.signal.aborted) return;
        const c = chunk;
        const { artifact, cached } = await segmentArtifact('video', c, (file, s) =>
          input.renderVideoChunk({
            chunk: c,
            output: file,
            signal: s,
            onProgress: (f) => {
              chunkFraction.set(c.index, Math.min(1, Math.max(0, f)));
              report({ phase: 'video', chunk: c.index, chunks: chunks.length });
            },
          }),
        );
        chunkFraction.set(c.index, 1);
        segments.push({ index: c.index, artifact_id: artifact.id, reused: cached });
        input.onSegment?.({ index: c.index, artifact_id: artifact.id, reused: cached });
        report({ phase: 'video', chunk: c.index, chunks: chunks.length });
      }
    };
    const n = Math.max(1, Math.min(chunks.length, Math.trunc(input.chunkConcurrency ?? 1)));
    const results = await Promise.allSettled(Array.from({ length: n }, () => worker()));
    const failure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failure) {
      inner.abort(failure.reason);
      throw failure.reason;
    }
    if (signal.aborted) cancelled(baseContext);
    segments.sort((a, b) => a.index - b.index);

    // --- audio, once ------------------------------------------------------------------------------------------
    let audioArtifactId: string | null = null;
    if (input.renderAudio) {
      const renderAudio = input.renderAudio;
      const { artifact, cached } = await segmentArtifact('audio', null, (file, s) =>
        renderAudio({
          output: file,
          signal: s,
          onProgress: (f) => {
            audioFraction = Math.min(1, Math.max(0, f));
            report({ phase: 'audio' });
          },
        }),
      );
      audioArtifactId = artifact.id;
      audioFraction = 1;
      input.onSegment?.({ index: 'audio', artifact_id: artifact.id, reused: cached });
      report({ phase: 'audio' });
    }

    // --- lossless join ----------------------------------------------------------------------------------------
    const paths = await Promise.all(segments.map((s) => artifacts.artifactPath(ctx, s.artifact_id)));
    const listFile = join(workDir, 'segments.ffconcat');
    const usAt = (frame: number) => Math.round((frame * 1_000_000 * input.fps.den) / input.fps.num);
    const entries = segments.map((s, i) => {
      const c = chunks.find((k) => k.index === s.index)!;
      return { path: paths[i]!, durationUs: usAt(c.end_frame) - usAt(c.start_frame) };
    });
    await writeFile(listFile, concatList({ entries }), 'utf8');
    const audioPath = audioArtifactId ? await artifacts.artifactPath(ctx, audioArtifactId) : null;
    const args = [
      // -safe 0: the list holds absolute paths (the demuxer's "safe" mode only allows relative ones).
      ...['-f', 'concat', '-safe', '0', '-i', listFile],
      ...(audioPath ? ['-i', audioPath] : []),
      ...['-map', '0:v:0'],
      ...(audioPath ? ['-map', '1:a:0'] : []),
      ...['-c', 'copy', '-map_metadata', '-1'],
      ...(ext === '.mp4' || ext === '.mov' ? ['-movflags', '+faststart'] : []),
    ];
    await input.runFfmpeg({
      args,
      output: partial,
      durationMs,
      signal: inner.signal,
      stage: 'mux',
      context: { ...baseContext, segments: segments.length },
      onProgress: (p) => input.onProgress?.(1 - MUX_SHARE + MUX_SHARE * p.fraction, { phase: 'mux' }),
    });
    if (signal.aborted) cancelled(baseContext);
    await rename(partial, output);
    input.onProgress?.(1, { phase: 'done' });
    return {
      output,
      frame_count: totalFrames,
      duration_ms: durationMs,
      segments,
      audio_artifact_id: audioArtifactId,
      rendered_chunks: segments.filter((s) => !s.reused).map((s) => s.index),
      reused_chunks: segments.filter((s) => s.reused).map((s) => s.index),
    };
  } catch (err) {
    if (signal.aborted && !isCutroomError(err, 'RENDER_CANCELLED')) cancelled(baseContext);
    throw err;
  } finally {
    signal.removeEventListener('abort', onOuterAbort);
    inner.abort();
    await rm(partial, { force: true });
    await rm(workDir, { recursive: true, force: true });
  }
}
