import { Redis } from 'ioredis';

/**
 * An ioredis 5 connection for BullMQ. `maxRetriesPerRequest: null` (required by workers, harmless
 * for queues) makes commands wait across a Redis restart instead of failing.
 *
 * @example
 * const connection = createQueueConnection(config.redisUrl);
 * try { await submitJob('attribution', payload, { connection }); } finally { await connection.quit(); }
 */
export function createQueueConnection(url: string): Redis {
  const connection = new Redis(url, { maxRetriesPerRequest: null });
  // Errors are reported through the commands that fail; an unhandled 'error' event would crash.
  connection.on('error', () => {});
  return connection;
}
