import { readFile, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { cutroomError } from '../../errors.js';
import type { TemplateDoc } from '../../timeline/template/index.js';
import type { CliCommand } from './types.js';

async function readJson(file: string, what: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT')
      throw cutroomError('INVALID_PATH', `no such file: ${file}`, { path: file });
    throw err;
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw cutroomError('VALIDATION_FAILED', `${what} ${file} is not valid JSON: ${(err as Error).message}`, {
      issues: [{ path: '', message: 'not valid JSON' }],
    });
  }
}

async function loadInputs(file: string, mergeFile: string | undefined) {
  const { parseWith } = await import('../../timeline/index.js');
  const { TemplateDocSchema } = await import('../../timeline/template/index.js');
  const template: TemplateDoc = parseWith(TemplateDocSchema, await readJson(file, 'template'), 'template');
  const merge = mergeFile === undefined ? {} : await readJson(mergeFile, 'merge');
  if (typeof merge !== 'object' || merge === null || Array.isArray(merge))
    throw cutroomError('VALIDATION_FAILED', 'the merge file must hold a JSON object {NAME: value}', {
      issues: [{ path: 'merge', message: 'must be an object' }],
    });
  return { template, merge: merge as Record<string, unknown> };
}

interface TemplateOptions {
  merge?: string;
  output?: string;
  profile: string;
  json?: boolean;
}

/** `cutroom template merge|render TEMPLATE.json --merge MERGE.json`: the HTTP templates, from local files. */
export const templateCommand: CliCommand = (program, cli) => {
  const group = program
    .command('template')
    .description('Templates with {{NAME}} merge fields: merge values into a template file, or render it');

  group
    .command('merge')
    .description('Print (or write with -o) the timeline the merge makes; every field is checked')
    .argument('<template>', 'template JSON: {name, fields?, timeline}')
    .option('--merge <file>', 'JSON object of field values {NAME: value}')
    .option('-o, --output <file>', 'write the merged timeline here instead of stdout')
    .action(async (file: string, opts: Omit<TemplateOptions, 'profile'>, cmd: Command) => {
      const { template, merge } = await loadInputs(file, opts.merge);
      await cli.withServices(cmd, async (services) => {
        const { ctx } = await cli.localContext(cmd, services);
        const { mergeTemplateForTenant } = await import('../../media/templates.js');
        const merged = await mergeTemplateForTenant({ assets: services.assets, ctx, template, merge });
        const text = JSON.stringify(merged.timeline, null, 2);
        if (opts.output !== undefined) await writeFile(resolve(opts.output), `${text}\n`);
        else cli.io.out(text);
      });
    });

  group
    .command('render')
    .description('Merge values into a template file and render the result (like `cutroom render`)')
    .argument('<template>', 'template JSON: {name, fields?, timeline}')
    .option('--merge <file>', 'JSON object of field values {NAME: value}')
    .option('-o, --output <file>', 'output file; its extension picks the format')
    .option('--profile <id>', 'render profile (see GET /video/presets)', 'social_1080p_h264')
    .option('--json', 'print the result (plan meta, warnings, merged values) as JSON')
    .action(async (file: string, opts: TemplateOptions, cmd: Command) => {
      if (opts.output === undefined) throw cutroomError('CLI_USAGE', 'template render needs -o OUTPUT');
      const { template, merge } = await loadInputs(file, opts.merge);
      const output = resolve(opts.output);
      await cli.withServices(cmd, async (services) => {
        const { ctx } = await cli.localContext(cmd, services);
        const { mergeTemplateForTenant } = await import('../../media/templates.js');
        const merged = await mergeTemplateForTenant({ assets: services.assets, ctx, template, merge });
        const { renderToFile } = await import('../../render/index.js');
        const result = await renderToFile({
          services,
          ctx,
          timeline: merged.timeline,
          profile: opts.profile,
          output,
        });
        for (const w of result.warnings)
          cli.io.err(`warning ${w.code}: ${w.path ? `${w.path}: ` : ''}${w.message}`);
        if (opts.json)
          cli.io.out(
            JSON.stringify(
              { output, values: merged.values, meta: result.plan.meta, warnings: result.warnings },
              null,
              2,
            ),
          );
        else
          cli.io.out(
            `rendered ${output}: ${result.plan.meta.duration_ms} ms, ${result.plan.meta.frame_count} frames`,
          );
      });
    });
};
