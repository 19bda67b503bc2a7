import { fileURLToPath } from 'node:url';
import type { DefaultJobOptions, Job, Queue, Worker } from 'bullmq';
import type { GraphConnectionConfig } from '../../src/graph/connection.js';
import type { QueueConnection } from '../../src/queue/create-queue-connection.js';
import { describeJob, type JobSummary } from '../../src/queue/describe-job.js';
import { jobIdFor } from '../../src/queue/job-id.js';
import { openQueue } from '../../src/queue/open-queue.js';
import type { QueueKind } from '../../src/queue/queue-kind.js';
import { type QueueWorkerConfig, startQueueWorker } from '../../src/queue/start-queue-worker.js';
import { newRedisConnection, obliterateQueueKeys, trackBullmq, uniqueQueueName } from '../support/queue.js';
import type { TestRedisTarget } from '../support/redis-targets.js';
import { testServices } from '../support/services.js';

/** The test-only edge-writer processor (compiled). */
export const edgeWriterFile = fileURLToPath(new URL('./fixtures/edge-writer.js', import.meta.url));

/** Fast retries for tests: 4 attempts, exponential backoff from 200 ms. */
const fastRetries: DefaultJobOptions = { attempts: 4, backoff: { type: 'exponential', delay: 200 } };

/** The graph connection of this test run, as workers need it. */
function testGraphConfig(): GraphConnectionConfig {
  const { config } = testServices();
  return {
    uri: config.neo4jUri,
    user: config.neo4jUser,
    password: config.neo4jPassword,
    database: config.neo4jDatabase,
  };
}

/** A queue of one kind under a unique prefix, workers on it, and cleanup of all of it. */
export interface QueueRig {
  kind: QueueKind;
  prefix: string;
  connection: QueueConnection;
  queue: Queue;
  workers: Worker[];
  /** Adds a job for the edge-writer fixture processor, with its deterministic id. */
  addFixture(data: Record<string, unknown>): Promise<string>;
  /** Starts a (tracked) sandboxed worker on the rig's queue. */
  startWorker(options?: Partial<QueueWorkerConfig>): Worker;
  /** Closes workers and queue, deletes the queue's keys, closes the connection. */
  cleanup(): Promise<void>;
}

/**
 * Opens a {@link QueueRig} with a unique queue-name prefix, on this run's Redis or on `connection`
 * (its REDIS_URL `redisUrl` is then passed to the workers' children).
 */
export function openRig(
  kind: QueueKind,
  jobOptions: DefaultJobOptions = fastRetries,
  connection: QueueConnection = newRedisConnection(),
  redisUrl?: string,
): QueueRig {
  const prefix = `${uniqueQueueName()}-`;
  const queue = trackBullmq('queue', openQueue(kind, { connection, prefix, jobOptions }));
  queue.on('error', () => {});
  const rig: QueueRig = {
    kind,
    prefix,
    connection,
    queue,
    workers: [],
    addFixture: async (data) => {
      const jobId = jobIdFor('fixture', data);
      await queue.add('fixture', data, { jobId });
      return jobId;
    },
    startWorker: (options = {}) => {
      const worker = trackBullmq(
        'worker',
        startQueueWorker({
          kind,
          connection,
          prefix,
          graph: testGraphConfig(),
          home: testServices().home,
          ...(redisUrl ? { redisUrl } : {}),
          ...options,
        }),
      );
      worker.on('error', () => {});
      rig.workers.push(worker);
      return worker;
    },
    cleanup: async () => {
      for (const worker of rig.workers) await worker.close(true);
      await queue.close();
      await obliterateQueueKeys(connection, queue.name, queue.opts.prefix);
      if (connection.status !== 'end') {
        const ended = new Promise((resolve) => connection.once('end', resolve));
        await connection.quit();
        await ended;
      }
    },
  };
  return rig;
}

/** A {@link QueueRig} on a Redis target of `describeOnRedisTargets` (one Redis or a cluster). */
export function openRigOn(
  target: TestRedisTarget,
  kind: QueueKind,
  jobOptions: DefaultJobOptions = fastRetries,
): QueueRig {
  return openRig(kind, jobOptions, newRedisConnection(target.url), target.url);
}

/** Polls until the job is completed or failed (after its last attempt). */
export async function settled(queue: Queue, jobId: string, timeoutMs = 60_000): Promise<JobSummary> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const state = await queue.getJobState(jobId);
    const job: Job | undefined = await queue.getJob(jobId);
    if (job) {
      const summary = await describeJob(job, state);
      if (summary.state === 'completed' || summary.state === 'failed') return summary;
    }
    if (Date.now() > deadline) throw new Error(`job ${jobId} did not settle within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
