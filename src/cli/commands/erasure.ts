import type { Command } from 'commander';
import { openArtifactHome } from '../../artifacts/open-artifact-home.js';
import type { GraphClient } from '../../graph/connection.js';
import {
  type ErasureInventory,
  erasureInventory,
  type InventoryProbe,
} from '../../jobs/unlearning/erasure-inventory.js';
import { readEncoderDrift } from '../../jobs/unlearning/read-encoder-drift.js';
import { connectQueues } from '../../queue/connect-queues.js';
import type { QueueConnection } from '../../queue/create-queue-connection.js';
import { unlearningPayloadProbe } from '../../queue/unlearning-payload-probe.js';
import { clientFor } from '../../services/ensure-services.js';
import { redactRedisUrl } from '../../services/redis-target.js';
import type { CliContext } from '../context.js';
import { describeEncoderDrift } from '../encoder-drift-text.js';

/**
 * `traceprop erasure show ID [--json]`: the erasure inventory of an unlearning request — each
 * store Traceprop owns (graph nodes and edges, run matrices, model artifacts, the fitted encoder
 * state's one-hot levels only erased rows had, queue payloads in Redis) with what it still holds
 * of the erased rows, and the source files it does not own; then
 * each updated model line's encoder drift (`encoderDrift`: how far the kept fitted encoder state
 * is from a refit without the erased rows).
 */
export function registerErasure(program: Command, ctx: CliContext): void {
  const erasure = program.command('erasure').description('what an erasure request left in every store');
  erasure
    .command('show')
    .description(
      "the erasure inventory of an unlearning request: each store's state (erased, skeleton, shredded, not present, present) measured on the store itself",
    )
    .argument('<requestId>', 'UnlearningRequest id (`traceprop query erasures` lists them)')
    .option('--json', 'print one JSON document')
    .action(async (requestId: string, options: { json?: boolean }) => {
      const client = clientFor(ctx.config, ctx.config.neo4jUri);
      try {
        const inventory = await inventoryWithQueue(ctx, client, requestId);
        // Not a store entry: the kept fitted state's drift, per model line (see docs/unlearning.md).
        const encoderDrift = await readEncoderDrift(client, requestId);
        if (options.json) ctx.printJson({ ...inventory, encoderDrift });
        else {
          printInventory(ctx, inventory);
          for (const d of encoderDrift) ctx.print(`  ${describeEncoderDrift(d)}`);
        }
      } finally {
        await client.driver.close();
      }
    });
}

/**
 * The inventory of a request, with the queue's payloads when Redis answers (`connection` reuses
 * an open one); when it does not, the queue entry is `unknown`.
 */
export async function inventoryWithQueue(
  ctx: CliContext,
  client: GraphClient,
  requestId: string,
  connection?: QueueConnection,
): Promise<ErasureInventory> {
  if (connection)
    return erasureInventory(client, openArtifactHome(ctx.config), requestId, [
      unlearningPayloadProbe(connection, ctx.config.queuePrefix),
    ]);
  const own = await connectQueues(ctx.config.redisUrl).catch(() => undefined);
  const probe: InventoryProbe = own
    ? unlearningPayloadProbe(own, ctx.config.queuePrefix)
    : async () => [
        {
          store: 'queue payload',
          owner: 'traceprop',
          location: 'Redis',
          state: 'unknown',
          detail: `Redis is not reachable at ${redactRedisUrl(ctx.config.redisUrl)}: the queue's payloads were not checked`,
        },
      ];
  try {
    return await erasureInventory(client, openArtifactHome(ctx.config), requestId, [probe]);
  } finally {
    await own?.quit();
  }
}

/** Prints an inventory as a table: state, store, location, detail. */
export function printInventory(ctx: CliContext, inventory: ErasureInventory): void {
  ctx.print(
    `erasure inventory of request ${inventory.requestId} (${inventory.status}): ${inventory.ownedStoresHolding === 0 ? 'no store Traceprop owns holds the erased data' : `${inventory.ownedStoresHolding} store${inventory.ownedStoresHolding === 1 ? '' : 's'} Traceprop owns still hold${inventory.ownedStoresHolding === 1 ? 's' : ''} it`}`,
  );
  for (const e of inventory.entries)
    ctx.print(
      `  ${e.state.padEnd(11)} ${e.store}${e.owner === 'data owner' ? ' (data owner)' : ''}: ${e.detail}`,
    );
}
