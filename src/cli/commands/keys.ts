import type { Command } from 'commander';
import {
  currentSigningKey,
  initSigningKey,
  type KeyChange,
  rotateSigningKey,
} from '../../evidence/manage-signing-key.js';
import { readSigningKeys } from '../../evidence/read-log.js';
import { applySchema } from '../../graph/schema.js';
import { clientFor } from '../../services/ensure-services.js';
import type { CliContext } from '../context.js';

/**
 * `traceprop keys init|show|rotate`: the Ed25519 key that signs evidence statements and tree
 * heads (docs/evidence.md). The private key never leaves its file (or TRACEPROP_SIGNING_KEY);
 * these commands print key ids and public keys only.
 */
export function registerKeys(program: Command, ctx: CliContext): void {
  const keys = program
    .command('keys')
    .description('manage the signing key of evidence statements and the log');

  keys
    .command('init')
    .description(
      'create the signing key (<TRACEPROP_HOME>/signing-key.pem, mode 0600) or take TRACEPROP_SIGNING_KEY, publish it in the graph and log its signed `key` statement',
    )
    .option('--json', 'print one JSON document')
    .action(async (options: { json?: boolean }) => {
      const client = clientFor(ctx.config, ctx.config.neo4jUri);
      try {
        await applySchema(client);
        printChange(ctx, 'created', await initSigningKey(client, ctx.config), options.json);
      } finally {
        await client.driver.close();
      }
    });

  keys
    .command('rotate')
    .description(
      'replace the key file by a new key: the change is a `key` statement signed by the old key and the new, and the old key is retired in the graph',
    )
    .option('--json', 'print one JSON document')
    .action(async (options: { json?: boolean }) => {
      const client = clientFor(ctx.config, ctx.config.neo4jUri);
      try {
        await applySchema(client);
        printChange(ctx, 'rotated to', await rotateSigningKey(client, ctx.config), options.json);
      } finally {
        await client.driver.close();
      }
    });

  keys
    .command('show')
    .description('the local signing key (id and public key) and the keys the graph publishes')
    .option('--local', 'only the local key: do not contact Neo4j')
    .option('--json', 'print one JSON document')
    .action(async (options: { json?: boolean; local?: boolean }) => {
      const key = currentSigningKey(ctx.config);
      const local = key ? { keyId: key.keyId, source: key.source, publicKey: key.publicKeyPem } : null;
      let published: Awaited<ReturnType<typeof readSigningKeys>> | undefined;
      if (!options.local) {
        const client = clientFor(ctx.config, ctx.config.neo4jUri);
        try {
          published = await readSigningKeys(client);
        } finally {
          await client.driver.close();
        }
      }
      if (options.json) return ctx.printJson({ key: local, ...(published ? { published } : {}) });
      if (!local) ctx.print('no signing key (statements are not signed): `traceprop keys init` creates one');
      else ctx.print(`signing key ${local.keyId} (from ${local.source})\n${local.publicKey.trimEnd()}`);
      for (const k of published ?? [])
        ctx.print(`published ${k.id}  from ${k.from}${k.to ? `  retired ${k.to}` : '  (current)'}`);
    });
}

function printChange(ctx: CliContext, verb: string, change: KeyChange, json: boolean | undefined): void {
  if (json) {
    ctx.printJson(change);
    return;
  }
  ctx.print(
    `${verb} signing key ${change.keyId} (${change.source}); its \`key\` statement ${change.statement.id} is log entry ${change.statement.logIndex}${change.previousKeyId ? `; retired ${change.previousKeyId}` : ''}`,
  );
  ctx.print(change.publicKey.trimEnd());
}
