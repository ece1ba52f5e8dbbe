import type { Command } from 'commander';
import type { RequestContext } from '../context.js';
import { cutroomError } from '../errors.js';
import { LOCAL_ENVS, LOCAL_TENANT_ID } from '../media/tenants.js';
import type { Services } from '../media/services.js';
import type { CliIo } from './io.js';

export interface GlobalOptions {
  /** Default: env CUTROOM_DATA_DIR, else ./.cutroom (resolved by createServices). */
  dataDir?: string;
  env?: string;
}

/** What every command module gets: where to print and how to reach the services. */
export interface CliContext {
  io: CliIo;
  globals(cmd: Command): GlobalOptions;
  /** Opens the services for the data dir, runs `fn`, always closes them (so the process can exit). */
  withServices<T>(cmd: Command, fn: (services: Services) => Promise<T>): Promise<T>;
  /** The local tenant (created on first use) in the env chosen with --env (default dev). */
  localContext(cmd: Command, services: Services): Promise<{ ctx: RequestContext; createdKey?: string }>;
}

export function createCliContext({ io }: { io: CliIo }): CliContext {
  const globals = (cmd: Command): GlobalOptions => cmd.optsWithGlobals() as GlobalOptions;
  return {
    io,
    globals,
    withServices: async (cmd, fn) => {
      const { dataDir } = globals(cmd);
      // Loaded on demand: `cutroom probe` / `validate` should not pay for the database and server modules.
      const { createServices } = await import('../media/services.js');
      const services = await createServices(dataDir !== undefined ? { dataDir } : {});
      try {
        return await fn(services);
      } finally {
        await services.close();
      }
    },
    localContext: async (cmd, services) => {
      const ensured = await services.tenants.ensureLocalTenant();
      const env = globals(cmd).env ?? LOCAL_ENVS[0];
      const tenant = await services.tenants.getTenant(LOCAL_TENANT_ID);
      if (!tenant?.envs.includes(env))
        throw cutroomError(
          'ENV_NOT_ALLOWED',
          `the local tenant has no env "${env}" (it has ${tenant?.envs.join(', ')})`,
          {
            env,
          },
        );
      return {
        ctx: { tenantId: LOCAL_TENANT_ID, env, requestId: `cli-${process.pid}` },
        ...(ensured.key ? { createdKey: ensured.key } : {}),
      };
    },
  };
}
