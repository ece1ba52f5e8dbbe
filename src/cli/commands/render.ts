import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { cutroomError } from '../../errors.js';
import type { FfmpegProgress } from '../../ffmpeg/run.js';
import { parseWith, parseTimeline, ProjectSchema, type Timeline } from '../../timeline/index.js';
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
    .option('--smart', 'stream-copy unchanged GOPs of H.264 sources, encode only the rest (smart render)')
    .option('--dry-run', 'print the plan (filtergraph, args, warnings) without rendering')
    .option('--json', 'print the result (plan meta, warnings) as JSON')
    .option(
      '--detach',
      'queue the render and print the job id; `cutroom serve` runs it (see `cutroom jobs show ID`), then copies it to -o',
    )
    .action(async (file: string, opts: RenderOptions, cmd: Command) => {
      const timeline = await loadTimeline({ file, ...(opts.sequence ? { sequence: opts.sequence } : {}) });
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
          const { smartRenderToFile } = await import('../../render/smart-render.js');
          const r = await smartRenderToFile({ services, ctx, timeline, profile: opts.profile, output });
          for (const w of r.warnings)
            cli.io.err(`warning ${w.code}: ${w.path ? `${w.path}: ` : ''}${w.message}`);
          const m = r.meta.smart;
          if (opts.json) cli.io.out(JSON.stringify({ output, meta: r.meta }, null, 2));
          else
            cli.io.out(
              `rendered ${output}: ${r.meta.frame_count} frames, ${m.frames_copied} copied (${m.copied_percent} %), ${m.frames_encoded} encoded${m.fallback ? ' (nothing copyable: full render)' : ''}`,
            );
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
        });
        const chunked =
          opts.chunked === true ||
          (opts.onePiece !== true && probe.plan.inputs.length > MAX_ONE_PIECE_INPUTS);
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
        const result = await renderToFile({
          services,
          ctx,
          timeline,
          profile: opts.profile,
          output,
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
