import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { Warning } from '../../errors.js';
import { cutroomError } from '../../errors.js';
import type { CliContext } from '../context.js';
import type { CliCommand } from './types.js';

interface CommonOptions {
  output?: string;
  profile: string;
  crossfade: string;
  captions?: boolean;
  json?: boolean;
}

function int(value: string, option: string): number {
  const n = Number(value);
  if (!Number.isInteger(n)) throw cutroomError('CLI_USAGE', `${option} must be an integer, got "${value}"`, { option });
  return n;
}

/** "3-5,9" -> [{start:3,end:5},{start:9,end:9}]. */
function parseRanges(text: string): Array<{ start: number; end: number }> {
  return text.split(',').map((part) => {
    const m = /^\s*(\d+)\s*(?:-\s*(\d+))?\s*$/.exec(part);
    if (!m) throw cutroomError('CLI_USAGE', `--remove takes word index ranges like 3-5,9; got "${part}"`, { option: '--remove' });
    return { start: Number(m[1]), end: Number(m[2] ?? m[1]) };
  });
}

async function finish(
  cli: CliContext,
  opts: CommonOptions,
  services: Parameters<Parameters<CliContext['withServices']>[1]>[0],
  ctx: import('../../context.js').RequestContext,
  r: import('../../engines/transcript-edit/index.js').EditResult,
): Promise<void> {
  const warnings: Warning[] = [...r.warnings];
  let output: string | undefined;
  if (opts.output !== undefined) {
    const { renderToFile } = await import('../../render/index.js');
    output = resolve(opts.output);
    const rendered = await renderToFile({ services, ctx, timeline: r.timeline, profile: opts.profile, output });
    warnings.push(...rendered.warnings);
  }
  const summary = {
    ...(output ? { output } : {}),
    project: r.project,
    transcript_artifact_id: r.transcript_artifact?.id ?? null,
    removed: r.plan.removed.map((x) => ({ start_ms: x.start_ms, end_ms: x.end_ms, reason: x.reason, ...(x.words ? { words: x.words } : {}) })),
    time_saved_ms: r.plan.time_saved_ms,
    output_duration_ms: r.plan.output_duration_ms,
    fillers: r.fillers,
    warnings,
    timeline: r.timeline,
  };
  if (opts.json) {
    cli.io.out(JSON.stringify(summary, null, 2));
    return;
  }
  for (const w of warnings) cli.io.err(`warning ${w.code}: ${w.path ? `${w.path}: ` : ''}${w.message}`);
  for (const x of r.plan.removed)
    cli.io.out(`removed ${x.start_ms}-${x.end_ms} ms (${x.reason}${x.words ? `: "${x.words.text}"` : ''})`);
  cli.io.out(
    `${r.plan.removed.length} range(s) removed, ${(r.plan.time_saved_ms / 1000).toFixed(2)} s saved: ${(r.plan.source_duration_ms / 1000).toFixed(2)} s -> ${(r.plan.output_duration_ms / 1000).toFixed(2)} s` +
      (r.project ? `; project ${r.project.id}` : '') +
      (output ? `; rendered ${output}` : ''),
  );
}

/**
 * `cutroom cut-words FILE`: registers FILE, makes (or reuses) its transcript, and cuts out words given by index
 * ranges (--remove), by an edited transcript (--text), and/or its filler words (--fillers). `cutroom words FILE`
 * prints the numbered words to choose from.
 */
export const cutWordsCommand: CliCommand = (program, cli) => {
  program
    .command('cut-words')
    .description('Edit by transcript: cut words out of a recording (index ranges, edited text, filler words); prints or renders the new timeline')
    .argument('<file>', 'audio or video file')
    .option('--remove <ranges>', 'word index ranges to remove, e.g. 3-5,9 (see --list)')
    .option('--text <file>', 'a text file with the edited transcript: missing words are removed')
    .option('--fillers', 'also remove filler words (um, uh, erm, recogniser filler tokens)')
    .option('--filler-words <list>', 'extra filler words, comma-separated')
    .option('--list', 'print the numbered words of the transcript and exit')
    .option('-o, --output <file>', 'render the edit to this file')
    .option('--profile <id>', 'render profile', 'draft_360p')
    .option('--crossfade <ms>', 'audio crossfade at each join', '20')
    .option('--captions', 'add a caption track with the derived transcript')
    .option('--json', 'print the result as JSON')
    .action(
      async (
        file: string,
        opts: CommonOptions & { remove?: string; text?: string; fillers?: boolean; fillerWords?: string; list?: boolean },
        cmd: Command,
      ) => {
        const remove = opts.remove !== undefined ? parseRanges(opts.remove) : undefined;
        const text = opts.text !== undefined ? await readFile(resolve(opts.text), 'utf8') : undefined;
        if (!opts.list && remove === undefined && text === undefined && !opts.fillers)
          throw cutroomError('CLI_USAGE', 'give --remove, --text or --fillers (or --list to see the words)', {});
        await cli.withServices(cmd, async (services) => {
          const { ctx } = await cli.localContext(cmd, services);
          const { generateCaptions } = await import('../../engines/captions/service.js');
          const { transcriptEdit, loadEditTranscript } = await import('../../engines/transcript-edit/index.js');
          const { transcriptWords } = await import('../../plan/captions/transcript.js');
          const { asset } = await services.assets.registerAsset(ctx, { source: { path: resolve(file) } });
          const captions = await generateCaptions(services, ctx, { asset_id: asset.id });
          for (const w of captions.warnings) cli.io.err(`warning ${w.code}: ${w.message}`);
          if (opts.list) {
            const loaded = await loadEditTranscript({ services, ctx, assetId: asset.id, artifactId: captions.artifact.id, path: 'file' });
            transcriptWords(loaded!.transcript).forEach((w, i) => cli.io.out(`${i}\t${w.start_ms}\t${w.end_ms}\t${w.word}`));
            return;
          }
          const r = await transcriptEdit(services, ctx, {
            asset_id: asset.id,
            transcript_artifact_id: captions.artifact.id,
            ...(remove ? { remove } : {}),
            ...(text !== undefined ? { text } : {}),
            remove_fillers: opts.fillers === true,
            filler_words: opts.fillerWords ? opts.fillerWords.split(',').map((w) => w.trim()).filter(Boolean) : [],
            crossfade_ms: int(opts.crossfade, '--crossfade'),
            captions: opts.captions === true,
          });
          await finish(cli, opts, services, ctx, r);
        });
      },
    );
};

/** `cutroom trim-silence FILE`: shortens pauses (presets natural, tight, jumpcut) and prints or renders the edit. */
export const trimSilenceCommand: CliCommand = (program, cli) => {
  program
    .command('trim-silence')
    .description('Remove silences: shorten pauses longer than a threshold, keeping padding next to speech; prints or renders the new timeline')
    .argument('<file>', 'audio or video file')
    .option('--preset <name>', 'natural (600 ms / 120 ms), tight, jumpcut', 'natural')
    .option('--min-silence <ms>', 'pauses longer than this are shortened (overrides the preset)')
    .option('--padding <ms>', 'silence kept next to speech on each side (overrides the preset)')
    .option('--words', 'protect word timings from a transcript (made with pocketsphinx if there is none)')
    .option('-o, --output <file>', 'render the edit to this file')
    .option('--profile <id>', 'render profile', 'draft_360p')
    .option('--crossfade <ms>', 'audio crossfade at each join', '20')
    .option('--json', 'print the result as JSON')
    .action(
      async (file: string, opts: CommonOptions & { preset: string; minSilence?: string; padding?: string; words?: boolean }, cmd: Command) => {
        if (!['natural', 'tight', 'jumpcut'].includes(opts.preset))
          throw cutroomError('CLI_USAGE', `--preset must be natural, tight or jumpcut, got "${opts.preset}"`, { option: '--preset' });
        await cli.withServices(cmd, async (services) => {
          const { ctx } = await cli.localContext(cmd, services);
          const { removeSilences } = await import('../../engines/transcript-edit/index.js');
          const { asset } = await services.assets.registerAsset(ctx, { source: { path: resolve(file) } });
          let transcriptId: string | undefined;
          if (opts.words) {
            const { generateCaptions } = await import('../../engines/captions/service.js');
            transcriptId = (await generateCaptions(services, ctx, { asset_id: asset.id })).artifact.id;
          }
          const r = await removeSilences(services, ctx, {
            asset_id: asset.id,
            preset: opts.preset as 'natural',
            ...(opts.minSilence !== undefined ? { min_silence_ms: int(opts.minSilence, '--min-silence') } : {}),
            ...(opts.padding !== undefined ? { padding_ms: int(opts.padding, '--padding') } : {}),
            ...(transcriptId !== undefined ? { transcript_artifact_id: transcriptId } : {}),
            crossfade_ms: int(opts.crossfade, '--crossfade'),
          });
          await finish(cli, opts, services, ctx, r);
        });
      },
    );
};
