import type { Command } from 'commander';
import { cutroomError } from '../../errors.js';
import { LOCAL_TENANT_ID, type ApiKeyInfo } from '../../media/tenants.js';
import type { CliCommand } from './types.js';

function keyLine(k: ApiKeyInfo): string {
  const state = k.revoked_at ? `revoked ${k.revoked_at}` : 'active';
  return `${k.id}  tenant=${k.tenant_id}  envs=${k.envs.join(',')}  ${state}  created ${k.created_at}${k.label ? `  "${k.label}"` : ''}`;
}

function parseEnvs(value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  const envs = value
    .split(',')
    .map((e) => e.trim())
    .filter((e) => e !== '');
  if (envs.length === 0)
    throw cutroomError('CLI_USAGE', '--env needs a comma-separated list of envs, e.g. dev,prod', {});
  return envs;
}

export const keysCommand: CliCommand = (program, cli) => {
  const keys = program
    .command('keys')
    .description('API keys (a key maps to one tenant and its allowed envs)');

  keys
    .command('create')
    .description(
      'Create an API key and print it once (only its hash is stored); creates the tenant if needed',
    )
    .option('--tenant <id>', 'tenant id', LOCAL_TENANT_ID)
    // --env is also the global option; here its value is the comma-separated list of envs the key may use.
    .option('--env <list>', 'envs the key may act in, comma-separated (default: all of the tenant)')
    .option('--label <text>', 'a note to recognise the key by')
    .option('--json', 'print {key, info} as JSON')
    .action(async (opts: { tenant: string; env?: string; label?: string; json?: boolean }, cmd: Command) => {
      const envs = parseEnvs(opts.env ?? cli.globals(cmd).env);
      await cli.withServices(cmd, async (services) => {
        if (opts.tenant === LOCAL_TENANT_ID) await services.tenants.ensureLocalTenant();
        else if (!(await services.tenants.getTenant(opts.tenant)))
          await services.tenants.createTenant({ id: opts.tenant, ...(envs ? { envs } : {}) });
        const created = await services.tenants.createApiKey({
          tenantId: opts.tenant,
          ...(envs ? { envs } : {}),
          ...(opts.label !== undefined ? { label: opts.label } : {}),
        });
        if (opts.json) cli.io.out(JSON.stringify(created, null, 2));
        else {
          cli.io.out(created.key);
          cli.io.err(`created ${keyLine(created.info)} (the key is shown only now)`);
        }
      });
    });

  keys
    .command('list')
    .description("List a tenant's keys (never the secrets)")
    .option('--tenant <id>', 'tenant id', LOCAL_TENANT_ID)
    .option('--json', 'print as JSON')
    .action(async (opts: { tenant: string; json?: boolean }, cmd: Command) => {
      await cli.withServices(cmd, async (services) => {
        const list = await services.tenants.listKeys(opts.tenant);
        if (opts.json) cli.io.out(JSON.stringify(list, null, 2));
        else
          cli.io.out(list.length === 0 ? `no keys for tenant ${opts.tenant}` : list.map(keyLine).join('\n'));
      });
    });

  keys
    .command('revoke')
    .description('Revoke a key by its id (key_…); requests with it get 401 from then on')
    .argument('<id>', 'key id')
    .option('--json', 'print the revoked key info as JSON')
    .action(async (id: string, opts: { json?: boolean }, cmd: Command) => {
      await cli.withServices(cmd, async (services) => {
        const info = await services.tenants.revokeKey({ keyId: id });
        cli.io.out(opts.json ? JSON.stringify(info, null, 2) : `revoked ${keyLine(info)}`);
      });
    });
};
