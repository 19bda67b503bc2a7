import type { ArtifactHome } from '../../artifacts/artifact-home.js';
import type { GraphClient } from '../../graph/connection.js';
import { type PredictionsOutcome, runPredictionsJob } from './run-predictions-job.js';

/**
 * Writes, in this process, the test predictions an erasure request left `pending` (run in
 * process, without a queue: `unlearn --local`; the versions are its outcome's
 * `pendingPredictionModels`): the follow-up `predictions` job of each, one after another, each
 * exactly once (`runPredictionsJob`).
 */
export async function writePendingPredictions(
  client: GraphClient,
  home: ArtifactHome,
  modelIds: readonly string[],
): Promise<PredictionsOutcome[]> {
  const out: PredictionsOutcome[] = [];
  for (const modelId of modelIds) out.push(await runPredictionsJob({ client, home }, modelId));
  return out;
}
