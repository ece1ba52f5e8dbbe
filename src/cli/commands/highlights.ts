import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { cutroomError } from '../../errors.js';
import type { CliCommand } from './types.js';
import { registerInput } from './register-input.js';

function intArg(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0)
    throw cutroomError('CLI_USAGE', `${name} must be a positive integer, got "${v}"`);
  return n;
}

const FACE_MODES = ['latest', 'analyze', 'none'] as const;

/**
 * `cutroom highlights FILE|ASSET_ID --target-ms N`: the same cached `highlights` artifact as
 * POST /video/assist/highlights, printed as ranked ranges; `--timeline FILE` writes the ready-to-render timeline.
 */
export const highlightsCommand: CliCommand = (program, cli) => {
  program
    .command('highlights')
    .description(
      'Rank highlight ranges of a video by speech, loudness, peaks, faces and motion up to a target duration (highlights artifact); optionally write the timeline of them',
    )
    .argument('<input>', 'video file, or the id (ast_…) of a registered asset')
    .requiredOption('--target-ms <n>', 'total duration of the highlights (ms, ≥ 500)')
    .option('--min-ms <n>', 'shortest range (ms, default 2000)')
    .option('--max-ms <n>', 'longest range (ms, default 15000)')
    .option('--faces <mode>', 'face regions: latest (default), analyze, none', 'latest')
    .option('--timeline <file>', 'write the highlights timeline JSON here')
    .option('--json', 'print {asset_id, artifact_id, cached, ranges, total_ms, timeline, warnings} as JSON')
    .action(
      async (
        input: string,
        opts: {
          targetMs: string;
          minMs?: string;
          maxMs?: string;
          faces: string;
          timeline?: string;
          json?: boolean;
        },
        cmd: Command,
      ) => {
        if (!(FACE_MODES as readonly string[]).includes(opts.faces))
          throw cutroomError('CLI_USAGE', `--faces must be latest, analyze or none, got "${opts.faces}"`);
        const targetMs = intArg('--target-ms', opts.targetMs)!;
        const minMs = intArg('--min-ms', opts.minMs);
        const maxMs = intArg('--max-ms', opts.maxMs);
        await cli.withServices(cmd, async (services) => {
          const { ctx } = await cli.localContext(cmd, services);
          const { highlightsForAsset } = await import('../../engines/highlights/service.js');
          const asset = await registerInput({ services, ctx, input });
          const r = await highlightsForAsset(services, ctx, {
            asset_id: asset.id,
            target_duration_ms: targetMs,
            ...(minMs !== undefined ? { min_ms: minMs } : {}),
            ...(maxMs !== undefined ? { max_ms: maxMs } : {}),
            faces: opts.faces as (typeof FACE_MODES)[number],
          });
          if (opts.timeline)
            writeFileSync(resolve(opts.timeline), `${JSON.stringify(r.timeline, null, 2)}\n`);
          if (opts.json) {
            cli.io.out(
              JSON.stringify(
                {
                  asset_id: asset.id,
                  artifact_id: r.artifact.id,
                  cached: r.cached,
                  ranges: r.highlights.ranges,
                  total_ms: r.highlights.total_ms,
                  timeline: r.timeline,
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
            `${asset.original_filename}: ${r.highlights.ranges.length} highlight(s), ${(r.highlights.total_ms / 1000).toFixed(2)} s of ${(targetMs / 1000).toFixed(2)} s (artifact ${r.artifact.id}${r.cached ? ', cached' : ''})`,
          ];
          for (const h of r.highlights.ranges)
            lines.push(
              `  ${(h.start_ms / 1000).toFixed(2)}–${(h.end_ms / 1000).toFixed(2)} s  score ${h.score}  ${h.reasons.join(', ')}`,
            );
          cli.io.out(lines.join('\n'));
        });
      },
    );
};
