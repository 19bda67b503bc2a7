import type { Command } from 'commander';
import { openArtifactHome } from '../../artifacts/open-artifact-home.js';
import { TracepropError } from '../../errors.js';
import type { GraphMismatch } from '../../evidence/graph-mismatch.js';
import { readSigningKeys } from '../../evidence/read-log.js';
import { loadTreeHead, saveTreeHead } from '../../evidence/tree-head-file.js';
import { type BundleProblem, verifyBundle } from '../../evidence/verify-bundle.js';
import { verifyGraph } from '../../evidence/verify-graph.js';
import { verifyLog } from '../../evidence/verify-log.js';
import { verifyStatement } from '../../evidence/verify-statement.js';
import { clientFor } from '../../services/ensure-services.js';
import type { CliContext } from '../context.js';

/**
 * `traceprop verify statement|log|graph|bundle`: an auditor's checks of the signed evidence (docs/evidence.md).
 * Each failure exits 1 with the check that failed named by its code (`evidence.leafMismatch`, …).
 */
export function registerVerify(program: Command, ctx: CliContext): void {
  const verify = program.command('verify').description('verify signed statements and the transparency log');

  verify
    .command('statement')
    .description(
      "verify one statement: its signatures by published keys, and its inclusion proof against the log's newest signed tree head",
    )
    .argument('<id-or-file>', 'statement id (64 hex digits) or a file holding its DSSE envelope')
    .option('--json', 'print one JSON document')
    .action(async (idOrFile: string, options: { json?: boolean }) => {
      const client = clientFor(ctx.config, ctx.config.neo4jUri);
      try {
        const checked = await verifyStatement(client, idOrFile);
        if (options.json) return ctx.printJson({ verified: true, ...checked });
        ctx.print(
          `statement ${checked.id} (${checked.kind}) verified: signed by ${checked.keyIds.join(', ')}, log entry ${checked.logIndex} included in the signed tree head of size ${checked.head.size} (root ${checked.head.rootHash}, ${checked.inclusionProof.length} proof hashes)`,
        );
      } finally {
        await client.driver.close();
      }
    });

  verify
    .command('log')
    .description(
      'recompute the root of the whole log from its entries and check it against the newest signed tree head; with --from, check the log only grew since a tree head kept earlier',
    )
    .option('--from <head-file>', 'a tree head file kept earlier (from --save-head)')
    .option(
      '--save-head <file>',
      'write the verified tree head (with its public key) to this file, for a later --from',
    )
    .option('--json', 'print one JSON document')
    .action(async (options: { from?: string; saveHead?: string; json?: boolean }) => {
      const client = clientFor(ctx.config, ctx.config.neo4jUri);
      try {
        const from = options.from ? loadTreeHead(options.from) : undefined;
        const checked = await verifyLog(client, { from });
        if (options.saveHead) {
          // verifyLog checked the head against this published key.
          const key = (await readSigningKeys(client)).find((k) => k.id === checked.head.keyId);
          if (key) saveTreeHead(options.saveHead, checked.head, key.publicKey);
        }
        if (options.json) return ctx.printJson({ verified: true, ...checked });
        ctx.print(
          `log verified: ${checked.entries} entries hash to the signed root ${checked.head.rootHash} (size ${checked.head.size}, signed by ${checked.head.keyId} at ${checked.head.at}) in ${checked.seconds.toFixed(2)} s`,
        );
        if (checked.consistentWith)
          ctx.print(
            `consistent with the kept tree head of size ${checked.consistentWith.size} (${checked.consistentWith.proofHashes} proof hashes)`,
          );
        if (options.saveHead) ctx.print(`tree head saved to ${options.saveHead}`);
      } finally {
        await client.driver.close();
      }
    });

  verify
    .command('graph')
    .description(
      "verify the log (as `verify log`), then that the graph still says what its statements recorded: each run's counts and source files, each model's parameter hash in the graph and in its artifact under TRACEPROP_HOME, each erasure's request, model versions, affected samples and erased rows (still skeletons), each attribution job's edges",
    )
    .option('--json', 'print one JSON document')
    .action(async (options: { json?: boolean }) => {
      const client = clientFor(ctx.config, ctx.config.neo4jUri);
      try {
        const checked = await verifyGraph(client, openArtifactHome(ctx.config));
        const { mismatches } = checked;
        if (options.json) ctx.printJson({ verified: mismatches.length === 0, ...checked });
        else {
          ctx.print(
            `log verified (${checked.log.entries} entries, signed root ${checked.log.head.rootHash}); compared ${checked.compared.run} run, ${checked.compared.model} model, ${checked.compared.erasure} erasure and ${checked.compared.attribution} attribution statements with the graph, hashed ${checked.artifactsHashed} model artifacts`,
          );
          for (const n of checked.artifactsNotCompared)
            ctx.print(`model ${n.modelId}: parameters not compared (${n.reason})`);
          for (const n of checked.notCompared)
            ctx.print(
              `${n.kind}${n.ref ? ` ${n.ref}` : ' statements'}: not compared: ${n.what} (${n.reason})`,
            );
        }
        if (mismatches.length > 0)
          throw new TracepropError(
            'evidence.graphMismatch',
            `${mismatches.length} fact(s) of the graph differ from the log:\n${mismatches
              .slice(0, 20)
              .map(describeMismatch)
              .join(
                '\n',
              )}${mismatches.length > 20 ? `\n… and ${mismatches.length - 20} more (--json lists them all)` : ''}`,
          );
        if (!options.json) ctx.print('graph verified: it matches every logged statement');
      } finally {
        await client.driver.close();
      }
    });

  verify
    .command('bundle')
    .description(
      "verify an evidence bundle (`export evidence`) offline, without Neo4j: manifest digests, each envelope's Ed25519 signature, each inclusion proof against the tree head's root, the tree head's signature",
    )
    .argument('<dir>', 'the bundle directory')
    .option(
      '--key-id <id>',
      'the key id you expect the tree head to be signed by (obtained from the operator)',
    )
    .option('--json', 'print one JSON document')
    .action((dir: string, options: { keyId?: string; json?: boolean }) => {
      // Offline by design: no graph client is made here.
      const checked = verifyBundle(dir, { expectedKeyId: options.keyId });
      const { problems } = checked;
      if (options.json) ctx.printJson({ verified: problems.length === 0, ...checked });
      if (problems.length > 0)
        throw new TracepropError(
          'evidence.bundleInvalid',
          `bundle ${dir}: ${problems.length} check(s) failed:\n${problems.map(describeProblem).join('\n')}`,
        );
      if (options.json) return;
      const head = checked.treeHead;
      ctx.print(
        `bundle ${dir} verified offline: ${checked.filesHashed} file digests, ${checked.statements.length} statements of model ${checked.modelId} (${checked.statements.map((s) => `${s.kind} #${s.logIndex}`).join(', ')}) signed and included in the tree head of size ${head?.size} (root ${head?.rootHash}) signed by ${head?.keyId}${options.keyId ? ' (the expected key)' : ''}`,
      );
      if (!options.keyId)
        ctx.print(
          "the keys are the bundle's own: give --key-id with the key id you trust (from the operator, not from the bundle) to pin them",
        );
    });
}

/** One line per failed check of a bundle: the file, the check, the statement, what failed. */
function describeProblem(p: BundleProblem): string {
  return `  ${p.file} [${p.check}]${p.statement ? ` ${p.statement}` : ''}: ${p.message}`;
}

/** One line per mismatch: the statement, the fact, what was logged and what is there now. */
function describeMismatch(m: GraphMismatch): string {
  return `  log index ${m.logIndex} (${m.kind} ${m.ref}): ${m.fact} logged ${JSON.stringify(m.logged)}, found ${JSON.stringify(m.found)}`;
}
