import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { Asset } from '../../media/assets.js';
import type { CliCommand } from './types.js';

function assetLine(a: Asset): string {
  const f = a.media_info.font;
  if (f) return `${a.id}  font "${f.family}" (${f.format})  ${a.size_bytes} B  ${a.original_filename}`;
  const v = a.media_info.video;
  const size = v ? ` ${v.display_width}x${v.display_height}` : '';
  return `${a.id}  ${a.kind}${size}  ${(a.media_info.duration_ms / 1000).toFixed(3)} s  ${a.size_bytes} B  ${a.original_filename}`;
}

export const assetsCommand: CliCommand = (program, cli) => {
  const assets = program.command('assets').description('Assets of the local tenant (no server needed)');

  assets
    .command('add')
    .description('Register a local media file: copy into the store, hash, probe')
    .argument('<file>', 'media file')
    .option('--json', 'print {asset, meta} as JSON')
    .action(async (file: string, opts: { json?: boolean }, cmd: Command) => {
      await cli.withServices(cmd, async (services) => {
        const { ctx } = await cli.localContext(cmd, services);
        const result = await services.assets.registerAsset(ctx, { source: { path: resolve(file) } });
        if (opts.json) cli.io.out(JSON.stringify(result, null, 2));
        else
          cli.io.out(
            `${result.meta.deduplicated ? 'already registered' : 'added'}: ${assetLine(result.asset)}`,
          );
      });
    });

  assets
    .command('ls')
    .description('List assets, newest first')
    .option('--limit <n>', 'at most this many (1..200)', (v) => Number(v), 50)
    .option('--json', 'print the page as JSON')
    .action(async (opts: { json?: boolean; limit: number }, cmd: Command) => {
      await cli.withServices(cmd, async (services) => {
        const { ctx } = await cli.localContext(cmd, services);
        const page = await services.assets.listAssets(ctx, { limit: opts.limit });
        if (opts.json) cli.io.out(JSON.stringify(page, null, 2));
        else if (page.items.length === 0) cli.io.out(`no assets in env ${ctx.env}`);
        else cli.io.out(page.items.map(assetLine).join('\n'));
      });
    });
};
