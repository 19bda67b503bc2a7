import { Cluster, Redis, type RedisOptions } from 'ioredis';
import { clusterNodeOptions, parseRedisTarget, type RedisTarget } from '../services/redis-target.js';

/**
 * The connection of the queues: one Redis server, or a Redis Cluster (`redis+cluster://` URLs).
 * Both speak the same commands to BullMQ; code that must tell them apart reads
 * `isCluster` (or `instanceof Cluster` for the cluster-only methods such as `nodes`).
 */
export type QueueConnection = Redis | Cluster;

/**
 * An ioredis 5 connection for BullMQ: a plain `Redis` for `redis://` / `rediss://`, a `Cluster`
 * for `redis+cluster://` / `rediss+cluster://` (seed nodes, user and password from the URL, TLS
 * for `rediss+cluster`). `maxRetriesPerRequest: null` (required by workers, harmless for queues)
 * makes commands wait across a Redis restart instead of failing.
 *
 * @example
 * const connection = createQueueConnection(config.redisUrl);
 * try { await submitJob('attribution', payload, { connection }); } finally { await connection.quit(); }
 */
export function createQueueConnection(target: string | RedisTarget): QueueConnection {
  const parsed = typeof target === 'string' ? parseRedisTarget(target) : target;
  const redisOptions: RedisOptions = { maxRetriesPerRequest: null };
  let connection: QueueConnection;
  if (parsed.kind === 'cluster') {
    connection = new Cluster(parsed.nodes, {
      redisOptions: { ...redisOptions, ...clusterNodeOptions(parsed) },
    });
  } else {
    connection = new Redis(parsed.url, redisOptions);
  }
  // Errors are reported through the commands that fail; an unhandled 'error' event would crash.
  connection.on('error', () => {});
  return connection;
}
