import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { trackResource } from './resources.js';
import { testServices } from './services.js';

/** A queue name unique to this test, e.g. `t-attribution-3f2a…`. */
export function uniqueQueueName(prefix = 't'): string {
  return `${prefix}-${randomUUID().slice(0, 12)}`;
}

/** A tracked ioredis connection to this run's Redis (BullMQ-ready: maxRetriesPerRequest null). */
export function newRedisConnection(): Redis {
  const connection = new Redis(testServices().redisUrl, { maxRetriesPerRequest: null });
  const closed = trackResource('redis connection', () => connection.quit());
  connection.once('end', closed);
  return connection;
}

/** Registers a BullMQ Queue/Worker/QueueEvents/FlowProducer so the root hook fails a test that leaves it open. */
export function trackBullmq<T extends { close(): Promise<unknown> }>(label: string, resource: T): T {
  const closed = trackResource(label, () => resource.close());
  const close = resource.close.bind(resource);
  resource.close = async () => {
    try {
      return await close();
    } finally {
      closed();
    }
  };
  return resource;
}

/** Deletes every Redis key of a queue (BullMQ's default prefix `bull`). */
export async function obliterateQueueKeys(connection: Redis, queueName: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await connection.scan(cursor, 'MATCH', `bull:${queueName}:*`, 'COUNT', 1000);
    if (keys.length) await connection.del(...keys);
    cursor = next;
  } while (cursor !== '0');
}
