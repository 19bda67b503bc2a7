import { Queue } from 'bullmq';
import { type QueueKind, queueName } from './queue-kind.js';
import { defaultJobOptions, type QueueSettings } from './queue-settings.js';

/**
 * Opens the BullMQ queue of a kind with Traceprop's default job options (attempts, exponential
 * backoff, retention). Close it after use; the connection is shared and stays open.
 */
export function openQueue(kind: QueueKind, settings: QueueSettings): Queue {
  return new Queue(queueName(kind, settings.prefix), {
    connection: settings.connection,
    defaultJobOptions: { ...defaultJobOptions, ...settings.jobOptions },
  });
}
