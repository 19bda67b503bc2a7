import os from 'node:os';
import type { Command } from 'commander';
import { accessRoles, parseAccessRole } from '../../access/access-role.js';
import { createApiToken, listApiTokens, revokeApiToken } from '../../access/token-store.js';
import { resolveSigningKey } from '../../evidence/key-file.js';
import { clientFor } from '../../services/ensure-services.js';
import type { CliContext } from '../context.js';
import { asUsageError } from '../options.js';

/**
 * `traceprop token create --role ROLE --name NAME [--json]`, `token list [--json]`,
 * `token revoke ID [--json]`: the workbench's bearer tokens (docs/workbench.md). A token's secret
 * is printed once, at creation; the graph keeps only its sha256.
 */
export function registerToken(program: Command, ctx: CliContext): void {
  const token = program
    .command('token')
    .description("manage the workbench's API tokens (roles: auditor < operator < admin)");
  const withClient = async <T>(work: (client: ReturnType<typeof clientFor>) => Promise<T>): Promise<T> => {
    const client = clientFor(ctx.config, ctx.config.neo4jUri);
    try {
      return await work(client);
    } finally {
      await client.driver.close();
    }
  };
  token
    .command('create')
    .description('create a token and print its secret (shown this once)')
    .requiredOption('--role <role>', `role of the token (${accessRoles.join(', ')})`)
    .requiredOption('--name <name>', 'who or what uses the token')
    .option('--json', 'print one JSON document ({"token": …, "id": …, …})')
    .action(async (options: { role: string; name: string; json?: boolean }) => {
      const role = asUsageError(() => parseAccessRole(options.role));
      const created = await withClient((client) =>
        createApiToken(
          client,
          { name: options.name, role, createdBy: `cli:${os.userInfo().username}` },
          resolveSigningKey(ctx.config),
        ),
      );
      if (options.json) return ctx.printJson(created);
      ctx.print(created.token);
      ctx.status(
        `token ${created.id} (${created.role}, "${created.name}") created: the secret above is shown once, keep it`,
      );
    });
  token
    .command('list')
    .description('list the tokens (never a secret)')
    .option('--json', 'print one JSON document')
    .action(async (options: { json?: boolean }) => {
      const tokens = await withClient(listApiTokens);
      if (options.json) return ctx.printJson({ tokens });
      if (tokens.length === 0) return ctx.print('(no tokens)');
      for (const t of tokens)
        ctx.print(
          `${t.id}  ${t.role.padEnd(8)}  ${t.name}  created ${t.createdAt} by ${t.createdBy}` +
            `${t.lastUsedAt ? `, last used ${t.lastUsedAt}` : ''}${t.revokedAt ? `, REVOKED ${t.revokedAt}` : ''}`,
        );
    });
  token
    .command('revoke')
    .description('revoke a token (a running server stops accepting it within a second)')
    .argument('<id>', 'token id (see `token list`)')
    .option('--json', 'print one JSON document')
    .action(async (id: string, options: { json?: boolean }) => {
      const revoked = await withClient((client) => revokeApiToken(client, id, resolveSigningKey(ctx.config)));
      if (options.json) return ctx.printJson(revoked);
      ctx.print(`token ${revoked.id} revoked at ${revoked.revokedAt}`);
    });
}
