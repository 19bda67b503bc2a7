import { randomUUID } from 'node:crypto';
import { hasCode } from '../errors.js';
import type { GraphClient } from '../graph/connection.js';
import { commitJobResult } from '../queue/commit-job-result.js';
import { runUnlearning, type UnlearningJobInput, type UnlearningOutcome } from './run-unlearning.js';

/** Attempts of an in-process request when another request superseded its model meanwhile. */
export const inProcessAttempts = 3;

/**
 * Runs an unlearning request in this process (no queue): the same compute and exactly-once
 * write-back as the `unlearning` job, under a JobRun `unlearning-local-<requestId>`. When
 * another request superseded the model while this one computed (`models.supersededMeanwhile`),
 * it computes again from the new version, up to {@link inProcessAttempts} times (the queue
 * retries such jobs with backoff).
 */
export async function runUnlearningInProcess(
  client: GraphClient,
  home: string,
  input: UnlearningJobInput,
  onProgress?: (percent: number, stage: string) => void,
): Promise<UnlearningOutcome> {
  const jobId = `unlearning-local-${input.requestId || randomUUID()}`;
  const deps = {
    client,
    home,
    commit: <T>(write: Parameters<typeof commitJobResult<T>>[2]) =>
      commitJobResult(client, { jobId, kind: 'unlearning' }, write),
    progress: onProgress,
  };
  for (let attempt = 1; ; attempt++) {
    try {
      return await runUnlearning(deps, input);
    } catch (err) {
      if (attempt >= inProcessAttempts || !hasCode(err, 'models.supersededMeanwhile')) throw err;
    }
  }
}
