import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { trainRunModel } from '../../src/jobs/train/run-train-job.js';
import { recordUnlearningRequest } from '../../src/jobs/unlearning/unlearning-request-store.js';
import { openQueue } from '../../src/queue/open-queue.js';
import { startQueueWorker } from '../../src/queue/start-queue-worker.js';
import { submitJob } from '../../src/queue/submit-job.js';
import { waitForJob } from '../../src/queue/wait-for-job.js';
import { ingestCreditRisk } from '../models/ingested-run.js';
import { useCleanGraph, withTestSession } from '../support/graph.js';
import { newRedisConnection, obliterateQueueKeys, trackBullmq, uniqueQueueName } from '../support/queue.js';
import { testServices } from '../support/services.js';

const processor = fileURLToPath(new URL('../../src/queue/processors/unlearning.js', import.meta.url));

describe('the unlearning queue (sandboxed processor)', () => {
  const graph = useCleanGraph();

  it('runs a request in a forked worker and commits it exactly once', async function () {
    this.timeout(180_000);
    const { home, config } = testServices();
    const run = await ingestCreditRisk(graph(), home, 300, 41);
    const model = await trainRunModel({ client: graph(), home, runId: run.runId, lambda: 1e-2 });
    const connection = newRedisConnection();
    const prefix = `${uniqueQueueName('ul')}-`;
    const worker = trackBullmq(
      'worker',
      startQueueWorker({
        kind: 'unlearning',
        prefix,
        connection,
        processorFile: processor,
        home,
        graph: {
          uri: config.neo4jUri,
          user: config.neo4jUser,
          password: config.neo4jPassword,
          database: config.neo4jDatabase,
        },
      }),
    );
    const queue = trackBullmq('queue', openQueue('unlearning', { connection, prefix }));
    try {
      const requestId = 'queue-request-1';
      await recordUnlearningRequest(graph(), { id: requestId, mode: 'drop', target: {}, verify: true });
      const submitted = await submitJob(
        'unlearning',
        { target: { file: 'application.csv', rows: [1, 2] }, modelId: model.modelId, requestId },
        { connection, queue },
      );
      const summary = await waitForJob(queue, submitted.jobId, { timeoutMs: 120_000 });
      assert.equal(summary.state, 'completed', summary.failedReason);
      const outcome = summary.returnvalue as {
        modelId: string;
        metrics?: { paramGapClosed: number };
        committed: boolean;
      };
      assert.equal(outcome.committed, true);
      assert.ok(outcome.metrics && outcome.metrics.paramGapClosed > 0.9);
      const rows = await withTestSession(graph(), async (s) =>
        (
          await s.run(
            `MATCH (u:UnlearningRequest {id: $id})-[:PRODUCED]->(m:Model {id: $m}) MATCH (j:JobRun {jobId: $job})
           RETURN u.status AS status, m.status AS modelStatus, j.status AS job`,
            { id: requestId, m: outcome.modelId, job: submitted.jobId },
          )
        ).records.map((r) => r.toObject()),
      );
      assert.deepEqual(rows, [{ status: 'complete', modelStatus: 'active', job: 'committed' }]);
    } finally {
      await worker.close();
      await queue.close();
      await obliterateQueueKeys(connection, `${prefix}unlearning`);
      const ended = new Promise((resolve) => connection.once('end', resolve));
      await connection.quit();
      await ended;
    }
  });
});
