import { randomUUID } from 'node:crypto';
import type { ArtifactHome } from '../../artifacts/artifact-home.js';
import { defaults } from '../../defaults.js';
import type { ErasureSalt } from '../../erasure/erasure-salt.js';
import { hasCode } from '../../errors.js';
import type { SigningKey } from '../../evidence/signing-key.js';
import { commitJobResult } from '../../graph/commit-job-result.js';
import type { GraphClient } from '../../graph/connection.js';
import type { EnqueueAttribution } from './enqueue-reattribution.js';
import { runUnlearningJob, type UnlearningJobInput } from './run-unlearning-job.js';
import type { UnlearningOutcome } from './unlearning-outcome.js';

/** Attempts of an in-process request when another request superseded its model meanwhile. */
const inProcessAttempts = defaults.unlearningInProcessAttempts;

/**
 * Runs an unlearning request in this process (no queue): the same compute and exactly-once
 * write-back as the `unlearning` job, under a JobRun `unlearning-local-<requestId>`. When
 * another request superseded the model while this one computed (`models.supersededMeanwhile`),
 * it computes again from the new version, up to {@link inProcessAttempts} times (the queue
 * retries such jobs with backoff). `erasureSalt` (the deployment's, from its configuration)
 * defaults to the salt kept under `home`. `enqueueAttribution` queues the attribution jobs of
 * `input.reattribute` (the caller's queue; without it none is queued). `signingKey` signs each
 * line's `erasure` statement (without it nothing is signed).
 */
export async function runUnlearningInProcess(
  client: GraphClient,
  home: ArtifactHome,
  input: UnlearningJobInput,
  onProgress?: (percent: number, stage: string) => void,
  erasureSalt?: ErasureSalt,
  enqueueAttribution?: EnqueueAttribution,
  signingKey?: SigningKey,
): Promise<UnlearningOutcome> {
  const jobId = `unlearning-local-${input.requestId || randomUUID()}`;
  const deps = {
    client,
    home,
    commit: <T>(write: Parameters<typeof commitJobResult<T>>[2]) =>
      commitJobResult(client, { jobId, kind: 'unlearning' }, write),
    commitLine:
      (line: string) =>
      <T>(write: Parameters<typeof commitJobResult<T>>[2]) =>
        commitJobResult(client, { jobId: `${jobId}#${line}`, kind: 'unlearning' }, write),
    progress: onProgress,
    ...(erasureSalt ? { erasureSalt } : {}),
    ...(enqueueAttribution ? { enqueueAttribution } : {}),
    ...(signingKey ? { signingKey } : {}),
  };
  for (let attempt = 1; ; attempt++) {
    try {
      return await runUnlearningJob(deps, input);
    } catch (err) {
      if (attempt >= inProcessAttempts || !hasCode(err, 'models.supersededMeanwhile')) throw err;
    }
  }
}
