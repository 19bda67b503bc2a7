import { UnrecoverableError } from 'bullmq';
import { TracepropError } from '../errors.js';

/**
 * Maps an error thrown by a job handler to what BullMQ needs: permanent problems (bad payloads,
 * unknown models, Cypher client errors) become {@link UnrecoverableError} so the job fails at
 * once; everything else (Neo4j unreachable, transient errors, crashes) stays retriable. The
 * message keeps the Traceprop code, e.g. `[queue.badPayload] bad attribution payload: …`.
 */
export function toJobError(err: unknown): Error {
  if (err instanceof UnrecoverableError) return err;
  if (err instanceof TracepropError) {
    const message = `[${err.code}] ${err.message}`;
    if (err.retriable) return withCause(new Error(message), err);
    return withCause(new UnrecoverableError(message), err);
  }
  const code = (err as { code?: unknown })?.code;
  const retriable = (err as { retriable?: unknown })?.retriable;
  if (typeof code === 'string' && code.startsWith('Neo.ClientError.') && retriable !== true) {
    return new UnrecoverableError(`[${code}] ${(err as Error).message}`);
  }
  return err instanceof Error ? err : new Error(String(err));
}

function withCause<E extends Error>(error: E, cause: TracepropError): E {
  // The sandbox sends own properties to the parent: keep the code, drop the (unserialisable) cause.
  Object.assign(error, { code: cause.code });
  return error;
}
