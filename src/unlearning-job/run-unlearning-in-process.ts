import { randomUUID } from 'node:crypto';
import type { GraphClient } from '../graph/connection.js';
import { commitJobResult } from '../queue/commit-job-result.js';
import { runUnlearning, type UnlearningJobInput, type UnlearningOutcome } from './run-unlearning.js';

/**
 * Runs an unlearning request in this process (no queue): the same compute and exactly-once
 * write-back as the `unlearning` job, under a JobRun `unlearning-local-<requestId>`.
 */
export function runUnlearningInProcess(
  client: GraphClient,
  home: string,
  input: UnlearningJobInput,
  onProgress?: (percent: number, stage: string) => void,
): Promise<UnlearningOutcome> {
  const jobId = `unlearning-local-${input.requestId || randomUUID()}`;
  return runUnlearning(
    {
      client,
      home,
      commit: (write) => commitJobResult(client, { jobId, kind: 'unlearning' }, write),
      progress: onProgress,
    },
    input,
  );
}
