import { randomUUID } from 'node:crypto';
import { createQueueConnection, type QueueConnection } from '../../src/queue/create-queue-connection.js';
import { scanKeys } from '../../src/queue/scan-keys.js';
import { trackResource } from './resources.js';
import { testServices } from './services.js';

/** A queue name unique to this test, e.g. `t-attribution-3f2a…`. */
export function uniqueQueueName(prefix = 't'): string {
  return `${prefix}-${randomUUID().slice(0, 12)}`;
}

/**
 * A tracked queue connection (BullMQ-ready: maxRetriesPerRequest null) to `url`, default this
 * run's Redis; a `redis+cluster://` URL gives a cluster client.
 */
export function newRedisConnection(url: string = testServices().redisUrl): QueueConnection {
  const connection = createQueueConnection(url);
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

/**
 * Deletes every Redis key of a queue: `<keyPrefix>:<queueName>:*` (BullMQ's default prefix `bull`;
 * a queue on a cluster passes its hash-tagged prefix, `queue.opts.prefix`), on every master.
 */
export async function obliterateQueueKeys(
  connection: QueueConnection,
  queueName: string,
  keyPrefix = 'bull',
): Promise<void> {
  for await (const keys of scanKeys(connection, `${keyPrefix}:${queueName}:*`)) {
    // On a cluster the keys of one queue share a slot (hash tag), so one DEL takes them all.
    await connection.del(...keys);
  }
}

/**
 * Fills a queue as the retention tests need it: three jobs that complete and one that fails
 * (through `worker`, whose processor fails a job with `fail: true`), then, the worker closed, one
 * job left waiting (which a purge must never touch).
 */
export async function fillRetentionQueue(
  queue: { add(name: string, data: Record<string, unknown>): Promise<unknown> },
  worker: { on(event: 'completed' | 'failed', listener: () => void): unknown; close(): Promise<void> },
): Promise<void> {
  const finished = new Promise<void>((resolve) => {
    let left = 4;
    const done = () => {
      left--;
      if (left === 0) resolve();
    };
    worker.on('completed', done);
    worker.on('failed', done);
  });
  for (let n = 0; n < 3; n++) await queue.add('t', { n });
  await queue.add('t', { fail: true });
  await finished;
  await worker.close();
  await queue.add('t', { n: 99 });
}
