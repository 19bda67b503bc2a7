import type { Queue } from 'bullmq';
import type { TracepropConfig } from '../config.js';
import { createQueueConnection, type QueueConnection } from './create-queue-connection.js';
import { openQueue } from './open-queue.js';
import type { QueueKind } from './queue-kind.js';

/** A queue of one kind, opened by a sandboxed child, with its connection. */
export interface ChildQueue {
  queue: Queue;
  connection: QueueConnection;
}

const open = new Map<QueueKind, ChildQueue>();

/**
 * The queue of a kind as a job running in a sandboxed child sees it, opened on first use and
 * reused for the child's life (like its graph clients): Redis at `config.redisUrl`, names under
 * `config.queuePrefix` (`startQueueWorker` passes its Redis URL and prefix to its children as
 * `REDIS_URL` and `TRACEPROP_QUEUE_PREFIX`). For a job that queues another (`unlearn
 * --reattribute` queues attribution jobs).
 */
export function childQueue(kind: QueueKind, config: TracepropConfig): ChildQueue {
  let found = open.get(kind);
  if (!found) {
    const connection = createQueueConnection(config.redisUrl);
    const queue = openQueue(kind, { connection, prefix: config.queuePrefix });
    queue.on('error', () => {}); // reported through the commands that fail
    found = { queue, connection };
    open.set(kind, found);
  }
  return found;
}
