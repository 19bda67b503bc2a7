import type { Job, JobState, Queue } from 'bullmq';
import { jobIdFor } from './job-id.js';
import { openQueue } from './open-queue.js';
import { parsePayload } from './parse-payload.js';
import type { JobPayload, JobPayloadInput } from './payload-schemas.js';
import type { QueueKind } from './queue-kind.js';
import type { QueueSettings } from './queue-settings.js';

/** Options of {@link submitJob}: the queue settings, or an open queue of the kind to reuse. */
export interface SubmitJobOptions extends QueueSettings {
  queue?: Queue;
  /**
   * When the job with this id exists and has failed for good, retry it (BullMQ `retry('failed')`)
   * instead of answering the failed job. For follow-ups whose work the graph still lists as
   * owed (e.g. a version's pending predictions), so that a sweep can recover them.
   */
  retryFailed?: boolean;
}

/** What {@link submitJob} did. */
export interface SubmittedJob<K extends QueueKind = QueueKind> {
  jobId: string;
  kind: K;
  queueName: string;
  /** False when the same request was already queued (or kept after it finished): no new job. */
  created: boolean;
  /** True when a failed job was put back to waiting (`retryFailed`). */
  retried: boolean;
  state: JobState | 'unknown';
  payload: JobPayload<K>;
}

/**
 * Validates a payload (throws `queue.badPayload`), derives its deterministic job id and adds the
 * job unless one with that id exists. Submitting the same request twice gives one job.
 *
 * @example
 * const { jobId, created } = await submitJob('attribution', { modelId: 'm1', top: 5 }, { connection });
 */
export async function submitJob<K extends QueueKind>(
  kind: K,
  payload: JobPayloadInput<K>,
  options: SubmitJobOptions,
): Promise<SubmittedJob<K>> {
  const normalised = parsePayload(kind, payload) as JobPayload<K>;
  const jobId = jobIdFor(kind, normalised);
  const queue = options.queue ?? openQueue(kind, options);
  try {
    const existing = await queue.getJob(jobId);
    const job: Job = existing ?? (await queue.add(kind, normalised, { jobId }));
    let state = await job.getState();
    let retried = false;
    if (existing && options.retryFailed && state === 'failed') {
      await job.retry('failed');
      retried = true;
      state = await job.getState();
    }
    return { jobId, kind, queueName: queue.name, created: !existing, retried, state, payload: normalised };
  } finally {
    if (!options.queue) await queue.close();
  }
}
