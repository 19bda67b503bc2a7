import { setTimeout as sleep } from 'node:timers/promises';
import type { Queue } from 'bullmq';
import { defaults } from '../defaults.js';
import { NotFoundError, TracepropError } from '../errors.js';
import { describeJob, type JobSummary } from './describe-job.js';

/** Options of {@link waitForJob}. */
export interface WaitForJobOptions {
  /** Called whenever progress, state or attempt changes. */
  onUpdate?: (summary: JobSummary) => void;
  /** Give up after this many ms (throws `queue.waitTimeout`). Default: wait forever. */
  timeoutMs?: number;
  /** Polling interval in ms. Default 200. */
  intervalMs?: number;
}

/**
 * Polls a job until it is `completed` or `failed` (after its last attempt) and returns its summary.
 * Polling (not QueueEvents) keeps working across Redis restarts and needs no extra connection.
 */
export async function waitForJob(
  queue: Queue,
  jobId: string,
  options: WaitForJobOptions = {},
): Promise<JobSummary> {
  const deadline =
    options.timeoutMs === undefined ? Number.POSITIVE_INFINITY : Date.now() + options.timeoutMs;
  let last = '';
  for (;;) {
    const state = await queue.getJobState(jobId);
    const job = await queue.getJob(jobId);
    if (!job)
      throw new NotFoundError(
        'queue.jobNotFound',
        `job ${jobId} is not in queue ${queue.name} (never submitted, or removed by retention)`,
      );
    const summary = await describeJob(job, state);
    const key = `${summary.state}|${summary.progress.percent}|${summary.progress.stage}|${summary.attemptsMade}`;
    if (key !== last) {
      last = key;
      options.onUpdate?.(summary);
    }
    if (summary.state === 'completed' || summary.state === 'failed') return summary;
    if (Date.now() > deadline) {
      throw new TracepropError(
        'queue.waitTimeout',
        `job ${jobId} is still ${summary.state} after ${options.timeoutMs} ms`,
      );
    }
    await sleep(options.intervalMs ?? defaults.waitForJobPollMs);
  }
}
