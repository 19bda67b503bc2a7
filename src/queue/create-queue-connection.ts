import { Cluster, type ClusterOptions, Redis, type RedisOptions } from 'ioredis';
import { parseRedisTarget, type RedisTarget } from '../services/redis-target.js';

/**
 * The connection of the queues: one Redis server, or a Redis Cluster (`redis+cluster://` URLs).
 * Both speak the same commands to BullMQ; code that must tell them apart reads `isCluster`.
 */
export type QueueConnection = Redis | Cluster;

/** Options of {@link createQueueConnection}. */
export interface QueueConnectionOptions {
  /** Extra ioredis options of every node connection (e.g. `lazyConnect`, `connectTimeout`). */
  redisOptions?: RedisOptions;
  /** Extra options of a cluster client (ignored for one server). */
  clusterOptions?: Omit<ClusterOptions, 'redisOptions'>;
}

/**
 * An ioredis 5 connection for BullMQ: a plain `Redis` for `redis://` / `rediss://`, a `Cluster`
 * for `redis+cluster://` / `rediss+cluster://` (seed nodes, user and password from the URL, TLS
 * for `rediss+cluster`). `maxRetriesPerRequest: null` (required by workers, harmless for queues)
 * makes commands wait across a Redis restart or a cluster failover instead of failing.
 *
 * @example
 * const connection = createQueueConnection(config.redisUrl);
 * try { await submitJob('attribution', payload, { connection }); } finally { await connection.quit(); }
 */
export function createQueueConnection(
  target: string | RedisTarget,
  options: QueueConnectionOptions = {},
): QueueConnection {
  const parsed = typeof target === 'string' ? parseRedisTarget(target) : target;
  const redisOptions: RedisOptions = { maxRetriesPerRequest: null, ...options.redisOptions };
  let connection: QueueConnection;
  if (parsed.kind === 'cluster') {
    connection = new Cluster(parsed.nodes, {
      ...options.clusterOptions,
      redisOptions: {
        ...redisOptions,
        ...(parsed.username ? { username: parsed.username } : {}),
        ...(parsed.password ? { password: parsed.password } : {}),
        ...(parsed.tls ? { tls: {} } : {}),
      },
    });
  } else {
    connection = new Redis(parsed.url, redisOptions);
  }
  // Errors are reported through the commands that fail; an unhandled 'error' event would crash.
  connection.on('error', () => {});
  return connection;
}
