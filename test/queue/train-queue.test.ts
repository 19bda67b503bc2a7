import assert from 'node:assert/strict';
import fs from 'node:fs';
import { modelIdForJob, type TrainedRunModel } from '../../src/jobs/train/run-train-job.js';
import { loadModelArtifact, modelDir } from '../../src/models/model-artifact-store.js';
import { jobIdFor } from '../../src/queue/job-id.js';
import { parsePayload } from '../../src/queue/parse-payload.js';
import { submitJob } from '../../src/queue/submit-job.js';
import { type IngestedRun, ingestCreditRisk } from '../models/ingested-run.js';
import { runTraceprop, startTraceprop } from '../support/cli.js';
import { useCleanGraph, withTestSession } from '../support/graph.js';
import { testServices } from '../support/services.js';
import { openRig, type QueueRig, settled } from './queue-harness.js';

describe('queue: train jobs', function () {
  this.timeout(90_000);
  const graph = useCleanGraph();
  let run: IngestedRun;
  let testCount: number;
  let rig: QueueRig;
  before(async function () {
    this.timeout(120_000);
    run = await ingestCreditRisk(graph(), testServices().home, 300, 33);
    testCount = Array.from(run.result.split).filter((s) => s === 1).length;
  });
  beforeEach(() => {
    rig = openRig('train');
  });
  afterEach(async () => {
    await rig.cleanup();
  });

  async function one<T = number>(cypher: string, params: Record<string, unknown> = {}): Promise<T> {
    return withTestSession(graph(), async (s) => (await s.run(cypher, params)).records[0].get(0) as T);
  }
  const modelsOfRun = () =>
    one('MATCH (m:Model)-[:TRAINED_ON]->(:Run {id: $runId}) RETURN count(m)', { runId: run.runId });

  /** The Model written under `modelId`, its predictions and the JobRun of `jobId`. */
  async function written(modelId: string, jobId: string) {
    return withTestSession(graph(), async (s) => {
      const r = await s.run(
        `OPTIONAL MATCH (m:Model {id: $modelId})-[:TRAINED_ON]->(:Run {id: $runId})
         WITH collect(m) AS models
         OPTIONAL MATCH (j:JobRun {jobId: $jobId})
         WITH models, collect(j) AS jobRuns
         WITH models, jobRuns, models[0] AS m, jobRuns[0] AS j
         RETURN size(models) AS models, m.version AS version, m.status AS status, m.paramsSha256 AS sha,
                m.artifactPath AS artifactPath,
                CASE WHEN m IS NULL THEN 0 ELSE COUNT { (p:Prediction)-[:BY]->(m) } END AS predictions,
                CASE WHEN m IS NULL THEN 0
                     ELSE COUNT { (p:Prediction)-[:BY]->(m) WHERE (p)-[:FOR]->(:Sample {split: 'test'}) } END AS onTest,
                size(jobRuns) AS jobRuns, j.kind AS kind, j.status AS jobStatus, j.deliveries AS deliveries`,
        { modelId, jobId, runId: run.runId },
      );
      return r.records[0].toObject();
    });
  }

  it('trains a queued run in a sandboxed worker: one Model, its Predictions and one committed JobRun', async () => {
    const before = await modelsOfRun();
    rig.startWorker();
    const progress: string[] = [];
    rig.workers[0].on('progress', (_job, p) => {
      const { percent, stage } = p as { percent: number; stage: string };
      progress.push(`${percent}:${stage}`);
    });
    const submitted = await submitJob(
      'train',
      { runId: run.runId, lambda: 1e-2 },
      { connection: rig.connection, prefix: rig.prefix, queue: rig.queue },
    );
    const summary = await settled(rig.queue, submitted.jobId);
    assert.equal(summary.state, 'completed', summary.failedReason);
    assert.equal(summary.attemptsMade, 1);
    const result = summary.returnvalue as TrainedRunModel;
    const modelId = modelIdForJob(submitted.jobId);
    assert.equal(result.modelId, modelId);
    assert.equal(result.runId, run.runId);
    assert.equal(result.lambda, 1e-2);
    assert.equal(result.predictions, testCount);
    assert.equal(result.committed, true);
    assert.ok(result.metrics.testAccuracy > 0.5, `test accuracy ${result.metrics.testAccuracy}`);
    assert.deepEqual(await written(modelId, submitted.jobId), {
      models: 1,
      version: 1,
      status: 'active',
      sha: result.paramsSha256,
      artifactPath: result.artifactPath,
      predictions: testCount,
      onTest: testCount,
      jobRuns: 1,
      kind: 'train',
      jobStatus: 'committed',
      deliveries: 1,
    });
    assert.equal(await modelsOfRun(), before + 1, 'exactly one new model on the run');
    const artifact = await loadModelArtifact(testServices().home, modelId, result.paramsSha256);
    assert.equal(artifact.runId, run.runId);
    assert.ok(progress.includes('100:done') && progress.includes('15:fit'), `progress: ${progress}`);
  });

  it('a redelivered job (as after a SIGKILL past its commit) writes nothing and keeps the artifact', async () => {
    rig.startWorker();
    const submitted = await submitJob(
      'train',
      { runId: run.runId, lambda: 2e-2, requestId: 'redelivery' },
      { connection: rig.connection, prefix: rig.prefix, queue: rig.queue },
    );
    const first = await settled(rig.queue, submitted.jobId);
    assert.equal(first.state, 'completed', first.failedReason);
    const modelId = modelIdForJob(submitted.jobId);
    const before = await modelsOfRun();
    // Deliver the same job id again: the processor runs once more, as a retry after a crash does.
    const job = await rig.queue.getJob(submitted.jobId);
    assert.ok(job);
    await job.retry('completed');
    const second = await settled(rig.queue, submitted.jobId);
    assert.equal(second.state, 'completed', second.failedReason);
    const result = second.returnvalue as TrainedRunModel;
    assert.equal(result.committed, false, 'the second delivery did not write again');
    assert.equal(result.modelId, modelId, 'the same deterministic model id');
    const graphState = await written(modelId, submitted.jobId);
    assert.deepEqual(
      {
        models: graphState.models,
        predictions: graphState.predictions,
        jobRuns: graphState.jobRuns,
        deliveries: graphState.deliveries,
      },
      { models: 1, predictions: testCount, jobRuns: 1, deliveries: 2 },
    );
    assert.equal(await modelsOfRun(), before, 'no model added by the second delivery');
    // The artifact was rewritten in place with the same bytes: it still matches the Model node.
    const artifact = await loadModelArtifact(testServices().home, modelId, graphState.sha as string);
    assert.equal(artifact.dir, graphState.artifactPath);
    assert.equal(result.paramsSha256, graphState.sha);
  });

  it('gives the same request one job (submitJob and `train --queue`), and a request id a new one', async () => {
    const options = { connection: rig.connection, prefix: rig.prefix, queue: rig.queue };
    const a = await submitJob('train', { runId: run.runId, lambda: 1e-3 }, options);
    const b = await submitJob('train', { lambda: 1e-3, runId: run.runId, kind: 'logistic' }, options);
    assert.equal(a.created, true);
    assert.equal(b.created, false);
    assert.equal(b.jobId, a.jobId);
    const withoutLambda = await submitJob('train', { runId: run.runId }, options);
    assert.equal(withoutLambda.jobId, a.jobId, 'the default λ is part of the normalised payload');
    assert.equal(a.jobId, jobIdFor('train', parsePayload('train', { runId: run.runId, lambda: 1e-3 })));
    const tagged = await submitJob('train', { runId: run.runId, lambda: 1e-3, requestId: 'again' }, options);
    assert.notEqual(tagged.jobId, a.jobId);
    // The CLI writes the default λ into the payload: no --lambda is the same job as --lambda 0.001.
    const cli = await runTraceprop(['train', run.runId, '--queue', '--json', '--queue-prefix', rig.prefix]);
    assert.equal(cli.code, 0, cli.stderr);
    const doc = cli.json<{ jobId: string; modelId: string; created: boolean }>();
    assert.deepEqual(doc.jobId, a.jobId);
    assert.equal(doc.created, false);
    assert.equal(doc.modelId, modelIdForJob(a.jobId));
    assert.equal(await rig.queue.count(), 2, 'two jobs waiting (no worker runs here)');
    const misuse = await runTraceprop(['train', run.runId, '--wait']);
    assert.equal(misuse.code, 2);
    assert.match(misuse.stderr, /--wait only applies with --queue/);
  });

  it('fails an unknown run, an incomplete run and a run without a matrix at once, writing nothing', async () => {
    await withTestSession(graph(), (s) =>
      s.run(
        `CREATE (:Run {id: 'train-q-running', status: 'running'}), (:Run {id: 'train-q-nomatrix', status: 'complete'})`,
      ),
    );
    rig.startWorker();
    const cases = [
      {
        runId: 'no-such-run',
        reason: '[models.runNotFound] run no-such-run is not in the graph (see `traceprop ingest`)',
      },
      {
        runId: 'train-q-running',
        reason:
          '[models.runNotComplete] run train-q-running is running; only complete runs can be trained on',
      },
      {
        runId: 'train-q-nomatrix',
        reason: /^\[models\.noRunMatrix\] run train-q-nomatrix has no saved model matrix/,
      },
    ];
    for (const c of cases) {
      const submitted = await submitJob(
        'train',
        { runId: c.runId },
        { connection: rig.connection, prefix: rig.prefix, queue: rig.queue },
      );
      const summary = await settled(rig.queue, submitted.jobId);
      assert.equal(summary.state, 'failed', c.runId);
      assert.equal(summary.attemptsMade, 1, `${c.runId}: failed at once, not retried`);
      if (typeof c.reason === 'string') assert.equal(summary.failedReason, c.reason);
      else assert.match(summary.failedReason ?? '', c.reason);
      const modelId = modelIdForJob(submitted.jobId);
      assert.equal(await one('MATCH (j:JobRun {jobId: $id}) RETURN count(j)', { id: submitted.jobId }), 0);
      assert.equal(await one('MATCH (m:Model {id: $id}) RETURN count(m)', { id: modelId }), 0);
      assert.equal(fs.existsSync(modelDir(testServices().home, modelId)), false, 'no artifact saved');
    }
  });

  it('`traceprop worker` serves the train queue by default; `train --queue --wait --json` prints the model', async () => {
    const worker = startTraceprop(['worker', '--queue-prefix', rig.prefix, '--shutdown-timeout', '3']);
    const workerLog = worker.log;
    try {
      const out = await runTraceprop([
        'train',
        run.runId,
        '--lambda',
        '0.05',
        '--queue',
        '--wait',
        '--json',
        '--request-id',
        'cli-wait',
        '--queue-prefix',
        rig.prefix,
      ]);
      assert.equal(out.code, 0, out.stderr + workerLog());
      const doc = out.json<TrainedRunModel & { jobId: string }>();
      assert.match(doc.jobId, /^train-[0-9a-f]{32}$/);
      assert.equal(doc.modelId, modelIdForJob(doc.jobId));
      assert.equal(doc.committed, true);
      assert.equal(doc.lambda, 0.05);
      assert.match(out.stderr, /completed 100% done/, 'progress on stderr');
      assert.equal((await written(doc.modelId, doc.jobId)).models, 1);
      assert.match(workerLog(), /"queues":\["attribution","unlearning","train","predictions"\]/);
    } finally {
      if (worker.child.exitCode === null) worker.child.kill('SIGTERM');
      assert.equal((await worker.exited).code, 0, workerLog());
    }
  });
});
