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
    const graphConfig = {
      uri: config.neo4jUri,
      user: config.neo4jUser,
      password: config.neo4jPassword,
      database: config.neo4jDatabase,
    };
    // The unlearning child queues the follow-up `predictions` job itself, on this Redis and prefix.
    const { redisUrl } = testServices();
    const worker = trackBullmq(
      'worker',
      startQueueWorker({
        kind: 'unlearning',
        prefix,
        connection,
        processorFile: processor,
        home,
        redisUrl,
        graph: graphConfig,
      }),
    );
    const queue = trackBullmq('queue', openQueue('unlearning', { connection, prefix }));
    const predictionsQueue = trackBullmq('queue', openQueue('predictions', { connection, prefix }));
    let predictionsWorker: ReturnType<typeof startQueueWorker> | undefined;
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
        predictions?: { modelId: string; state: string; count: number; jobId?: string };
      };
      assert.equal(outcome.committed, true);
      // The new version's test predictions are not the request's: queued as its follow-up job.
      assert.equal(outcome.predictions?.state, 'queued');
      assert.equal(outcome.predictions?.modelId, outcome.modelId);
      const pending = async () =>
        withTestSession(graph(), async (s) => {
          const r = await s.run(
            'MATCH (m:Model {id: $m}) RETURN m.predictionsState AS state, COUNT { (:Prediction)-[:BY]->(m) } AS n',
            { m: outcome.modelId },
          );
          return r.records[0].toObject();
        });
      assert.deepEqual(await pending(), { state: 'pending', n: 0 });
      predictionsWorker = trackBullmq(
        'worker',
        startQueueWorker({ kind: 'predictions', prefix, connection, home, graph: graphConfig }),
      );
      const followUp = await waitForJob(predictionsQueue, outcome.predictions?.jobId ?? '', {
        timeoutMs: 120_000,
      });
      assert.equal(followUp.state, 'completed', followUp.failedReason);
      assert.deepEqual(await pending(), { state: 'written', n: outcome.predictions?.count });
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
      await predictionsWorker?.close();
      await queue.close();
      await predictionsQueue.close();
      await obliterateQueueKeys(connection, `${prefix}unlearning`);
      await obliterateQueueKeys(connection, `${prefix}predictions`);
      const ended = new Promise((resolve) => connection.once('end', resolve));
      await connection.quit();
      await ended;
    }
  });
});
