import { readFile, writeFile } from 'node:fs/promises';
import { cutroomError } from '../../errors.js';
import type { CliCommand } from './types.js';

async function readText(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    throw cutroomError('INVALID_PATH', `cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, { path: file });
  }
}

/** `--asset REF=ID` (repeatable) and `--assets mapping.json` build the media mapping; REF may contain '='. */
async function mapping(opts: { asset?: string[]; assets?: string }): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  if (opts.assets) {
    let json: unknown;
    try {
      json = JSON.parse(await readText(opts.assets));
    } catch (err) {
      if (err instanceof Error && 'code' in err && err.code === 'INVALID_PATH') throw err;
      throw cutroomError('VALIDATION_FAILED', `${opts.assets} is not JSON`, { issues: [{ path: '--assets', message: 'not JSON' }] });
    }
    if (json === null || typeof json !== 'object' || Array.isArray(json))
      throw cutroomError('VALIDATION_FAILED', `${opts.assets} must be a JSON object {reference: asset_id}`, { issues: [{ path: '--assets', message: 'must be an object' }] });
    Object.assign(out, json);
  }
  for (const pair of opts.asset ?? []) {
    const at = pair.lastIndexOf('=');
    if (at <= 0) throw cutroomError('CLI_USAGE', `--asset takes REFERENCE=ASSET_ID, not "${pair}"`);
    out[pair.slice(0, at)] = pair.slice(at + 1);
  }
  return out;
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

/**
 * `cutroom import FILE --from FORMAT` makes a project of the local tenant from another editor's file;
 * `cutroom export PROJECT --to FORMAT` writes a project sequence as one. Warnings (what does not map) go to
 * stderr, one line each.
 */
export const interchangeCommand: CliCommand = (program, cli) => {
  program
    .command('import')
    .description('Import a Shotstack, editly, OTIO, MLT, EDL, SRT or WebVTT file as a new project')
    .argument('<file>', 'the file to import')
    .requiredOption('--from <format>', 'shotstack | editly | otio | mlt | edl | srt | vtt')
    .option('--asset <ref=id>', 'map a media reference in the file to an asset id (repeatable)', collect)
    .option('--assets <file>', 'JSON file {reference: asset_id}')
    .option('--name <name>', 'project name')
    .option('--fps <n>', 'frame rate of an EDL', Number)
    .option('--style <style>', 'caption style for srt/vtt: clean | bold_pop | karaoke')
    .option('--json', 'print {project, warnings} as JSON')
    .action(async (file: string, opts: { from: string; asset?: string[]; assets?: string; name?: string; fps?: number; style?: 'clean' | 'bold_pop' | 'karaoke'; json?: boolean }, cmd) => {
      const text = await readText(file);
      const assets = await mapping(opts);
      await cli.withServices(cmd, async (services) => {
        const { ctx } = await cli.localContext(cmd, services);
        const { importProject } = await import('../../http/interchange-service.js');
        const r = await importProject(services, ctx, {
          format: opts.from,
          text,
          assets,
          ...(opts.name ? { name: opts.name } : {}),
          ...(opts.fps !== undefined ? { fps: opts.fps } : {}),
          ...(opts.style ? { style: opts.style } : {}),
        });
        if (opts.json) cli.io.out(JSON.stringify(r, null, 2));
        else {
          cli.io.out(`${r.project.id}  ${r.project.name}  (${r.warnings.length} warning${r.warnings.length === 1 ? '' : 's'})`);
          for (const w of r.warnings) cli.io.err(`warning ${w.code}: ${w.path ? `${w.path}: ` : ''}${w.message}`);
        }
      });
    });

  program
    .command('export')
    .description('Export a project sequence as OTIO, MLT (melt, Shotcut, Kdenlive), FCPXML 1.9 or a CMX3600 EDL')
    .argument('<project>', 'project id')
    .requiredOption('--to <format>', 'otio | mlt | fcpxml | edl')
    .option('-o, --output <file>', 'write here instead of stdout')
    .option('--sequence <id>', 'sequence id (default: the first)')
    .option('--fps <n>', 'frame rate of the exported edit (default 30)', Number)
    .option('--width <n>', 'frame width (MLT profile, FCPXML format)', Number)
    .option('--height <n>', 'frame height', Number)
    .option('--media <kind>', 'name media by stored file "path" (default: melt can render it here) or original "filename"', 'path')
    .action(async (projectId: string, opts: { to: string; output?: string; sequence?: string; fps?: number; width?: number; height?: number; media: string }, cmd) => {
      if (opts.media !== 'path' && opts.media !== 'filename') throw cutroomError('CLI_USAGE', '--media is path or filename');
      await cli.withServices(cmd, async (services) => {
        const { ctx } = await cli.localContext(cmd, services);
        const { exportProject } = await import('../../http/interchange-service.js');
        const out = await exportProject(services, ctx, {
          projectId,
          format: opts.to,
          mediaUrls: opts.media as 'path' | 'filename',
          ...(opts.sequence ? { sequenceId: opts.sequence } : {}),
          ...(opts.fps !== undefined ? { fps: opts.fps } : {}),
          ...(opts.width !== undefined ? { width: opts.width } : {}),
          ...(opts.height !== undefined ? { height: opts.height } : {}),
        });
        if (opts.output) await writeFile(opts.output, out.text);
        else cli.io.out(out.text.replace(/\r?\n$/, ''));
        for (const w of out.warnings) cli.io.err(`warning ${w.code}: ${w.path ? `${w.path}: ` : ''}${w.message}`);
      });
    });
};
