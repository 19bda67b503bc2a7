import { identifyingTargetFields } from '../jobs/job-payloads.js';
import type { InventoryEntry, InventoryProbe } from '../jobs/unlearning/erasure-inventory.js';
import type { QueueConnection } from './create-queue-connection.js';
import { openQueue } from './open-queue.js';

/** Jobs read per page while looking for a request's jobs. */
const pageSize = 500;

/** Job states whose jobs Redis still keeps (retention: `defaultJobOptions`). */
const keptStates = ['waiting', 'active', 'delayed', 'prioritized', 'completed', 'failed'] as const;

/**
 * The erasure-inventory probe of the `unlearning` queue's payloads in Redis: every kept job of the
 * request (by `requestId` in its data) is `present` when its payload still names the rows by a
 * plain business key or subject id, `skeleton` when it names them by file content id and row (or
 * was redacted after its write-back, see `redactedUnlearningPayload`); `not present` when Redis
 * keeps no job of the request.
 */
export function unlearningPayloadProbe(connection: QueueConnection, prefix: string): InventoryProbe {
  return async (requestId) => {
    const queue = openQueue('unlearning', { connection, prefix });
    try {
      const entries: InventoryEntry[] = [];
      for (let start = 0; ; start += pageSize) {
        const jobs = await queue.getJobs([...keptStates], start, start + pageSize - 1, true);
        for (const job of jobs) {
          const data = (job?.data ?? {}) as { requestId?: string; target?: Record<string, unknown> };
          if ((data.requestId ?? job?.id) !== requestId) continue;
          const plain = identifyingTargetFields(data.target);
          entries.push({
            store: 'queue payload',
            owner: 'traceprop',
            location: `Redis ${queue.qualifiedName}:${job?.id}`,
            state: plain.length > 0 ? 'present' : 'skeleton',
            detail:
              plain.length > 0
                ? `the job's payload names the rows by plain ${plain.join(' and ')}`
                : "the job's payload names the rows by file content id and row, or is redacted",
          });
        }
        if (jobs.length < pageSize) break;
      }
      if (entries.length === 0)
        entries.push({
          store: 'queue payload',
          owner: 'traceprop',
          location: `Redis ${queue.qualifiedName}`,
          state: 'not present',
          detail: 'Redis keeps no job of this request (in-process request, or its job was removed)',
        });
      return entries;
    } finally {
      await queue.close();
    }
  };
}
