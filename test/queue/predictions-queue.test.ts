import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { tracePrediction } from '../../src/graph/queries/trace-prediction.js';
import { enqueuePendingPredictions } from '../../src/jobs/predictions/enqueue-pending-predictions.js';
import { predictionsJobRunId, runPredictionsJob } from '../../src/jobs/predictions/run-predictions-job.js';
import { runUnlearningInProcess } from '../../src/jobs/unlearning/run-unlearning-in-process.js';
import type { UnlearningOutcome } from '../../src/jobs/unlearning/unlearning-outcome.js';
import { loadModelArtifact } from '../../src/models/model-artifact-store.js';
import { submitJob } from '../../src/queue/submit-job.js';
import { useTrainedRun } from '../models/ingested-run.js';
import { testServices } from '../support/services.js';
import { openRig, type QueueRig, settled } from './queue-harness.js';

const predictionsCrashFile = fileURLToPath(new URL('./fixtures/predictions-crash.js', import.meta.url));

/**
 * The follow-up `predictions` job of an erasure: the request leaves its new version's test
 * predictions `pending` (out of its path), readers say so, and the job writes them exactly once.
 */
describe('queue: the predictions follow-up of an erasure', function () {
  this.timeout(120_000);
  const { graph, suite, query } = useTrainedRun(300, 41);
  let rig: QueueRig;
  beforeEach(() => {
    rig = openRig('predictions');
  });
  afterEach(async () => {
    await rig.cleanup();
  });

  let erased = 0;
  /** Erases two more training rows of the active line in process: its new version is `pending`. */
  async function erase(): Promise<UnlearningOutcome> {
    const [active] = await query(
      "MATCH (m:Model {status: 'active'})-[:TRAINED_ON]->(:Run {id: $run}) RETURN m.id AS id",
      { run: suite.run.runId },
    );
    const rows = await query(
      `MATCH (s:Sample {split: 'train'})-[:OUTPUT_OF]->(:Run {id: $run}),
             (s)-[:DERIVED_FROM]->(r:SourceRow)-[:IN_FILE]->(:SourceFile {name: 'application.csv'})
       WHERE NOT coalesce(s.erased, false) RETURN r.row AS row ORDER BY row SKIP ${erased} LIMIT 2`,
      { run: suite.run.runId },
    );
    erased += 2;
    return runUnlearningInProcess(graph(), testServices().home, {
      requestId: `predictions-follow-up-${Date.now()}-${erased}`,
      target: { file: 'application.csv', rows: rows.map((r) => Number(r.row)) },
      mode: 'drop',
      modelId: String(active.id),
    });
  }

  /** The version's predictions state, its Predictions (on erased samples too) and its JobRun. */
  async function state(modelId: string) {
    const [row] = await query(
      `MATCH (m:Model {id: $m})
       OPTIONAL MATCH (j:JobRun {jobId: $job})
       RETURN m.predictionsState AS state, m.predictionsWritten AS written, m.predictionsPending AS pending,
              COUNT { (:Prediction)-[:BY]->(m) } AS predictions,
              COUNT { (p:Prediction)-[:BY]->(m) WHERE EXISTS { (p)-[:FOR]->(:Sample {erased: true}) } } AS onErased,
              j.status AS job, j.deliveries AS deliveries`,
      { m: modelId, job: predictionsJobRunId(modelId) },
    );
    return row;
  }

  it('leaves the new version pending, says so to a trace, and the job writes its predictions once', async () => {
    const outcome = await erase();
    assert.equal(outcome.predictions?.state, 'pending', 'no queue in process: nobody queued it');
    assert.equal(outcome.predictions?.modelId, outcome.modelId);
    const artifact = await loadModelArtifact(testServices().home, outcome.modelId);
    const expected = artifact.testRows?.length ?? 0;
    assert.ok(expected > 0);
    assert.equal(outcome.predictions?.count, expected);
    const before = await state(outcome.modelId);
    assert.equal(before.state, 'pending');
    assert.equal(before.pending, expected);
    assert.equal(before.predictions, 0, 'the request wrote no prediction of the new version');

    // A reader of the version's predictions says they are pending instead of answering nothing.
    const [picked] = await query(
      `MATCH (s:Sample {split: 'test'})-[:OUTPUT_OF]->(run:Run {id: $run}) WHERE NOT coalesce(s.erased, false)
       RETURN s.id AS id, s.key AS key, run.sampleKeyColumn AS column LIMIT 1`,
      { run: suite.run.runId },
    );
    // By key too: the active version is pending, so no older version's prediction is answered.
    await assert.rejects(
      tracePrediction(graph(), { keyColumn: String(picked.column), key: String(picked.key) }),
      { code: 'models.predictionsPending' },
    );
    const sample = (
      await query(
        'MATCH (s:Sample {split: $split})-[:OUTPUT_OF]->(:Run {id: $run}) WHERE NOT coalesce(s.erased, false) RETURN s.id AS id LIMIT 1',
        {
          split: 'test',
          run: suite.run.runId,
        },
      )
    )[0].id;
    await assert.rejects(tracePrediction(graph(), { predictionId: `${outcome.modelId}:${sample}` }), {
      code: 'models.predictionsPending',
      message: new RegExp(`model ${outcome.modelId} \\(${expected} predictions\\) are not written yet`),
    });

    rig.startWorker();
    const submitted = await submitJob(
      'predictions',
      { modelId: outcome.modelId },
      { connection: rig.connection, prefix: rig.prefix, queue: rig.queue },
    );
    const summary = await settled(rig.queue, submitted.jobId);
    assert.equal(summary.state, 'completed', summary.failedReason);
    const { graphBookmarks: _bookmarks, ...result } = summary.returnvalue as Record<string, unknown>;
    assert.deepEqual(result, {
      modelId: outcome.modelId,
      state: 'written',
      predictions: expected,
      committed: true,
    });
    const after = await state(outcome.modelId);
    assert.equal(after.state, 'written');
    assert.equal(after.written, expected);
    assert.equal(after.predictions, expected);
    assert.equal(after.onErased, 0, 'no prediction of an erased sample');
    assert.equal(after.job, 'committed');
    const traced = await tracePrediction(graph(), { predictionId: `${outcome.modelId}:${sample}` });
    assert.equal(traced.prediction.id, `${outcome.modelId}:${sample}`);

    // The same version again (a second job, or in process): nothing more is written.
    const again = await runPredictionsJob({ client: graph(), home: testServices().home }, outcome.modelId);
    assert.deepEqual(again, { modelId: outcome.modelId, state: 'written', predictions: 0, committed: false });
    assert.equal((await state(outcome.modelId)).predictions, expected);
  });

  it('a job SIGKILLed between its write-back and its acknowledgement is retried and writes once', async () => {
    const outcome = await erase();
    const expected = outcome.predictions?.count ?? 0;
    assert.ok(expected > 0);
    rig.startWorker({ processorFile: predictionsCrashFile });
    const jobId = 'predictions-crash-1';
    await rig.queue.add('predictions', { modelId: outcome.modelId, killAfterCommitAttempts: 1 }, { jobId });
    const summary = await settled(rig.queue, jobId);
    assert.equal(summary.state, 'completed', summary.failedReason);
    assert.equal(summary.attemptsMade, 2, 'the first attempt died after its commit');
    const result = summary.returnvalue as { committed: boolean; predictions: number; state: string };
    assert.equal(result.committed, false, 'the retry wrote nothing');
    assert.equal(result.predictions, 0);
    assert.equal(result.state, 'written');
    const after = await state(outcome.modelId);
    assert.equal(after.predictions, expected, 'each prediction written once');
    assert.equal(after.written, expected);
    assert.equal(after.state, 'written');
    assert.equal(after.job, 'committed');
    assert.equal(after.deliveries, 1, 'one write-back committed');
  });

  it('a follow-up that failed for good is put back by a submit with retryFailed (the worker sweep)', async () => {
    const modelId = `model-missing-${Date.now()}`;
    const submit = (retryFailed: boolean) =>
      submitJob(
        'predictions',
        { modelId },
        { connection: rig.connection, prefix: rig.prefix, queue: rig.queue, retryFailed },
      );
    const first = await submit(false);
    const worker = rig.startWorker();
    assert.equal((await settled(rig.queue, first.jobId)).state, 'failed', 'an unknown model fails for good');
    await worker.close();
    const plain = await submit(false);
    assert.deepEqual(
      [plain.created, plain.retried, plain.state],
      [false, false, 'failed'],
      'a plain submit keeps it',
    );
    const again = await submit(true);
    assert.equal(again.jobId, first.jobId, 'the same job, not a second one');
    assert.equal(again.retried, true);
    assert.equal(again.state, 'waiting', 'back in the queue for the next worker');
  });

  it('the worker sweep queues every version still pending, once', async () => {
    const outcome = await erase();
    const enqueue = async (modelId: string) =>
      (
        await submitJob(
          'predictions',
          { modelId },
          { connection: rig.connection, prefix: rig.prefix, queue: rig.queue },
        )
      ).jobId;
    const first = await enqueuePendingPredictions(graph(), enqueue);
    const second = await enqueuePendingPredictions(graph(), enqueue);
    assert.ok(first.length >= 1);
    assert.deepEqual(second, first, 'the same versions, the same jobs');
    const jobs = await rig.queue.getJobs(['waiting', 'delayed', 'active', 'completed', 'failed']);
    assert.deepEqual(
      jobs.map((j) => j.data.modelId).filter((m) => m === outcome.modelId),
      [outcome.modelId],
      'one job for the pending version',
    );
    rig.startWorker();
    for (const jobId of first) assert.equal((await settled(rig.queue, jobId)).state, 'completed');
    assert.equal((await state(outcome.modelId)).state, 'written');
    assert.deepEqual(await enqueuePendingPredictions(graph(), enqueue), [], 'nothing pending any more');
  });
});
