import { basename } from 'node:path';
import { alignRecordings } from '../../engines/multicam/align-recordings.js';
import type { AlignParams } from '../../engines/multicam/types.js';
import { cutroomError } from '../../errors.js';
import { probeMedia } from '../../ffmpeg/probe.js';
import type { CliCommand } from './types.js';

function intOption(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n)) throw cutroomError('CLI_USAGE', `--${name} must be an integer, got ${value}`);
  return n;
}

/**
 * `cutroom sync A B [C D]`: analyses the files directly (probe + decode), nothing is registered or stored, so it
 * works on any files without a data dir. Over HTTP, POST /video/multicam/align does the same on assets and
 * keeps the result as an artifact.
 */
export const syncCommand: CliCommand = (program, { io }) => {
  program
    .command('sync')
    .description(
      'Align 2–4 recordings of one event: offset, clock drift and confidence of each against the first',
    )
    .argument(
      '<files...>',
      '2 to 4 media files; the first is the reference unless --reference says otherwise',
    )
    .option('--reference <n>', 'index (1-based) of the reference file', '1')
    .option('--max-offset-ms <ms>', 'largest |offset| searched')
    .option('--window-ms <ms>', 'length of each fine-pass window (default 4000)')
    .option('--correct-drift', 'print the atempo/setpts correction for measured drift')
    .option('--json', 'print the alignment as JSON')
    .action(
      async (
        files: string[],
        opts: {
          reference: string;
          maxOffsetMs?: string;
          windowMs?: string;
          correctDrift?: boolean;
          json?: boolean;
        },
      ) => {
        if (files.length < 2 || files.length > 4)
          throw cutroomError('CLI_USAGE', `sync takes 2 to 4 files, got ${files.length}`);
        const refIndex = intOption('reference', opts.reference)!;
        if (refIndex < 1 || refIndex > files.length)
          throw cutroomError('CLI_USAGE', `--reference must be from 1 to ${files.length}`);
        const params: AlignParams = {};
        const maxOffset = intOption('max-offset-ms', opts.maxOffsetMs);
        const windowMs = intOption('window-ms', opts.windowMs);
        if (maxOffset !== undefined) params.max_offset_ms = maxOffset;
        if (windowMs !== undefined) params.search_window_ms = windowMs;
        if (opts.correctDrift) params.correct_drift = true;
        const recordings = [];
        for (const [i, path] of files.entries())
          recordings.push({ id: `${i + 1}:${basename(path)}`, path, info: await probeMedia({ path }) });
        const { alignment, warnings, timings } = await alignRecordings({
          recordings,
          referenceId: recordings[refIndex - 1]!.id,
          params,
        });
        if (opts.json) {
          io.out(JSON.stringify({ ...alignment, warnings, timings }, null, 2));
          return;
        }
        const lines = [`reference: ${alignment.reference_asset_id}`];
        for (const p of alignment.pairs) {
          const head =
            p.status === 'ok'
              ? `${p.asset_id}: ${(p.offset_us / 1000).toFixed(3)} ms (${p.method}), drift ${p.drift_ppm} ppm, confidence ${p.confidence} (PSR ${p.psr})`
              : `${p.asset_id}: SYNC_UNRELIABLE (PSR ${p.psr})`;
          lines.push(head);
          if (p.reason) lines.push(`  ${p.reason}`);
          if (p.drift_correction)
            lines.push(
              `  correction: -af ${p.drift_correction.audio_filter}  -vf ${p.drift_correction.video_filter}`,
            );
        }
        for (const w of warnings) lines.push(`warning ${w.code}: ${w.message}`);
        io.out(lines.join('\n'));
      },
    );
};
