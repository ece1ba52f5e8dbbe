import type { Command } from 'commander';
import { cutroomError } from '../../errors.js';
import type { CliCommand } from './types.js';

function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535)
    throw cutroomError('CLI_USAGE', `--port must be an integer 0..65535, got "${value}"`, {});
  return n;
}

const LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace'] as const;

/** CUTROOM_LOG_LEVEL, default warn: request lines (info) are off, unexpected errors (error) are on. */
function logLevel(value: string | undefined): (typeof LEVELS)[number] {
  return LEVELS.find((l) => l === value) ?? 'warn';
}

export const serveCommand: CliCommand = (program, cli) => {
  program
    .command('serve')
    .description('Run the HTTP API (embedded default: SQLite + local store in the data dir)')
    .option('--port <n>', 'TCP port (0 = any free port)', port, 8080)
    .option('--host <addr>', 'address to listen on', '127.0.0.1')
    .action(async (opts: { port: number; host: string }, cmd: Command) => {
      const { dataDir } = cli.globals(cmd);
      const [{ createServices }, { buildApp }, { engineRoutes }] = await Promise.all([
        import('../../media/services.js'),
        import('../../http/app.js'),
        import('../../http/engine-routes.js'),
      ]);
      const { defaultStudioRoot, isStudioBuilt } = await import('../../http/studio-static.js');
      const studioRoot = defaultStudioRoot();
      const services = await createServices(dataDir !== undefined ? { dataDir } : {});
      const ensured = await services.tenants.ensureLocalTenant();
      if (ensured.key) {
        cli.io.out(`Created the local tenant. Its API key (shown only this once):\n  ${ensured.key}`);
        cli.io.out(`Use it as: Authorization: Bearer ${ensured.key}`);
      }
      // Handlers go in before the address is printed: whoever reads that line may signal us right away.
      const stopped = new Promise<void>((resolve) => {
        const stop = (): void => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          resolve();
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      });
      // Embedded mode: the render queue runs in this process (it also picks up `cutroom render --detach` jobs).
      // With CUTROOM_REDIS_URL, this process only submits; `cutroom worker` processes render (docs/DEPLOYMENT.md).
      const { createRenderQueue, RENDER_JOB_KIND } = await import('../../render/jobs/index.js');
      const queue = process.env.CUTROOM_REDIS_URL
        ? (
            await (
              await import('../../jobs/queue-from-env.js')
            ).queueFromEnv({
              env: process.env,
              db: services.db,
              handlers: {},
              submitKinds: [RENDER_JOB_KIND],
            })
          ).queue
        : await createRenderQueue({ services });
      const app = await buildApp({
        services,
        logger: { level: logLevel(process.env.CUTROOM_LOG_LEVEL) },
        extraRoutes: engineRoutes({ queue }),
        studioRoot,
      });
      const address = await app.listen({ port: opts.port, host: opts.host });
      cli.io.out(`cutroom listening on ${address} (data dir ${services.config.dataDir})`);
      cli.io.out(
        isStudioBuilt(studioRoot)
          ? `Studio: open ${address}/ in a browser and paste the API key`
          : `Studio not built (no ${studioRoot}/index.html): run npm run build`,
      );
      await stopped;
      await app.close();
      await queue.close();
      await services.close();
    });
};
