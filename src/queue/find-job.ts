import type { Job, Queue } from 'bullmq';
import { NotFoundError } from '../errors.js';
import { openQueue } from './open-queue.js';
import { type QueueKind, queueKinds } from './queue-kind.js';
import type { QueueSettings } from './queue-settings.js';

/** A job and the (open) queue it was found in; close the queue after use. */
export interface FoundJob {
  job: Job;
  queue: Queue;
  kind: QueueKind;
}

/**
 * Finds a job by id in the queues of every kind (ids start with their kind, so that queue is
 * tried first). Throws `queue.jobNotFound` when no queue has it.
 */
export async function findJob(jobId: string, settings: QueueSettings): Promise<FoundJob> {
  const kinds = [...queueKinds].sort(
    (a, b) => Number(jobId.startsWith(`${b}-`)) - Number(jobId.startsWith(`${a}-`)),
  );
  for (const kind of kinds) {
    const queue = openQueue(kind, settings);
    const job = await queue.getJob(jobId);
    if (job) return { job, queue, kind };
    await queue.close();
  }
  throw new NotFoundError(
    'queue.jobNotFound',
    `no job ${jobId} in the ${queueKinds.join(', ')} queues (never submitted, or removed by retention)`,
  );
}
