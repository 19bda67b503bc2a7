import type { Redis } from 'ioredis';
import { ServiceUnavailableError } from '../errors.js';
import { redisAnswers } from '../services/redis-server.js';
import { createQueueConnection } from './create-queue-connection.js';

/**
 * Connects to the Redis of the queues for a CLI command, failing fast with
 * `queue.redisUnavailable` (exit code 3) when it does not answer. Quit the connection after use.
 */
export async function connectQueues(redisUrl: string): Promise<Redis> {
  if (!(await redisAnswers(redisUrl))) {
    throw new ServiceUnavailableError(
      'queue.redisUnavailable',
      `Redis is not reachable at ${redisUrl}: start it (redis-server) or set REDIS_URL to the Redis the workers use.`,
    );
  }
  return createQueueConnection(redisUrl);
}
