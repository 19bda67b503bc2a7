import { UsageError } from '../errors.js';
import type { QueueConnection } from './create-queue-connection.js';

/**
 * BullMQ's key prefix for the queues of a deployment. On one Redis server: BullMQ's own `bull`
 * (keys `bull:<queue>:…`, as before clusters were supported). On a Redis Cluster every key a
 * BullMQ script touches must lie in one hash slot, so the prefix is a hash tag: `{traceprop}`, or
 * `{traceprop:<queuePrefix>}` when the deployment has a queue prefix (keys
 * `{traceprop:<queuePrefix>}:<queue>:…`); all queues of one deployment share that slot, and
 * deployments with different prefixes spread over the masters.
 * Throws `config.badQueuePrefix` when a cluster's queue prefix holds `{` or `}`.
 */
export function queueKeyPrefix(connection: QueueConnection, queuePrefix = ''): string {
  if (!connection.isCluster) return 'bull';
  if (/[{}]/.test(queuePrefix))
    throw new UsageError(
      'config.badQueuePrefix',
      `the queue prefix "${queuePrefix}" holds { or }, which would break the Redis Cluster hash tag of its keys: use letters, digits, - or _`,
    );
  return queuePrefix ? `{traceprop:${queuePrefix}}` : '{traceprop}';
}
