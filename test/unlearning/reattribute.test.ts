import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { Queue, Worker } from 'bullmq';
import { runAttributionJob } from '../../src/jobs/attribution/run-attribution-job.js';
import { unlearningPayloadSchema } from '../../src/jobs/job-payloads.js';
import { trainRunModel } from '../../src/jobs/train/run-train-job.js';
import { reattributionTag } from '../../src/jobs/unlearning/enqueue-reattribution.js';
import type { UnlearningOutcome } from '../../src/jobs/unlearning/unlearning-outcome.js';
import type { QueueConnection } from '../../src/queue/create-queue-connection.js';
import { jobIdFor } from '../../src/queue/job-id.js';
import { openQueue } from '../../src/queue/open-queue.js';
import type { QueueKind } from '../../src/queue/queue-kind.js';
import { startQueueWorker } from '../../src/queue/start-queue-worker.js';
import { submitJob } from '../../src/queue/submit-job.js';
import { waitForJob } from '../../src/queue/wait-for-job.js';
import { useTrainedRun } from '../models/ingested-run.js';
import { runTraceprop } from '../support/cli.js';
import { newRedisConnection, obliterateQueueKeys, trackBullmq, uniqueQueueName } from '../support/queue.js';
import { testServices } from '../support/services.js';

/** The unlearning and attribution queues under one unique prefix, and their sandboxed workers. */
interface Queues {
  prefix: string;
  connection: QueueConnection;
  unlearning: Queue;
  attribution: Queue;
  start(kind: QueueKind): Worker;
  cleanup(): Promise<void>;
}

function openQueues(): Queues {
  const { config, home, redisUrl } = testServices();
  const connection = newRedisConnection();
  const prefix = `${uniqueQueueName('re')}-`;
  const workers: Worker[] = [];
  const queue = (kind: QueueKind) => {
    const q = trackBullmq('queue', openQueue(kind, { connection, prefix }));
    q.on('error', () => {});
    return q;
  };
  const queues: Queues = {
    prefix,
    connection,
    unlearning: queue('unlearning'),
    attribution: queue('attribution'),
    start: (kind) => {
      const worker = trackBullmq(
        'worker',
        startQueueWorker({
          kind,
          prefix,
          connection,
          home,
          // The unlearning child queues the attribution job itself, on this Redis and prefix.
          redisUrl,
          graph: {
            uri: config.neo4jUri,
            user: config.neo4jUser,
            password: config.neo4jPassword,
            database: config.neo4jDatabase,
          },
        }),
      );
      worker.on('error', () => {});
      workers.push(worker);
      return worker;
    },
    cleanup: async () => {
      for (const worker of workers) await worker.close();
      for (const q of [queues.unlearning, queues.attribution]) {
        await q.close();
        await obliterateQueueKeys(connection, q.name);
      }
      // The follow-up `predictions` jobs the unlearning child queued (no worker runs them here).
      await obliterateQueueKeys(connection, `${prefix}predictions`);
      const ended = new Promise((resolve) => connection.once('end', resolve));
      await connection.quit();
      await ended;
    },
  };
  return queues;
}

describe('the unlearning payload with reattribute', () => {
  it('hashes as before the field existed when it is omitted or false; true is another job', () => {
    const id = (extra: object) =>
      jobIdFor(
        'unlearning',
        unlearningPayloadSchema.parse({
          target: { file: 'f1', rows: [3, 1] },
          modelId: 'm1',
          requestId: 'r1',
          ...extra,
        }),
      );
    // Computed with the build of main before `reattribute` was added.
    const before = 'unlearning-7d6f0e3e797aee170ce6baebb3457717';
    assert.equal(id({}), before);
    assert.equal(id({ reattribute: false }), before);
    assert.notEqual(id({ reattribute: true }), before);
  });
});

/**
 * Issue 12 item 2, `--reattribute`: after an erasure's write-back removed the attribution edges
 * computed with the erased data, the request queues ONE attribution job per new model version
 * for the samples of the predictions that lost them (dropped samples left out), with a
 * deterministic job id, and records it. Real Neo4j, Redis and sandboxed workers.
 */
describe('unlearn --reattribute queues the re-attribution of the scrubbed predictions', () => {
  const { graph, suite, query } = useTrainedRun(300, 83);

  /** Attributes the active model's test predictions (top 5) and picks what to erase. */
  async function attributeAndPickVictims(): Promise<{
    modelId: string;
    /** The training sample most often among the top influences, and its application row. */
    train: { sample: string; row: number };
    /** A test sample the training victim influenced, and its application row (dropped too). */
    test: { sample: string; row: number };
    /** Samples of the predictions the training victim influenced. */
    touched: string[];
  }> {
    const [{ id: modelId }] = await query(
      "MATCH (m:Model {status: 'active'})-[:TRAINED_ON]->(:Run {id: $run}) RETURN m.id AS id",
      { run: suite.run.runId },
    );
    await runAttributionJob(
      {
        client: graph(),
        home: testServices().home,
        jobId: `attr-${randomUUID()}`,
        attempt: 1,
        progress: async () => {},
      },
      { modelId: String(modelId), samples: 'test', top: 5, method: 'ns' },
    );
    const [victim] = await query(
      `MATCH (p:Prediction)-[:BY]->(:Model {id: $m}), (p)-[:INFLUENCED_BY]->(s:Sample)
       WITH s, count(p) AS n ORDER BY n DESC, s.id LIMIT 1
       MATCH (s)-[:DERIVED_FROM]->(r:SourceRow)-[:IN_FILE]->(:SourceFile {table: 'application'})
       MATCH (p:Prediction)-[:BY]->(:Model {id: $m}), (p)-[:INFLUENCED_BY]->(s), (p)-[:FOR]->(t:Sample)
       WITH s, r, t ORDER BY t.id
       MATCH (t)-[:DERIVED_FROM]->(tr:SourceRow)-[:IN_FILE]->(:SourceFile {table: 'application'})
       RETURN s.id AS sample, r.row AS row, collect(t.id) AS touched, collect(tr.row) AS touchedRows`,
      { m: modelId },
    );
    const touched = victim.touched as string[];
    assert.ok(touched.length >= 2, `the victim influenced ${touched.length} predictions`);
    return {
      modelId: String(modelId),
      train: { sample: String(victim.sample), row: Number(victim.row) },
      test: { sample: touched[0], row: Number((victim.touchedRows as number[])[0]) },
      touched,
    };
  }

  it('queues one attribution job for the new version, records it, and the job explains those predictions again', async function () {
    this.timeout(300_000);
    const picked = await attributeAndPickVictims();
    const queues = openQueues();
    try {
      queues.start('unlearning');
      const run = await runTraceprop(
        [
          'unlearn',
          '--model',
          picked.modelId,
          '--file',
          'application.csv',
          '--rows',
          `${picked.train.row},${picked.test.row}`,
          '--reattribute',
          '--wait',
          '--json',
        ],
        { env: { TRACEPROP_QUEUE_PREFIX: queues.prefix }, timeoutMs: 180_000 },
      );
      const out = run.ok().json<UnlearningOutcome>();
      assert.notEqual(out.modelId, picked.modelId, 'a new version');
      assert.ok(out.scrubbed && out.scrubbed.influences >= picked.touched.length);

      // ONE job, with the deterministic id of its payload, recorded on the request.
      const jobs = await queues.attribution.getJobs(['waiting', 'delayed', 'active', 'completed', 'failed']);
      assert.equal(jobs.length, 1, 'one attribution job');
      const [job] = jobs;
      assert.deepEqual(out.reattributionJobs, [job.id]);
      const [request] = await query(
        'MATCH (u:UnlearningRequest {id: $id}) RETURN u.reattributionJobs AS jobs',
        {
          id: out.requestId,
        },
      );
      assert.deepEqual(request.jobs, [job.id]);
      // Its samples: those of the predictions the training victim influenced, but the dropped test sample.
      const expected = picked.touched.filter((s) => s !== picked.test.sample).sort();
      assert.deepEqual(job.data, {
        modelId: out.modelId,
        samples: expected,
        top: 10,
        method: 'ns',
        requestId: reattributionTag(out.requestId),
      });
      const [erased] = await query(
        'MATCH (s:Sample {erased: true}) WHERE s.id IN $ids RETURN collect(s.id) AS ids',
        {
          ids: [picked.train.sample, picked.test.sample],
        },
      );
      assert.equal((erased.ids as string[]).length, 2, 'both victims were dropped');

      // A crash after the commit, before the enqueue: the attribution job is gone, the unlearning
      // job is delivered again. The redelivery answers from the completed request and queues the
      // very same job (same payload, same id); no second job.
      await job.remove();
      const unlearningJobId = (await queues.unlearning.getJobs(['completed']))[0].id as string;
      const payload = (await queues.unlearning.getJob(unlearningJobId))?.data;
      await queues.unlearning.remove(unlearningJobId);
      const again = await submitJob('unlearning', payload, {
        connection: queues.connection,
        queue: queues.unlearning,
      });
      assert.equal(again.jobId, unlearningJobId);
      const redelivered = await waitForJob(queues.unlearning, again.jobId, { timeoutMs: 120_000 });
      assert.equal(redelivered.state, 'completed', redelivered.failedReason);
      const answer = redelivered.returnvalue as UnlearningOutcome;
      assert.equal(answer.committed, false);
      assert.deepEqual(answer.reattributionJobs, [job.id]);
      const requeued = await queues.attribution.getJobs([
        'waiting',
        'delayed',
        'active',
        'completed',
        'failed',
      ]);
      assert.deepEqual(
        requeued.map((j) => [j.id, j.data]),
        [[job.id, job.data]],
      );

      // The attribution worker runs it: the new version's predictions of those samples have
      // INFLUENCED_BY edges again, none to a dropped sample.
      queues.start('attribution');
      const done = await waitForJob(queues.attribution, job.id as string, { timeoutMs: 120_000 });
      assert.equal(done.state, 'completed', done.failedReason);
      const rows = await query(
        `UNWIND $samples AS sid
         MATCH (p:Prediction)-[:FOR]->(:Sample {id: sid}), (p)-[:BY]->(:Model {id: $m})
         RETURN sid, COUNT { (p)-[:INFLUENCED_BY]->() } AS influences,
                COUNT { (p)-[:INFLUENCED_BY]->(:Sample {erased: true}) } AS toErased,
                COUNT { (p)-[:SOURCE_SHARE]->() } AS shares
         ORDER BY sid`,
        { samples: expected, m: out.modelId },
      );
      assert.deepEqual(
        rows.map((r) => r.sid),
        expected,
        'each re-attributed sample has a prediction by the new version',
      );
      for (const r of rows) {
        assert.equal(r.influences, 10, `${r.sid}: top 10 influences`);
        assert.equal(r.toErased, 0, `${r.sid}: no influence of a dropped sample`);
        assert.ok((r.shares as number) > 0, `${r.sid}: source shares again`);
      }
      const [victimEdges] = await query(
        'RETURN COUNT { (:Prediction)-[:INFLUENCED_BY]->(:Sample {id: $s}) } AS n',
        { s: picked.train.sample },
      );
      assert.equal(victimEdges.n, 0, 'nothing points at the dropped training sample');
    } finally {
      await queues.cleanup();
    }
  });

  it('queues no attribution job without --reattribute', async function () {
    this.timeout(300_000);
    const picked = await attributeAndPickVictims();
    const queues = openQueues();
    try {
      queues.start('unlearning');
      const out = (
        await runTraceprop(
          [
            'unlearn',
            '--model',
            picked.modelId,
            '--file',
            'application.csv',
            '--rows',
            String(picked.train.row),
            '--wait',
            '--json',
          ],
          { env: { TRACEPROP_QUEUE_PREFIX: queues.prefix }, timeoutMs: 180_000 },
        )
      )
        .ok()
        .json<UnlearningOutcome>();
      assert.ok(out.scrubbed && out.scrubbed.influences > 0, 'attribution was scrubbed');
      assert.equal(out.reattributionJobs, undefined);
      const counts = await queues.attribution.getJobCounts();
      assert.equal(
        Object.values(counts).reduce((a, b) => a + b, 0),
        0,
        `no attribution job: ${JSON.stringify(counts)}`,
      );
      const [request] = await query(
        `MATCH (u:UnlearningRequest {id: $id})-[p:PRODUCED]->(:Model)
         RETURN u.reattributionJobs AS jobs, p.reattributeSamples AS plan`,
        { id: out.requestId },
      );
      assert.deepEqual(request, { jobs: null, plan: null });
    } finally {
      await queues.cleanup();
    }
  });
  it('without --model, queues one attribution job per line whose predictions lost their attribution', async function () {
    this.timeout(300_000);
    const { home } = testServices();
    const [{ id: first }] = await query(
      "MATCH (m:Model {status: 'active'})-[:TRAINED_ON]->(:Run {id: $run}) RETURN m.id AS id",
      { run: suite.run.runId },
    );
    const second = await trainRunModel({ client: graph(), home, runId: suite.run.runId, lambda: 1e-1 });
    const lines = [String(first), second.modelId];
    for (const modelId of lines)
      await runAttributionJob(
        { client: graph(), home, jobId: `attr-${randomUUID()}`, attempt: 1, progress: async () => {} },
        { modelId, samples: 'test', top: 5, method: 'ns' },
      );
    // A training sample both lines' predictions name among their top influences.
    const [victim] = await query(
      `MATCH (:Model {id: $a})<-[:BY]-(:Prediction)-[:INFLUENCED_BY]->(s:Sample)<-[:INFLUENCED_BY]-(:Prediction)-[:BY]->(:Model {id: $b})
       MATCH (s)-[:DERIVED_FROM]->(r:SourceRow)-[:IN_FILE]->(:SourceFile {table: 'application'})
       WHERE NOT r.erased
       RETURN DISTINCT r.row AS row ORDER BY row LIMIT 1`,
      { a: lines[0], b: lines[1] },
    );
    assert.ok(victim, 'a sample influences predictions of both lines');
    const queues = openQueues();
    try {
      queues.start('unlearning');
      const out = (
        await runTraceprop(
          [
            'unlearn',
            '--file',
            'application.csv',
            '--rows',
            String(victim.row),
            '--reattribute',
            '--wait',
            '--json',
          ],
          { env: { TRACEPROP_QUEUE_PREFIX: queues.prefix }, timeoutMs: 180_000 },
        )
      )
        .ok()
        .json<UnlearningOutcome>();
      assert.deepEqual(out.lines?.map((l) => l.previousModelId).sort(), [...lines].sort());
      const jobs = await queues.attribution.getJobs(['waiting', 'delayed', 'active', 'completed', 'failed']);
      assert.equal(jobs.length, 2, 'one attribution job per line');
      assert.deepEqual(
        jobs.map((j) => j.data.modelId).sort(),
        (out.lines ?? []).map((l) => l.modelId).sort(),
        "each explains with its line's new version",
      );
      assert.deepEqual([...(out.reattributionJobs ?? [])].sort(), jobs.map((j) => j.id).sort());
    } finally {
      await queues.cleanup();
    }
  });
});
