import { Cluster, type Redis } from 'ioredis';
import type { QueueConnection } from './create-queue-connection.js';

/**
 * Every key matching `pattern`, in batches, on one Redis or on every master of a Redis Cluster
 * (a SCAN sent through a cluster client reaches one node only, so each master is scanned in turn).
 * Keys may repeat across batches (SCAN's guarantee); keys added during the scan may be missed.
 *
 * @example
 * for await (const keys of scanKeys(connection, '{traceprop}:attribution:*')) count += keys.length;
 */
export async function* scanKeys(
  connection: QueueConnection,
  pattern: string,
  count = 1000,
): AsyncGenerator<string[]> {
  const nodes: Redis[] = connection instanceof Cluster ? connection.nodes('master') : [connection];
  for (const node of nodes) {
    let cursor = '0';
    do {
      const [next, keys] = await node.scan(cursor, 'MATCH', pattern, 'COUNT', count);
      cursor = next;
      if (keys.length) yield keys;
    } while (cursor !== '0');
  }
}
