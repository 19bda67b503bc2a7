import type { Job, JobState } from 'bullmq';

/** A job as `jobs list|show` and `--wait` report it (JSON-ready). */
export interface JobSummary {
  id: string;
  queue: string;
  name: string;
  state: JobState | 'unknown';
  progress: { percent: number; stage?: string };
  attemptsMade: number;
  attempts: number;
  failedReason?: string;
  data: unknown;
  returnvalue?: unknown;
  createdAt: string;
  processedAt?: string;
  finishedAt?: string;
}

/**
 * Summarises a BullMQ job; progress numbers and `{percent, stage}` objects are both understood.
 * Pass `state` when it was read before the job (see {@link waitForJob}): reading the state after
 * the job's fields could pair a final state with the fields of an earlier moment.
 */
export async function describeJob(job: Job, state?: JobState | 'unknown'): Promise<JobSummary> {
  state ??= await job.getState();
  return {
    id: String(job.id),
    queue: job.queueName,
    name: job.name,
    state,
    progress: progressOf(job.progress),
    attemptsMade: job.attemptsMade,
    attempts: job.opts.attempts ?? 1,
    ...(job.failedReason ? { failedReason: job.failedReason } : {}),
    data: job.data,
    ...(job.returnvalue !== undefined && job.returnvalue !== null ? { returnvalue: job.returnvalue } : {}),
    createdAt: new Date(job.timestamp).toISOString(),
    ...(job.processedOn ? { processedAt: new Date(job.processedOn).toISOString() } : {}),
    ...(job.finishedOn ? { finishedAt: new Date(job.finishedOn).toISOString() } : {}),
  };
}

/** Reads BullMQ progress (a number or Traceprop's `{percent, stage}`) as `{percent, stage}`. */
export function progressOf(progress: unknown): { percent: number; stage?: string } {
  if (typeof progress === 'number') return { percent: progress };
  if (
    progress &&
    typeof progress === 'object' &&
    typeof (progress as { percent?: unknown }).percent === 'number'
  ) {
    const { percent, stage } = progress as { percent: number; stage?: unknown };
    return typeof stage === 'string' ? { percent, stage } : { percent };
  }
  return { percent: 0 };
}
