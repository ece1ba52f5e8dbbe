import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { cutroomError } from '../../errors.js';
import type { CliCommand } from './types.js';
import { registerInput } from './register-input.js';

const PACINGS = ['fast', 'medium', 'slow'] as const;
const FACE_MODES = ['latest', 'analyze', 'none'] as const;

/**
 * `cutroom autocut CAM1 CAM2 [CAM3 CAM4]`: the same multicam auto-cut as POST /video/multicam/auto-cut (cached
 * alignment, audio semantic timelines, region summaries and visual meta per camera), saved as a new project.
 */
export const autocutCommand: CliCommand = (program, cli) => {
  program
    .command('autocut')
    .description(
      'Multicam auto-cut: align 2–4 cameras, follow the active speaker (sound and mouth motion), cut on pauses; saves a project and optionally writes the timeline',
    )
    .argument('<inputs...>', '2 to 4 camera files or asset ids (ast_…)')
    .option('--pacing <p>', 'fast, medium (default) or slow', 'medium')
    .option('--faces <mode>', 'face regions: latest (default), analyze, none', 'latest')
    .option('--audio <n>', 'index (1-based) of the camera whose sound the programme uses')
    .option('--wide <n>', 'index (1-based) of the wide camera')
    .option('--timeline <file>', 'write the timeline JSON here')
    .option('--json', 'print {project, timeline, shots, inputs_used, warnings} as JSON')
    .action(
      async (
        inputs: string[],
        opts: {
          pacing: string;
          faces: string;
          audio?: string;
          wide?: string;
          timeline?: string;
          json?: boolean;
        },
        cmd: Command,
      ) => {
        if (inputs.length < 2 || inputs.length > 4)
          throw cutroomError('CLI_USAGE', `autocut takes 2 to 4 cameras, got ${inputs.length}`);
        if (!(PACINGS as readonly string[]).includes(opts.pacing))
          throw cutroomError('CLI_USAGE', `--pacing must be fast, medium or slow, got "${opts.pacing}"`);
        if (!(FACE_MODES as readonly string[]).includes(opts.faces))
          throw cutroomError('CLI_USAGE', `--faces must be latest, analyze or none, got "${opts.faces}"`);
        const index = (name: string, v: string | undefined): number | undefined => {
          if (v === undefined) return undefined;
          const n = Number(v);
          if (!Number.isInteger(n) || n < 1 || n > inputs.length)
            throw cutroomError('CLI_USAGE', `${name} must be from 1 to ${inputs.length}, got "${v}"`);
          return n - 1;
        };
        const audioIdx = index('--audio', opts.audio);
        const wideIdx = index('--wide', opts.wide);
        await cli.withServices(cmd, async (services) => {
          const { ctx } = await cli.localContext(cmd, services);
          const { autoCut } = await import('../../engines/autocut/service.js');
          const ids: string[] = [];
          for (const input of inputs) ids.push((await registerInput({ services, ctx, input })).id);
          if (new Set(ids).size !== ids.length)
            throw cutroomError('CLI_USAGE', 'the same camera file is given twice (identical content)');
          const r = await autoCut(services, ctx, {
            asset_ids: ids,
            pacing: opts.pacing as (typeof PACINGS)[number],
            faces: opts.faces as (typeof FACE_MODES)[number],
            ...(audioIdx !== undefined ? { audio_asset_id: ids[audioIdx]! } : {}),
            ...(wideIdx !== undefined ? { wide_asset_id: ids[wideIdx]! } : {}),
          });
          if (opts.timeline)
            writeFileSync(resolve(opts.timeline), `${JSON.stringify(r.timeline, null, 2)}\n`);
          if (opts.json) {
            cli.io.out(
              JSON.stringify(
                {
                  asset_ids: ids,
                  project: r.project,
                  timeline: r.timeline,
                  shots: r.plan.shots,
                  inputs_used: r.inputs_used,
                  warnings: r.warnings,
                },
                null,
                2,
              ),
            );
            return;
          }
          for (const w of r.warnings) cli.io.err(`warning ${w.code}: ${w.message}`);
          const lines = [
            `auto-cut of ${ids.length} cameras: ${r.plan.shots.length} shot(s), ${(r.plan.duration_ms / 1000).toFixed(2)} s${r.project ? `, project ${r.project.id}` : ''}`,
          ];
          for (const s of r.plan.shots)
            lines.push(
              `  ${(s.start_ms / 1000).toFixed(2)}–${(s.end_ms / 1000).toFixed(2)} s  camera ${ids.indexOf(s.asset_id) + 1} (${s.asset_id})  score ${s.score}${s.cut_in_pause ? '  cut in a pause' : ''}`,
            );
          cli.io.out(lines.join('\n'));
        });
      },
    );
};
