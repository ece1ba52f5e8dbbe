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
 * Several files: one sequence of the whole files butt-joined on one track (a video track when any has picture),
 * clip ids `f1`, `f2`, … in argument order. One file: undefined (the single-asset form).
 */
function sequenceOf(
  assets: Array<{ id: string; media_info: { duration_ms: number; video?: { duration_ms: number; still?: boolean }; audio?: { duration_ms?: number } } }>,
): { tracks: Array<{ id: string; kind: 'video' | 'audio'; clips: Array<{ id: string; asset_id: string; start_ms: number; in_ms: number; out_ms: number }> }> } | undefined {
  if (assets.length < 2) return undefined;
  let t = 0;
  const clips = assets.map((a, i) => {
    const info = a.media_info;
    const len = Math.floor(info.video?.duration_ms ?? info.audio?.duration_ms ?? info.duration_ms);
    const clip = { id: `f${i + 1}`, asset_id: a.id, start_ms: t, in_ms: 0, out_ms: len };
    t += len;
    return clip;
  });
  const video = assets.some((a) => a.media_info.video !== undefined && a.media_info.video.still !== true);
  return { tracks: [{ id: 'talk', kind: video ? 'video' : 'audio', clips }] };
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
    .argument('<files...>', 'audio or video file(s); several are edited as one sequence, in order')
    .option('--remove <ranges>', 'word index ranges to remove, e.g. 3-5,9 (see --list; over several files the words are numbered in order)')
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
        files: string[],
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
          const assets = [];
          const transcripts: string[] = [];
          for (const file of files) {
            const { asset } = await services.assets.registerAsset(ctx, { source: { path: resolve(file) } });
            const captions = await generateCaptions(services, ctx, { asset_id: asset.id });
            for (const w of captions.warnings) cli.io.err(`warning ${w.code}: ${w.message}`);
            assets.push(asset);
            transcripts.push(captions.artifact.id);
          }
          const timeline = sequenceOf(assets);
          if (opts.list) {
            let n = 0;
            for (const [i, asset] of assets.entries()) {
              const loaded = await loadEditTranscript({ services, ctx, assetId: asset.id, artifactId: transcripts[i]!, path: 'file' });
              const offset = timeline?.tracks[0]!.clips[i]!.start_ms ?? 0;
              for (const w of transcriptWords(loaded!.transcript))
                cli.io.out(`${n++}\t${w.start_ms + offset}\t${w.end_ms + offset}\t${w.word}${timeline ? `\t${files[i]}` : ''}`);
            }
            return;
          }
          const r = await transcriptEdit(services, ctx, {
            ...(timeline
              ? { timeline, transcripts: Object.fromEntries(timeline.tracks[0]!.clips.map((c, i) => [c.id, transcripts[i]!])) }
              : { asset_id: assets[0]!.id, transcript_artifact_id: transcripts[0]! }),
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
    .argument('<files...>', 'audio or video file(s); several are edited as one sequence, in order')
    .option('--preset <name>', 'natural (600 ms / 120 ms), tight, jumpcut', 'natural')
    .option('--min-silence <ms>', 'pauses longer than this are shortened (overrides the preset)')
    .option('--padding <ms>', 'silence kept next to speech on each side (overrides the preset)')
    .option('--words', 'protect word timings from a transcript (made with pocketsphinx if there is none)')
    .option('-o, --output <file>', 'render the edit to this file')
    .option('--profile <id>', 'render profile', 'draft_360p')
    .option('--crossfade <ms>', 'audio crossfade at each join', '20')
    .option('--json', 'print the result as JSON')
    .action(
      async (files: string[], opts: CommonOptions & { preset: string; minSilence?: string; padding?: string; words?: boolean }, cmd: Command) => {
        if (!['natural', 'tight', 'jumpcut'].includes(opts.preset))
          throw cutroomError('CLI_USAGE', `--preset must be natural, tight or jumpcut, got "${opts.preset}"`, { option: '--preset' });
        await cli.withServices(cmd, async (services) => {
          const { ctx } = await cli.localContext(cmd, services);
          const { removeSilences } = await import('../../engines/transcript-edit/index.js');
          const assets = [];
          const transcripts: string[] = [];
          for (const file of files) {
            const { asset } = await services.assets.registerAsset(ctx, { source: { path: resolve(file) } });
            assets.push(asset);
            if (opts.words) {
              const { generateCaptions } = await import('../../engines/captions/service.js');
              transcripts.push((await generateCaptions(services, ctx, { asset_id: asset.id })).artifact.id);
            }
          }
          const timeline = sequenceOf(assets);
          const r = await removeSilences(services, ctx, {
            ...(timeline
              ? {
                  timeline,
                  ...(opts.words ? { transcripts: Object.fromEntries(timeline.tracks[0]!.clips.map((c, i) => [c.id, transcripts[i]!])) } : {}),
                }
              : { asset_id: assets[0]!.id, ...(opts.words ? { transcript_artifact_id: transcripts[0]! } : {}) }),
            preset: opts.preset as 'natural',
            ...(opts.minSilence !== undefined ? { min_silence_ms: int(opts.minSilence, '--min-silence') } : {}),
            ...(opts.padding !== undefined ? { padding_ms: int(opts.padding, '--padding') } : {}),
            crossfade_ms: int(opts.crossfade, '--crossfade'),
          });
          await finish(cli, opts, services, ctx, r);
        });
      },
    );
};
