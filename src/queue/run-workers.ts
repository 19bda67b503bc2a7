import { setTimeout as sleep } from 'node:timers/promises';
import type { Worker } from 'bullmq';
import type { Logger } from '../util/logger.js';
import { progressOf } from './describe-job.js';
import type { QueueKind } from './queue-kind.js';
import { type QueueWorkerConfig, startQueueWorker } from './start-queue-worker.js';

/** Workers of several kinds, stopped together. */
export interface WorkerGroup {
  workers: Map<QueueKind, Worker>;
  /**
   * Graceful stop: waits for active jobs up to `deadlineMs`, then force-closes (their jobs are
   * picked up again by the stalled-job check). Returns true when the stop was clean.
   */
  stop(deadlineMs: number): Promise<boolean>;
}

/** Starts one sandboxed worker per kind and logs job events (JSON lines on stderr). */
export function runWorkers(
  kinds: QueueKind[],
  base: Omit<QueueWorkerConfig, 'kind'>,
  logger: Logger,
): WorkerGroup {
  const workers = new Map<QueueKind, Worker>();
  for (const kind of kinds) {
    const worker = startQueueWorker({ ...base, kind });
    worker.on('active', (job) =>
      logger.info({ queue: worker.name, jobId: job.id, attempt: job.attemptsMade + 1 }, 'job started'),
    );
    worker.on('progress', (job, progress) =>
      logger.debug({ jobId: job.id, ...progressOf(progress) }, 'job progress'),
    );
    worker.on('completed', (job) =>
      logger.info({ queue: worker.name, jobId: job.id, result: job.returnvalue }, 'job completed'),
    );
    worker.on('failed', (job, err) =>
      logger.warn(
        {
          queue: worker.name,
          jobId: job?.id,
          attemptsMade: job?.attemptsMade,
          final: job
            ? job.attemptsMade >= (job.opts.attempts ?? 1) || err.name === 'UnrecoverableError'
            : undefined,
          reason: err.message,
        },
        'job failed',
      ),
    );
    worker.on('error', (err) => logger.error({ queue: worker.name, err: err.message }, 'worker error'));
    workers.set(kind, worker);
  }
  return {
    workers,
    stop: async (deadlineMs) => {
      const graceful = Promise.all([...workers.values()].map((w) => w.close())).then(() => true);
      // The deadline timer is cancelled once the close wins, so a clean stop exits at once.
      const deadline = new AbortController();
      const timedOut = sleep(deadlineMs, false, { signal: deadline.signal }).catch(() => false);
      const clean = await Promise.race([graceful, timedOut]);
      deadline.abort();
      if (!clean) await Promise.all([...workers.values()].map((w) => w.close(true)));
      return clean;
    },
  };
}
