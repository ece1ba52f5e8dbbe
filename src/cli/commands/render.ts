import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { extname, join, resolve } from 'node:path';
import type { Command } from 'commander';
import type { RequestContext } from '../../context.js';
import { cutroomError } from '../../errors.js';
import type { FfmpegProgress } from '../../ffmpeg/run.js';
import type { Services } from '../../media/services.js';
import type { Timeline } from '../../timeline/index.js';
import type { OutputOptions } from '../../plan/output/output-options.js';
import type { CliCommand } from './types.js';

/** Above this many ffmpeg inputs a render runs in chunks (each input's decoder stays allocated to the end). */
const MAX_ONE_PIECE_INPUTS = 24;

interface RenderOptions {
  output?: string;
  profile: string;
  dryRun?: boolean;
  json?: boolean;
  sequence?: string;
  detach?: boolean;
  chunked?: boolean;
  onePiece?: boolean;
  smart?: boolean;
  format?: string;
  videoCodec?: string;
  width?: string;
  height?: string;
  fps?: string;
  posterMs?: string;
  gifMaxFps?: string;
  gifMaxWidth?: string;
  gifColors?: string;
  spriteIntervalMs?: string;
  spriteColumns?: string;
  spriteTileWidth?: string;
}

/** The output options given on the command line, validated by the same schema as the HTTP API. */
async function outputOptionsOf(opts: RenderOptions): Promise<OutputOptions | undefined> {
  const num = (v: string | undefined) => (v === undefined ? undefined : Number(v));
  const raw: Record<string, unknown> = {
    format: opts.format,
    video_codec: opts.videoCodec,
    width: num(opts.width),
    height: num(opts.height),
    fps: num(opts.fps),
    poster_ms: num(opts.posterMs),
  };
  const gif = { max_fps: num(opts.gifMaxFps), max_width: num(opts.gifMaxWidth), colors: num(opts.gifColors) };
  const sprite = {
    interval_ms: num(opts.spriteIntervalMs),
    columns: num(opts.spriteColumns),
    tile_width: num(opts.spriteTileWidth),
  };
  const defined = (o: Record<string, unknown>) =>
    Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
  if (Object.keys(defined(gif)).length > 0) raw.gif = defined(gif);
  if (Object.keys(defined(sprite)).length > 0) raw.sprite = defined(sprite);
  const given = defined(raw);
  if (Object.keys(given).length === 0) return undefined;
  const { parseWith } = await import('../../timeline/index.js');
  const { OutputOptionsSchema } = await import('../../plan/output/output-options.js');
  return parseWith(OutputOptionsSchema, given, 'output options');
}

/** A timeline file is a sequence, or a project whose sequence is picked with --sequence (default: the first). */
async function loadTimeline({ file, sequence }: { file: string; sequence?: string }): Promise<Timeline> {
  let doc: unknown;
  try {
    doc = JSON.parse(await readFile(file, 'utf8'));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw cutroomError('INVALID_PATH', `no such file: ${file}`, { path: file });
    throw cutroomError('VALIDATION_FAILED', `${file} is not valid JSON: ${(err as Error).message}`, {
      issues: [{ path: '', message: 'not valid JSON' }],
    });
  }
  const { parseWith, parseTimeline, ProjectSchema } = await import('../../timeline/index.js');
  if (doc !== null && typeof doc === 'object' && 'sequences' in doc) {
    const project = parseWith(ProjectSchema, doc, 'project');
    const chosen = sequence ? project.sequences.find((s) => s.id === sequence) : project.sequences[0];
    if (!chosen)
      throw cutroomError('PROJECT_NOT_FOUND', `the project has no sequence ${sequence ?? '(none at all)'}`);
    return parseTimeline(chosen);
  }
  return parseTimeline(doc);
}

function formatEta(ms: number | null): string {
  if (ms === null) return '--';
  const s = Math.round(ms / 1000);
  return s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s` : `${s}s`;
}

/** A live bar on a terminal; on pipes and logs, a plain line per 10 %. */
function progressReporter(io: { err(text: string): void }): (p: FfmpegProgress) => void {
  const tty = process.stderr.isTTY === true;
  let lastDecile = -1;
  return (p) => {
    const pct = Math.floor(p.fraction * 100);
    const text = `${String(pct).padStart(3)}%  ${p.fps.toFixed(0)} fps  ${p.speed.toFixed(2)}x  ETA ${formatEta(p.etaMs)}`;
    if (tty) {
      const width = 30;
      const filled = Math.round(p.fraction * width);
      process.stderr.write(
        `\r[${'#'.repeat(filled)}${' '.repeat(width - filled)}] ${text}${p.fraction >= 1 ? '\n' : ''}`,
      );
      return;
    }
    const decile = Math.floor(pct / 10);
    if (decile > lastDecile) {
      lastDecile = decile;
      io.err(`render: ${text}`);
    }
  };
}

export const renderCommand: CliCommand = (program, cli) => {
  program
    .command('render')
    .description('Render a timeline (or a project sequence) to a video file through one ffmpeg filtergraph')
    .argument('<timeline>', 'timeline JSON (a sequence, or a project with sequences)')
    .option('-o, --output <file>', 'output file (.mp4, or .mov for master_4k_prores)')
    .option('--profile <id>', 'render profile (see GET /video/presets)', 'social_1080p_h264')
    .option('--sequence <id>', 'which sequence of a project file')
    .option(
      '--chunked',
      `render in chunks as a job in this process (automatic above ${MAX_ONE_PIECE_INPUTS} inputs)`,
    )
    .option('--one-piece', 'always render in one ffmpeg, however long the timeline')
    .option(
      '--format <format>',
      'output format: mp4, mov, webm, gif, mp3, wav, m4a, jpg, png (poster), sprite, png_sequence, jpg_sequence (numbered frames in a .zip); default from the -o extension',
    )
    .option('--video-codec <codec>', 'webm only: vp9 (default) or av1')
    .option('--width <px>', 'output width on top of the profile (even, up to 4096)')
    .option('--height <px>', 'output height on top of the profile (even, up to 4096)')
    .option('--fps <rate>', 'output frame rate, 1-120 (23.976, 29.97, 59.94 are the NTSC rates)')
    .option('--poster-ms <ms>', 'jpg/png poster: the timeline time of the frame (default 0)')
    .option('--gif-max-fps <fps>', 'gif: frame-rate cap (default 15)')
    .option('--gif-max-width <px>', 'gif: width cap (default 480)')
    .option('--gif-colors <n>', 'gif: palette size, 2-256 (default 256)')
    .option('--sprite-interval-ms <ms>', 'sprite: one thumbnail every N ms (default 1000)')
    .option('--sprite-columns <n>', 'sprite: thumbnails per row (default 10)')
    .option('--sprite-tile-width <px>', 'sprite: width of one thumbnail (default 160)')
    .option(
      '--smart',
      'stream-copy unchanged GOPs of H.264 sources (HEVC with draft_360p_hevc), encode only the rest (smart render); default for cut-only edits whose every segment qualifies',
    )
    .option('--no-smart', 'never smart render: encode every frame')
    .option('--dry-run', 'print the plan (filtergraph, args, warnings) without rendering')
    .option('--json', 'print the result (plan meta, warnings) as JSON')
    .option(
      '--detach',
      'queue the render and print the job id; `cutroom serve` runs it (see `cutroom jobs show ID`), then copies it to -o',
    )
    .action(async (file: string, opts: RenderOptions, cmd: Command) => {
      const timeline = await loadTimeline({ file, ...(opts.sequence ? { sequence: opts.sequence } : {}) });
      const outputOptions = await outputOptionsOf(opts);
      const withOutput = outputOptions ? { output: outputOptions } : {};
      const outputExtension =
        opts.output !== undefined ? { outputExtension: extname(opts.output).slice(1) } : {};
      if (!opts.dryRun && !opts.detach && !opts.output)
        throw cutroomError('CLI_USAGE', 'render needs -o OUTPUT (or --dry-run)');
      await cli.withServices(cmd, async (services) => {
        const { ctx } = await cli.localContext(cmd, services);
        const { prepareRender, renderToFile } = await import('../../render/index.js');
        if (opts.dryRun) {
          const prepared = await prepareRender({
            services,
            ctx,
            timeline,
            profile: opts.profile,
            workDir: services.config.workDir,
            allowMissingAssets: true,
            ...withOutput,
            ...outputExtension,
          });
          if (opts.json) cli.io.out(JSON.stringify(prepared, null, 2));
          else {
            cli.io.out(
              `plan ${prepared.plan.meta.plan_hash}: ${prepared.plan.meta.duration_ms} ms, ${prepared.plan.meta.frame_count} frames`,
            );
            cli.io.out(`filtergraph:\n${prepared.plan.filtergraph}`);
            for (const w of prepared.warnings)
              cli.io.out(`warning ${w.code}: ${w.path ? `${w.path}: ` : ''}${w.message}`);
          }
          return;
        }
        if (opts.detach) {
          const exportPath = opts.output !== undefined ? resolve(opts.output) : undefined;
          const { createRenderQueue, submitRenderJob } = await import('../../render/jobs/index.js');
          const queue = await createRenderQueue({ services, start: false });
          try {
            const { job, created } = await submitRenderJob({
              services,
              queue,
              ctx,
              timeline,
              profile: opts.profile,
              ...(exportPath !== undefined ? { exportPath } : {}),
              ...(outputOptions ? { outputOptions } : {}),
            });
            if (opts.json) cli.io.out(JSON.stringify({ job, created }, null, 2));
            else {
              cli.io.out(job.id);
              cli.io.err(
                `${created ? 'queued' : 'already submitted'} (${job.state}); \`cutroom serve\` runs it, \`cutroom jobs show ${job.id}\` follows it`,
              );
            }
          } finally {
            await queue.close();
          }
          return;
        }
        const output = resolve(opts.output!);
        if (opts.smart) {
          // The smart render joins stream copies into an MP4 at the profile's own size and rate.
          if (outputOptions !== undefined || !/\.(mp4|mov)$/i.test(output))
            throw cutroomError(
              'CLI_USAGE',
              '--smart renders plain MP4/MOV only: use an .mp4 output and drop the output options',
            );
          await smartToFile({ cli, services, ctx, timeline, profile: opts.profile, output, json: opts.json });
          return;
        }
        // One ffmpeg keeps every input's decoder until it ends (≈ 40 MB each at 1080p): long edits render as a
        // chunked job in this process instead, unless --one-piece insists.
        const probe = await prepareRender({
          services,
          ctx,
          timeline,
          profile: opts.profile,
          workDir: services.config.workDir,
          ...withOutput,
          ...outputExtension,
        });
        // Chunks join losslessly only as plain MP4/MOV at the profile's own size and rate.
        if (opts.chunked === true && outputOptions !== undefined)
          throw cutroomError('CLI_USAGE', '--chunked renders plain MP4/MOV only; drop the output options');
        const chunked =
          opts.chunked === true ||
          (opts.onePiece !== true &&
            outputOptions === undefined &&
            probe.plan.inputs.length > MAX_ONE_PIECE_INPUTS);
        if (chunked) {
          const { renderAsJob } = await import('../../render/jobs/index.js');
          if (!opts.json)
            cli.io.err(`render: ${probe.plan.inputs.length} inputs: rendering in chunks as a job`);
          const report = opts.json ? undefined : progressReporter(cli.io);
          const job = await renderAsJob({
            services,
            ctx,
            timeline,
            profile: opts.profile,
            exportPath: output,
            ...(report
              ? {
                  onProgress: (fraction: number, detail?: Record<string, unknown>) =>
                    report({
                      fraction,
                      outTimeMs: 0,
                      fps: typeof detail?.fps === 'number' ? detail.fps : 0,
                      speed: 0,
                      etaMs: typeof detail?.eta_ms === 'number' ? detail.eta_ms : null,
                    }),
                }
              : {}),
          });
          if (opts.json) cli.io.out(JSON.stringify({ output, job }, null, 2));
          else
            cli.io.out(
              `rendered ${output}: ${probe.plan.meta.duration_ms} ms, ${probe.plan.meta.frame_count} frames, as job ${job.id}`,
            );
          return;
        }
        // Without --smart / --no-smart: smart when the edit is cut-only and every segment qualifies.
        if (opts.smart === undefined && outputOptions === undefined && /\.(mp4|mov)$/i.test(output)) {
          const { planSmartForRender, smartQualifies } = await import('../../render/smart-render.js');
          await mkdir(services.config.workDir, { recursive: true });
          const workDir = await mkdtemp(join(services.config.workDir, 'smart-plan-'));
          try {
            const planned = await planSmartForRender({
              services,
              ctx,
              timeline,
              profile: opts.profile,
              workDir,
            });
            if (smartQualifies(planned.smart.meta)) {
              await smartToFile({
                cli,
                services,
                ctx,
                timeline,
                profile: opts.profile,
                output,
                json: opts.json,
                planned,
              });
              return;
            }
          } finally {
            await rm(workDir, { recursive: true, force: true });
          }
        }
        const result = await renderToFile({
          services,
          ctx,
          timeline,
          profile: opts.profile,
          output,
          ...(outputOptions ? { outputOptions } : {}),
          onProgress: opts.json ? undefined : progressReporter(cli.io),
        });
        for (const w of result.warnings)
          cli.io.err(`warning ${w.code}: ${w.path ? `${w.path}: ` : ''}${w.message}`);
        if (opts.json) {
          cli.io.out(
            JSON.stringify(
              { output, elapsed_ms: result.elapsed_ms, meta: result.plan.meta, warnings: result.warnings },
              null,
              2,
            ),
          );
        } else {
          cli.io.out(
            `rendered ${output}: ${result.plan.meta.duration_ms} ms, ${result.plan.meta.frame_count} frames, ` +
              `${result.plan.meta.encoder.video_encoder}, in ${(result.elapsed_ms / 1000).toFixed(1)} s`,
          );
        }
      });
    });
};

/** Smart render to a file, printing as the ordinary render does (progress, warnings, result line or JSON). */
async function smartToFile(o: {
  cli: { io: { out(text: string): void; err(text: string): void } };
  services: Services;
  ctx: RequestContext;
  timeline: Timeline;
  profile: string;
  output: string;
  json: boolean | undefined;
  planned?: import('../../render/smart-render.js').PlannedSmartRender;
}): Promise<void> {
  const { smartRenderToFile } = await import('../../render/smart-render.js');
  const report = o.json ? undefined : progressReporter(o.cli.io);
  const r = await smartRenderToFile({
    services: o.services,
    ctx: o.ctx,
    timeline: o.timeline,
    profile: o.profile,
    output: o.output,
    ...(o.planned ? { planned: o.planned } : {}),
    ...(report
      ? {
          onProgress: (fraction: number) => report({ fraction, outTimeMs: 0, fps: 0, speed: 0, etaMs: null }),
        }
      : {}),
  });
  for (const w of r.warnings) o.cli.io.err(`warning ${w.code}: ${w.path ? `${w.path}: ` : ''}${w.message}`);
  const m = r.meta.smart;
  if (o.json)
    o.cli.io.out(JSON.stringify({ output: o.output, elapsed_ms: r.elapsed_ms, meta: r.meta }, null, 2));
  else
    o.cli.io.out(
      `rendered ${o.output}: ${r.meta.duration_ms} ms, ${r.meta.frame_count} frames, smart: ${m.frames_copied} copied (${m.copied_percent} %), ${m.frames_encoded} encoded${m.fallback ? ' (nothing copyable: full render)' : ''}, in ${(r.elapsed_ms / 1000).toFixed(1)} s`,
    );
}
