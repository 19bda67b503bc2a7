import { createHash } from 'node:crypto';
import { TracepropError } from '../errors.js';
import type { QueueConnection } from '../queue/create-queue-connection.js';

/** What a client-supplied request id was first used for. */
interface Claim {
  /** sha256 of the request's canonical body. */
  digest: string;
  /** The job it queued, once queued. */
  jobId?: string;
}

/** The outcome of {@link claimRequestId}. */
export type RequestIdClaim =
  | { first: true; done(jobId: string): Promise<void>; release(): Promise<void> }
  | { first: false; jobId?: string };

/**
 * Makes `POST /api/erasures` and `POST /api/attributions` idempotent on a client-supplied request
 * id: the first call with an id claims it in Redis (`SET … NX`, kept `seconds`) with a digest of
 * its body; a repeat with the same body is answered with the first call's job (no second
 * request), one with another body is refused with 409 (`serve.requestIdConflict`). `done` notes
 * the job; `release` frees the id when the first call failed, so the client may retry it.
 */
export async function claimRequestId(
  redis: QueueConnection,
  scope: string,
  requestId: string,
  body: unknown,
  seconds: number,
): Promise<RequestIdClaim> {
  const key = `traceprop:serve:request:${scope}:${createHash('sha256').update(requestId).digest('hex')}`;
  const digest = createHash('sha256').update(JSON.stringify(body)).digest('hex');
  const claimed = await redis.set(key, JSON.stringify({ digest } satisfies Claim), 'EX', seconds, 'NX');
  if (claimed === 'OK') {
    return {
      first: true,
      done: async (jobId) => {
        await redis.set(key, JSON.stringify({ digest, jobId } satisfies Claim), 'EX', seconds);
      },
      release: async () => {
        await redis.del(key);
      },
    };
  }
  const earlier = JSON.parse((await redis.get(key)) ?? '{}') as Partial<Claim>;
  if (earlier.digest !== undefined && earlier.digest !== digest) {
    throw new TracepropError(
      'serve.requestIdConflict',
      `the request id ${JSON.stringify(requestId)} was already used for another ${scope} request; use a new id for a new request`,
    );
  }
  return { first: false, ...(earlier.jobId ? { jobId: earlier.jobId } : {}) };
}
