import type { Job } from 'bullmq';
import { openQueue } from './open-queue.js';
import { type QueueKind, queueKinds } from './queue-kind.js';
import type { QueueSettings } from './queue-settings.js';

/** Finished states whose jobs retention may remove; waiting, delayed and active jobs never are. */
const finishedStates = ['completed', 'failed'] as const;
type FinishedState = (typeof finishedStates)[number];

/** Options of {@link purgeExpiredJobs}. */
export interface PurgeExpiredJobsOptions {
  /** Completed jobs finished longer ago than this are removed. */
  completedOlderThanSeconds: number;
  /** Failed jobs finished longer ago than this are removed. */
  failedOlderThanSeconds: number;
  /** Only count what would be removed. */
  dryRun?: boolean;
  /** Queues to purge (default every queue kind). */
  kinds?: readonly QueueKind[];
  /** The clock, epoch milliseconds (default `Date.now()`). */
  now?: number;
}

/** What {@link purgeExpiredJobs} removed (or, with `dryRun`, would remove) from one queue. */
export interface QueuePurge {
  queue: QueueKind;
  completed: number;
  failed: number;
  /** Finished jobs it kept because they are younger than their retention. */
  kept: number;
}

/** Jobs read per page while counting (a dry run reads every finished job's timestamp). */
const pageSize = 500;
/** Jobs removed per `Queue.clean` call. */
const cleanBatch = 1000;

/**
 * Removes completed and failed jobs past their retention from the queues (their payloads and
 * results in Redis; the graph keeps what a job wrote back, so nothing a user needs is lost).
 * Waiting, delayed and active jobs are never touched, and nothing outside Redis is.
 *
 * @example
 * await purgeExpiredJobs(settings, { completedOlderThanSeconds: 86_400, failedOlderThanSeconds: 604_800 });
 */
export async function purgeExpiredJobs(
  settings: QueueSettings,
  options: PurgeExpiredJobsOptions,
): Promise<QueuePurge[]> {
  const now = options.now ?? Date.now();
  const graceOf: Record<FinishedState, number> = {
    completed: options.completedOlderThanSeconds * 1000,
    failed: options.failedOlderThanSeconds * 1000,
  };
  const out: QueuePurge[] = [];
  for (const kind of options.kinds ?? queueKinds) {
    const queue = openQueue(kind, settings);
    try {
      const purge: QueuePurge = { queue: kind, completed: 0, failed: 0, kept: 0 };
      for (const state of finishedStates) {
        const grace = graceOf[state];
        if (options.dryRun) {
          const { expired, kept } = await countExpired(queue.getJobs.bind(queue), state, now - grace);
          purge[state] = expired;
          purge.kept += kept;
          continue;
        }
        for (;;) {
          // `clean` removes jobs whose finishing time is older than `grace` ms before now.
          const removed = await queue.clean(grace, cleanBatch, state);
          purge[state] += removed.length;
          if (removed.length < cleanBatch) break;
        }
        purge.kept += await queue.getJobCountByTypes(state);
      }
      out.push(purge);
    } finally {
      await queue.close();
    }
  }
  return out;
}

type GetJobs = (types: FinishedState[], start: number, end: number, asc: boolean) => Promise<Job[]>;

async function countExpired(
  getJobs: GetJobs,
  state: FinishedState,
  cutoff: number,
): Promise<{ expired: number; kept: number }> {
  let expired = 0;
  let kept = 0;
  for (let start = 0; ; start += pageSize) {
    const page = await getJobs([state], start, start + pageSize - 1, true);
    for (const job of page) {
      if (!job) continue;
      const finished = job.finishedOn ?? job.timestamp;
      if (finished < cutoff) expired++;
      else kept++;
    }
    if (page.length < pageSize) break;
  }
  return { expired, kept };
}
