import type { Queue } from 'bullmq';
import { SingleBar } from 'cli-progress';
import type { JobSummary } from '../queue/describe-job.js';
import { waitForJob } from '../queue/wait-for-job.js';

/**
 * Waits for a job, drawing a cli-progress bar on stderr (when it is a terminal) with the stage
 * and attempt; returns the final summary. Shared by `jobs watch` and `attribute --wait`.
 */
export async function watchJob(queue: Queue, id: string): Promise<JobSummary> {
  const bar = process.stderr.isTTY
    ? new SingleBar({
        stream: process.stderr,
        format: '{bar} {percentage}% | {stage} | {state} | attempt {attempt}',
        hideCursor: true,
        clearOnComplete: false,
      })
    : undefined;
  bar?.start(100, 0, { stage: 'queued', state: 'waiting', attempt: 1 });
  try {
    return await waitForJob(queue, id, {
      onUpdate: (s) => {
        const payload = {
          stage: s.progress.stage ?? '-',
          state: s.state,
          attempt: s.attemptsMade + (s.state === 'completed' ? 0 : 1),
        };
        if (bar) bar.update(Math.round(s.progress.percent), payload);
        else
          process.stderr.write(
            `${id}: ${s.state} ${Math.round(s.progress.percent)}% ${payload.stage} (attempt ${payload.attempt})\n`,
          );
      },
    });
  } finally {
    bar?.stop();
  }
}
