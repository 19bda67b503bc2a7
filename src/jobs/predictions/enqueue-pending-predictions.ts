import type { GraphClient } from '../../graph/connection.js';
import { cypherText } from '../../graph/cypher-library.js';
import { runReadQuery } from '../../graph/read-query.js';

/**
 * Queues the `predictions` job of a model version and answers its (deterministic) job id; the
 * same version queued twice is one job. The host provides it (`submitJob` on the `predictions`
 * queue): the jobs layer does not import the queue.
 */
export type EnqueuePredictions = (modelId: string) => Promise<string>;

/**
 * The sweep of the follow-up `predictions` jobs: queues one for every model version whose
 * predictions are still `pending` (`cypher/jobs/predictions/pending-predictions`). An erasure
 * queues its versions' jobs itself right after each line's commit (and again when the job is
 * redelivered); a worker runs this sweep when it starts, for an enqueue lost with its process
 * (e.g. a crash between the commit and the enqueue of a request that is not retried, or a Redis
 * that lost the job). Queuing a version whose job exists adds nothing. Answers the job ids.
 */
export async function enqueuePendingPredictions(
  client: GraphClient,
  enqueue: EnqueuePredictions,
): Promise<string[]> {
  const rows = await runReadQuery(client, cypherText('jobs/predictions', 'pending-predictions'));
  const jobIds: string[] = [];
  for (const row of rows) jobIds.push(await enqueue(String(row.modelId)));
  return jobIds;
}
