import { type GraphClient, withSession } from '../../graph/connection.js';
import { cypherText } from '../../graph/cypher-library.js';
import { runReadQuery } from '../../graph/read-query.js';

/**
 * The attribution job a request owes one of its new model versions (an `attribution` payload):
 * the new version, the samples whose predictions on its line lost their attribution to the
 * request, and the tag `reattribute:<requestId>` that makes it a job of its own.
 */
interface ReattributionPayload {
  modelId: string;
  samples: string[];
  requestId: string;
}

/**
 * Queues an attribution job and answers its (deterministic) job id; the same payload queued
 * twice is one job. The host provides it (`submitJob` on the `attribution` queue): the jobs
 * layer does not import the queue.
 */
export type EnqueueAttribution = (payload: ReattributionPayload) => Promise<string>;

/** The `requestId` tag of the attribution jobs a request queues: `reattribute:<requestId>`. */
export function reattributionTag(requestId: string): string {
  return `reattribute:${requestId}`;
}

/**
 * `--reattribute`: queues the attribution jobs an erasure request owes and records their ids on
 * the request (`reattributionJobs`). The plans are what each line's exactly-once write-back kept
 * on its PRODUCED edge (`reattributeSamples`, `cypher/write-back/unlearning-plan-reattribution`):
 * one job per new version with samples to explain, none for an empty plan. Answers the job ids of
 * every line planned so far (undefined when the request planned none: no `--reattribute`).
 *
 * Where it runs, and why: in the unlearning job itself, after a line's write-back commits and
 * before the job returns (also when a redelivered job answers from its completed record). A
 * crash between the commit and the enqueue makes BullMQ redeliver the job, which queues the same
 * jobs again: the payload is read from the committed plan, so its job id is the same, and
 * `submitJob` adds nothing for an id it has. The worker's `completed` event (the parent process)
 * would be lost with a crash after the job finished; the submitter (`unlearn` without `--wait`)
 * does not wait. The queue handle comes from the host ({@link EnqueueAttribution}).
 */
export async function enqueueReattributions(
  client: GraphClient,
  requestId: string,
  enqueue: EnqueueAttribution,
): Promise<string[] | undefined> {
  const plans = await runReadQuery(client, cypherText('jobs/unlearning', 'reattribution-plans'), {
    id: requestId,
  });
  if (plans.length === 0) return undefined;
  const jobIds: string[] = [];
  for (const plan of plans) {
    const samples = plan.samples as string[];
    if (samples.length === 0) continue;
    jobIds.push(
      await enqueue({ modelId: String(plan.modelId), samples, requestId: reattributionTag(requestId) }),
    );
  }
  await withSession(client, (s) =>
    s.executeWrite((tx) =>
      tx.run(cypherText('write-back', 'unlearning-record-reattribution'), { id: requestId, jobIds }),
    ),
  );
  return jobIds;
}
