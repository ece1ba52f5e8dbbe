/**
 * Render a timeline to a local file: prepare the plan, write its helper files, run ffmpeg into a temporary file
 * next to the output and rename it into place, so a failed or cancelled render never leaves a half-written
 * output behind.
 */
import { mkdir, mkdtemp, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, extname, join, resolve } from 'node:path';
import type { RequestContext } from '../context.js';
import { runFfmpeg, type FfmpegProgress } from '../ffmpeg/run.js';
import type { Services } from '../media/services.js';
import { SEQUENCE_FORMATS, type OutputFormat, type OutputOptions } from '../plan/output/output-options.js';
import type { Timeline } from '../timeline/index.js';
import { prepareRender, type PreparedRender, type PrepareRenderInput } from './prepare-render.js';
import { writeZip } from './write-zip.js';

export interface RenderToFileInput {
  services: Services;
  ctx: RequestContext;
  timeline: Timeline;
  profile: string;
  output: string;
  range?: { start_ms: number; duration_ms: number };
  /** As PrepareRenderInput: streams, closed-GOP interval, proxy substitutes. */
  streams?: PrepareRenderInput['streams'];
  gopFrames?: number;
  sourceOverrides?: PrepareRenderInput['sourceOverrides'];
  /** Refuse plans with missing assets (default) or plan gaps for them (previews). */
  allowMissingAssets?: boolean;
  /**
   * Profiles with a loudness target: measure the mix first and apply one exact gain (default true; see
   * PrepareRenderInput.measureLoudness). false keeps single-pass loudnorm (3 s of frames queued in memory).
   */
  measureLoudness?: boolean;
  signal?: AbortSignal;
  /**
   * Output format and overrides (size, fps, GIF caps, poster time, sprite). The output file's extension must
   * be a supported format and match `outputOptions.format` when that is given (OUTPUT_FORMAT_MISMATCH).
   */
  outputOptions?: OutputOptions;
  onProgress?: (progress: FfmpegProgress) => void;
  onPlan?: (prepared: PreparedRender) => void;
}

export interface RenderToFileResult extends PreparedRender {
  output: string;
  elapsed_ms: number;
}

export async function renderToFile(input: RenderToFileInput): Promise<RenderToFileResult> {
  const output = resolve(input.output);
  await mkdir(dirname(output), { recursive: true });
  await mkdir(input.services.config.workDir, { recursive: true });
  const workDir = await mkdtemp(join(input.services.config.workDir, 'render-'));
  try {
    const prepared = await prepareRender({
      services: input.services,
      ctx: input.ctx,
      timeline: input.timeline,
      profile: input.profile,
      workDir,
      ...(input.range ? { range: input.range } : {}),
      ...(input.streams ? { streams: input.streams } : {}),
      ...(input.gopFrames !== undefined ? { gopFrames: input.gopFrames } : {}),
      ...(input.sourceOverrides ? { sourceOverrides: input.sourceOverrides } : {}),
      ...(input.allowMissingAssets ? { allowMissingAssets: true } : {}),
      measureLoudness: input.measureLoudness ?? true,
      ...(input.signal ? { signal: input.signal } : {}),
      ...(input.outputOptions ? { output: input.outputOptions } : {}),
      // Chunk parts (video-only, audio-only) keep the chunked render's own containers.
      ...(input.streams === undefined || input.streams === 'both'
        ? { outputExtension: extname(output).slice(1) }
        : {}),
    });
    input.onPlan?.(prepared);
    for (const file of prepared.plan.files) await writeFile(file.path, file.content, 'utf8');
    // Same directory as the output, so the final rename is atomic; the extension keeps ffmpeg's muxer choice.
    const ext = output.slice(output.lastIndexOf('.'));
    const partial = join(dirname(output), `.partial-${process.pid}-${Date.now()}${ext}`);
    // Image sequences: ffmpeg writes frame_000000.png … into the work dir, then they are stored in one .zip.
    const format = prepared.plan.meta.output_format as OutputFormat | undefined;
    const sequence = format !== undefined && SEQUENCE_FORMATS.has(format);
    const frameExt = format === 'jpg_sequence' ? 'jpg' : 'png';
    const framesDir = join(workDir, 'frames');
    if (sequence) await mkdir(framesDir);
    const result = await runFfmpeg({
      args: prepared.plan.args,
      output: sequence ? join(framesDir, `frame_%06d.${frameExt}`) : partial,
      durationMs: prepared.plan.meta.duration_ms,
      stage: 'encode',
      context: { profile: input.profile, plan_hash: prepared.plan.meta.plan_hash },
      ...(input.signal ? { signal: input.signal } : {}),
      ...(input.onProgress ? { onProgress: input.onProgress } : {}),
    });
    if (sequence) {
      const names = (await readdir(framesDir)).filter((f) => f.startsWith('frame_')).sort();
      try {
        await writeZip({
          output: partial,
          entries: names.map((name) => ({ name, path: join(framesDir, name) })),
        });
      } catch (err) {
        await rm(partial, { force: true });
        throw err;
      }
    }
    await rename(partial, output);
    return { ...prepared, output, elapsed_ms: result.elapsedMs };
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}
