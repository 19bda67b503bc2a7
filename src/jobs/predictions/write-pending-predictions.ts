import type { ArtifactHome } from '../../artifacts/artifact-home.js';
import type { GraphClient } from '../../graph/connection.js';
import type { UnlearningOutcome } from '../unlearning/unlearning-outcome.js';
import { type PredictionsOutcome, runPredictionsJob } from './run-predictions-job.js';

/**
 * Writes, in this process, the test predictions an erasure request left `pending` (run in
 * process, without a queue: `unlearn --local`): the follow-up `predictions` job of each new
 * version of the outcome and its lines, one after another, each exactly once
 * (`runPredictionsJob`). Versions whose job was queued are left to the queue.
 */
export async function writePendingPredictions(
  client: GraphClient,
  home: ArtifactHome,
  outcome: UnlearningOutcome,
): Promise<PredictionsOutcome[]> {
  const modelIds = new Set<string>();
  for (const o of [outcome, ...(outcome.lines ?? [])])
    if (o.predictions?.state === 'pending') modelIds.add(o.predictions.modelId);
  const out: PredictionsOutcome[] = [];
  for (const modelId of modelIds) out.push(await runPredictionsJob({ client, home }, modelId));
  return out;
}
