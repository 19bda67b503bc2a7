import type { DefaultJobOptions } from 'bullmq';
import { defaults } from '../defaults.js';
import type { QueueConnection } from './create-queue-connection.js';

/**
 * Where the queues live: an ioredis connection to one Redis or a Redis Cluster (BullMQ-ready, see
 * {@link createQueueConnection}),
 * the queue name prefix, and optional overrides of the default job options.
 */
export interface QueueSettings {
  connection: QueueConnection;
  /**
   * Prefix of the queue names. Default empty. The Redis keys keep BullMQ's `bull:` on one server and
   * get a hash tag on a cluster (see `queueKeyPrefix`).
   */
  prefix?: string;
  /** Overrides of {@link defaultJobOptions} (attempts, backoff, retention). */
  jobOptions?: DefaultJobOptions;
}

/**
 * Default options of every job: 5 attempts with exponential backoff from 1 s (1, 2, 4, 8 s);
 * completed jobs kept for a day (at most 1,000), failed ones for a week (at most 5,000).
 */
export const defaultJobOptions: DefaultJobOptions = {
  attempts: defaults.jobAttempts,
  backoff: { type: 'exponential', delay: defaults.jobBackoffMs },
  removeOnComplete: { age: defaults.keepCompletedJobSeconds, count: defaults.keepCompletedJobs },
  removeOnFail: { age: defaults.keepFailedJobSeconds, count: defaults.keepFailedJobs },
};
