import { readFile } from 'node:fs/promises';
import { cutroomError } from '../../errors.js';
import { ProjectSchema, TimelineSchema } from '../../timeline/schema.js';
import { checkTimeline, parseWith, type ValidationIssue } from '../../timeline/validate.js';
import type { CliCommand } from './types.js';

/**
 * Parses and checks a timeline (or a project: every sequence) from a file. Pure like parseTimeline: asset ids
 * are not looked up (that needs a tenant; the HTTP validate route does it).
 */
export async function validateTimelineFile({
  file,
}: {
  file: string;
}): Promise<{ kind: 'timeline' | 'project' }> {
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
  const isProject = typeof json === 'object' && json !== null && 'sequences' in json && !('tracks' in json);
  const issues: ValidationIssue[] = [];
  if (isProject) {
    const project = parseWith(ProjectSchema, json, 'project');
    project.sequences.forEach((seq, i) =>
      issues.push(...checkTimeline(seq).map((x) => ({ ...x, path: `sequences[${i}].${x.path}` }))),
    );
  } else issues.push(...checkTimeline(parseWith(TimelineSchema, json, 'timeline')));
  if (issues.length > 0) throw cutroomError('TIMELINE_INVALID', 'timeline is inconsistent', { issues });
  return { kind: isProject ? 'project' : 'timeline' };
}

export const validateCommand: CliCommand = (program, { io }) => {
  program
    .command('validate')
    .description('Check a timeline (or project) JSON file; prints one line per problem with its path')
    .argument('<timeline>', 'timeline or project JSON file')
    .option('--json', 'print {valid, kind} as JSON')
    .action(async (file: string, opts: { json?: boolean }) => {
      const { kind } = await validateTimelineFile({ file });
      io.out(opts.json ? JSON.stringify({ valid: true, kind }) : `${file}: valid ${kind}`);
    });
};
