import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { cutroomError, type Warning } from '../../errors.js';
import type { Timeline } from '../../timeline/schema.js';
import type { CliContext } from '../context.js';
import type { CliCommand } from './types.js';

/** A timeline file, or a project file (every sequence), with the path prefix of each timeline in it. */
export async function readTimelineFile({
  file,
}: {
  file: string;
}): Promise<{
  kind: 'timeline' | 'project';
  timelines: Array<{ timeline: Timeline; prefix: string }>;
  warnings: Warning[];
}> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw cutroomError(
      'INVALID_PATH',
      `cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`,
      {
        path: file,
      },
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw cutroomError('VALIDATION_FAILED', `${file} is not JSON: ${(err as Error).message}`, {
      issues: [{ path: '', message: (err as Error).message }],
    });
  }
  const { ProjectSchema, TimelineSchema } = await import('../../timeline/schema.js');
  const { parseWithWarnings } = await import('../../timeline/validate.js');
  const isProject = typeof json === 'object' && json !== null && 'sequences' in json && !('tracks' in json);
  if (isProject) {
    const { data, warnings } = parseWithWarnings(ProjectSchema, json, 'project');
    return {
      kind: 'project',
      timelines: data.sequences.map((timeline, i) => ({ timeline, prefix: `sequences[${i}].` })),
      warnings,
    };
  }
  // A render request saved to a file ({"timeline": …}) is validated as what it wraps, paths under `timeline.`.
  if (typeof json === 'object' && json !== null && 'timeline' in json && !('tracks' in json)) {
    const { data, warnings } = parseWithWarnings(
      TimelineSchema,
      (json as { timeline: unknown }).timeline,
      'timeline',
    );
    return {
      kind: 'timeline',
      timelines: [{ timeline: data, prefix: 'timeline.' }],
      warnings: warnings.map((w) => ({ ...w, path: `timeline.${w.path ?? ''}` })),
    };
  }
  const { data, warnings } = parseWithWarnings(TimelineSchema, json, 'timeline');
  return { kind: 'timeline', timelines: [{ timeline: data, prefix: '' }], warnings };
}

/**
 * `cutroom validate` runs the render's own check (validateForRender) against the local data dir: asset ids are
 * looked up in the local tenant/env, fonts through fontconfig, the planner's catalogs and ranges apply. So a file
 * that validates renders, and one that would not render does not validate.
 */
export async function validateTimelineFile({
  file,
  cli,
  cmd,
  profile,
}: {
  file: string;
  cli: CliContext;
  cmd: Command;
  profile?: string;
}): Promise<{ kind: 'timeline' | 'project'; warnings: Warning[] }> {
  const { kind, timelines, warnings } = await readTimelineFile({ file });
  const { checkTimeline, summarise } = await import('../../timeline/validate.js');
  const all: Warning[] = [...warnings];
  // Consistency of every sequence first (pure, needs no data dir), so a project reports all of them at once.
  const issues = timelines.flatMap(({ timeline, prefix }) =>
    checkTimeline(timeline).map((i) => ({ ...i, path: prefix + i.path })),
  );
  if (issues.length > 0)
    throw cutroomError('TIMELINE_INVALID', `timeline is inconsistent: ${summarise(issues)}`, { issues });
  const { validateForRender } = await import('../../render/validate-for-render.js');
  await cli.withServices(cmd, async (services) => {
    const { ctx } = await cli.localContext(cmd, services);
    for (const { timeline, prefix } of timelines) {
      const result = await validateForRender({
        services,
        ctx,
        timeline,
        pathPrefix: prefix,
        ...(profile ? { profile } : {}),
      });
      all.push(...result.warnings);
    }
  });
  return { kind, warnings: all };
}

export const validateCommand: CliCommand = (program, cli) => {
  program
    .command('validate')
    .description(
      'Check a timeline (or project) JSON file exactly as `render` would, with the local data dir for asset ids; prints one line per problem with its path',
    )
    .argument('<timeline>', 'timeline, render request {"timeline": …} or project JSON file')
    .option('--profile <id>', 'the profile the render would use', 'social_1080p_h264')
    .option('--json', 'print {valid, kind, warnings} as JSON')
    .action(async (file: string, opts: { json?: boolean; profile?: string }, cmd: Command) => {
      const { kind, warnings } = await validateTimelineFile({
        file,
        cli,
        cmd,
        ...(opts.profile ? { profile: opts.profile } : {}),
      });
      if (opts.json) cli.io.out(JSON.stringify({ valid: true, kind, warnings }));
      else {
        cli.io.out(`${file}: valid ${kind}`);
        for (const w of warnings)
          cli.io.err(`cutroom: warning ${w.code}: ${w.path ? `${w.path}: ` : ''}${w.message}`);
      }
    });
};
