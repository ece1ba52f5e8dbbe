import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { cutroomError } from '../../errors.js';
import type { CliCommand } from './types.js';

const FORMATS = ['srt', 'vtt', 'json'] as const;

/**
 * `cutroom captions FILE`: registers the file with the local tenant (deduplicated by content), makes or reuses
 * its asr_transcript and prints it as SRT (default), WebVTT or the transcript JSON. Warnings go to stderr.
 */
export const captionsCommand: CliCommand = (program, cli) => {
  program
    .command('captions')
    .description(
      'Captions for a media file: speech recognition (pocketsphinx) or, with --text, script alignment',
    )
    .argument('<file>', 'audio or video file')
    .option('--format <format>', 'srt | vtt | json', 'srt')
    .option('--text <script_file>', 'a text file with the script: align it instead of recognising')
    .option('--language <tag>', 'BCP-47 language', 'en-US')
    .action(async (file: string, opts: { format: string; text?: string; language: string }, cmd: Command) => {
      if (!(FORMATS as readonly string[]).includes(opts.format))
        throw cutroomError('CLI_USAGE', `--format must be one of ${FORMATS.join(', ')}`, {
          option: '--format',
          valid: [...FORMATS],
        });
      const text = opts.text === undefined ? undefined : await readFile(resolve(opts.text), 'utf8');
      const { generateCaptions, readTranscript } = await import('../../engines/captions/service.js');
      const { captionCuesOf, writeSrt, writeVtt } = await import('../../engines/captions/lines.js');
      await cli.withServices(cmd, async (services) => {
        const { ctx } = await cli.localContext(cmd, services);
        const { asset } = await services.assets.registerAsset(ctx, { source: { path: resolve(file) } });
        const result = await generateCaptions(services, ctx, {
          asset_id: asset.id,
          language: opts.language,
          ...(text !== undefined ? { text } : {}),
        });
        for (const w of result.warnings) cli.io.err(`warning ${w.code}: ${w.message}`);
        const { transcript } = await readTranscript(services, ctx, result.artifact.id);
        if (opts.format === 'json') cli.io.out(JSON.stringify(transcript, null, 2));
        else {
          const cues = captionCuesOf({ transcript });
          cli.io.out(opts.format === 'vtt' ? writeVtt(cues) : writeSrt(cues));
        }
      });
    });
};
