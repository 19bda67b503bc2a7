import { type GraphClient, withSession } from '../graph/connection.js';
import type { PreparedUnlearningRequest } from '../jobs/unlearning/prepare-unlearning-request.js';
import { markRequestFailed, recordUnlearningRequest } from '../jobs/unlearning/unlearning-request-store.js';
import type { QueueConnection } from '../queue/create-queue-connection.js';
import { type SubmittedJob, submitJob } from '../queue/submit-job.js';

/**
 * Records a prepared erasure request (`UnlearningRequest`, status `queued`) and puts its job on
 * the unlearning queue; when the job cannot be queued the request is marked `failed` with the
 * error, so no request waits for a job that does not exist. The one way the CLI's `unlearn` and
 * the workbench's `POST /api/erasures` queue an erasure. Check that Redis answers first
 * (`connectQueues`), so a Redis outage records nothing.
 */
export async function queueUnlearningRequest(
  client: GraphClient,
  queues: { connection: QueueConnection; prefix: string },
  prepared: PreparedUnlearningRequest,
): Promise<SubmittedJob<'unlearning'>> {
  await recordUnlearningRequest(client, prepared.record);
  try {
    return await submitJob('unlearning', prepared.input, queues);
  } catch (err) {
    await withSession(client, (s) =>
      s.executeWrite((tx) => markRequestFailed(tx, prepared.record.id, prepared.record.mode, err)),
    );
    throw err;
  }
}
