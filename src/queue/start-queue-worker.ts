import { Worker } from 'bullmq';
import { childEnvironment } from '../config.js';
import { defaults } from '../defaults.js';
import type { GraphConnectionConfig } from '../graph/connection.js';
import { processorFile } from './processor-file.js';
import { queueKeyPrefix } from './queue-key-prefix.js';
import { type QueueKind, queueName } from './queue-kind.js';
import type { QueueSettings } from './queue-settings.js';

/** How to run the worker of one kind. */
export interface QueueWorkerConfig extends QueueSettings {
  kind: QueueKind;
  /** Jobs processed at once (each in its own forked child). Default 1. */
  concurrency?: number;
  /** Processor file (compiled JS); default the kind's (see `processorFile`). Tests pass fixtures. */
  processorFile?: string;
  /** The Neo4j the forked children write to (passed through their environment). */
  graph: GraphConnectionConfig;
  /** TRACEPROP_HOME of the children (model artifacts). */
  home?: string;
  /**
   * The Redis URL of `connection`, passed to the children (`REDIS_URL`) for the jobs they queue
   * themselves (`childQueue`); default: the children inherit this process's `REDIS_URL`.
   */
  redisUrl?: string;
  /** Extra environment of the children. */
  env?: Record<string, string>;
  /** Lock duration in ms (default 30 s; the parent renews it while the child computes). */
  lockDuration?: number;
  /** How often stalled jobs (lost locks, dead workers) are looked for, in ms. Default 30 s. */
  stalledInterval?: number;
  /** Start fetching jobs at once (default true). */
  autorun?: boolean;
}

/**
 * Starts a BullMQ worker whose processor runs in forked children (sandboxed), so CPU-heavy
 * attribution never starves the lock renewal of the parent. Close it with `worker.close()`
 * (waits for active jobs) or `worker.close(true)` (does not).
 *
 * @example
 * const worker = startQueueWorker({ kind: 'attribution', connection, graph: { uri, user, password, database } });
 */
export function startQueueWorker(config: QueueWorkerConfig): Worker {
  const env = childEnvironment({
    NEO4J_URI: config.graph.uri,
    NEO4J_USER: config.graph.user,
    NEO4J_PASSWORD: config.graph.password,
    NEO4J_DATABASE: config.graph.database,
    ...(config.home ? { TRACEPROP_HOME: config.home } : {}),
    ...(config.redisUrl ? { REDIS_URL: config.redisUrl } : {}),
    // A child that queues a job (`childQueue`) uses the worker's queue names.
    TRACEPROP_QUEUE_PREFIX: config.prefix ?? '',
    ...config.env,
  });
  return new Worker(
    queueName(config.kind, config.prefix),
    config.processorFile ?? processorFile(config.kind),
    {
      connection: config.connection,
      prefix: queueKeyPrefix(config.connection, config.prefix),
      concurrency: config.concurrency ?? defaults.workerConcurrency,
      autorun: config.autorun ?? true,
      useWorkerThreads: false,
      workerForkOptions: { env },
      ...(config.lockDuration ? { lockDuration: config.lockDuration } : {}),
      ...(config.stalledInterval ? { stalledInterval: config.stalledInterval } : {}),
    },
  );
}
