import { ServiceUnavailableError } from '../errors.js';
import { redisAnswers } from '../services/redis-server.js';
import { parseRedisTarget } from '../services/redis-target.js';
import { createQueueConnection, type QueueConnection } from './create-queue-connection.js';

/**
 * Connects to the Redis (one server or a Redis Cluster) of the queues for a CLI command, failing
 * fast with `queue.redisUnavailable` (exit code 3) when it does not answer (a cluster: when no seed
 * node answers or the cluster state is not ok). Quit the connection after use.
 */
export async function connectQueues(redisUrl: string): Promise<QueueConnection> {
  const target = parseRedisTarget(redisUrl);
  if (!(await redisAnswers(target))) {
    throw new ServiceUnavailableError(
      'queue.redisUnavailable',
      target.kind === 'cluster'
        ? `The Redis Cluster at ${target.display} is not reachable or its state is not ok (CLUSTER INFO): start it, or set REDIS_URL to the cluster the workers use.`
        : `Redis is not reachable at ${target.display}: start it (redis-server) or set REDIS_URL to the Redis the workers use.`,
    );
  }
  return createQueueConnection(target);
}
