import { Queue } from 'bullmq';
import { queueKeyPrefix } from './queue-key-prefix.js';
import { type QueueKind, queueName } from './queue-kind.js';
import { defaultJobOptions, type QueueSettings } from './queue-settings.js';

/**
 * Opens the BullMQ queue of a kind with Traceprop's default job options (attempts, exponential
 * backoff, retention), its keys under {@link queueKeyPrefix} (a hash tag on a Redis Cluster). Close
 * it after use; the connection is shared and stays open.
 */
export function openQueue(kind: QueueKind, settings: QueueSettings): Queue {
  return new Queue(queueName(kind, settings.prefix), {
    connection: settings.connection,
    prefix: queueKeyPrefix(settings.connection, settings.prefix),
    defaultJobOptions: { ...defaultJobOptions, ...settings.jobOptions },
  });
}
