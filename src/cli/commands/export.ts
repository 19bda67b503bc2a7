import type { Command } from 'commander';
import { exportEvidence } from '../../evidence/export-evidence.js';
import { clientFor } from '../../services/ensure-services.js';
import type { CliContext } from '../context.js';

/**
 * `traceprop export evidence`: writes a model's signed evidence as an offline bundle that
 * `traceprop verify bundle` checks without a database (docs/evidence.md, *Evidence bundles*).
 */
export function registerExport(program: Command, ctx: CliContext): void {
  const exporter = program.command('export').description('write evidence out of the graph for auditors');

  exporter
    .command('evidence')
    .description(
      "write a model's evidence bundle to a directory: its signed statements (model, training run, keys), an inclusion proof of each in one signed tree head, that head, the public keys, a manifest of SHA-256 digests and a README; `verify bundle` checks it offline",
    )
    .requiredOption('--model <id>', 'model id (the modelId `traceprop train --json` printed)')
    .requiredOption('--out <dir>', 'directory to write (new or empty)')
    .option('--force', 'write into a non-empty directory, replacing the bundle files in it')
    .option('--json', 'print one JSON document')
    .action(async (options: { model: string; out: string; force?: boolean; json?: boolean }) => {
      const client = clientFor(ctx.config, ctx.config.neo4jUri);
      try {
        const bundle = await exportEvidence(client, options.model, options.out, { force: options.force });
        if (options.json) return ctx.printJson(bundle);
        ctx.print(
          `evidence of model ${bundle.modelId} written to ${bundle.dir}: ${bundle.statements.length} statements (${bundle.statements.map((s) => s.kind).join(', ')}) with inclusion proofs in the signed tree head of size ${bundle.treeHead.size}, ${bundle.keyIds.length} public key(s), ${bundle.files} files`,
        );
        ctx.print(
          `verify it anywhere, without Neo4j: traceprop verify bundle ${bundle.dir} --key-id ${bundle.treeHead.keyId}`,
        );
      } finally {
        await client.driver.close();
      }
    });
}
