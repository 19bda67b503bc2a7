import { randomUUID } from 'node:crypto';
import type { ManagedTransaction } from 'neo4j-driver';
import { fitLogisticRegression } from '../../attribution/logistic-regression.js';
import { defaults } from '../../defaults.js';
import { InputError, NotFoundError } from '../../errors.js';
import { type GraphClient, withSession } from '../../graph/connection.js';
import { splitRows } from '../../models/labelled-rows-of.js';
import { type ModelArtifact, saveModelArtifact } from '../../models/model-artifact-store.js';
import { type ModelMetrics, modelMetrics } from '../../models/model-metrics.js';
import { modelRowsOf } from '../../models/replaced-rows.js';
import { readRunErasures } from '../../models/run-erasures.js';
import { loadRunMatrix } from '../../models/run-matrix-store.js';
import { scoreRows } from '../../models/score-rows.js';
import { addWeightedGram } from '../../unlearning/weighted-gram.js';
import { writeModel } from './write-model.js';

/** Options of {@link trainRunModel}. */
export interface TrainRunModelConfig {
  client: GraphClient;
  /** TRACEPROP_HOME: run matrices are read from and parameters written to it. */
  home: string;
  runId: string;
  /** L2 strength on the mean loss (default 1e-3). */
  lambda?: number;
  /**
   * Model id (default `model-<uuid>`). A queued job passes a deterministic one
   * ({@link modelIdForJob}), so a retry overwrites the same artifact directory.
   */
  modelId?: string;
  /**
   * Write-back hook: runs `write` (the Model and its Predictions) in one write transaction, or
   * not at all when an earlier attempt already did. Jobs pass `commitJobResult` bound to the job
   * id (exactly once); default: a plain write transaction.
   */
  commit?: ModelWriteBack;
  /** Reports progress (0–100) and the current stage. */
  progress?: (percent: number, stage: string) => Promise<void> | void;
}

/** See {@link TrainRunModelConfig.commit}; `CommitOutcome<void>` fits it. */
export type ModelWriteBack = (
  write: (tx: ManagedTransaction) => Promise<void>,
) => Promise<{ committed: boolean; committedAt?: string }>;

/** What {@link trainRunModel} produced. */
export interface TrainedRunModel {
  modelId: string;
  runId: string;
  version: number;
  kind: 'logistic-regression';
  lambda: number;
  metrics: ModelMetrics;
  paramsSha256: string;
  artifactPath: string;
  predictions: number;
  iterations: number;
  /** Fit time, seconds. */
  seconds: number;
  /** With a `commit` hook: false when an earlier attempt had already written the model (nothing written now). */
  committed?: boolean;
  /** With a `commit` hook: when the model landed in the graph (ISO string). */
  committedAt?: string;
}

/**
 * The deterministic model id of a `train` job, `model-<jobId>`: every attempt of the job trains
 * the same model, so a retry overwrites its artifact instead of leaving an orphan.
 */
export function modelIdForJob(jobId: string): string {
  return `model-${jobId}`;
}

/**
 * Trains an L2 logistic regression on an ingested run's train split (from its saved model
 * matrix), saves the parameters under `<home>/models/<modelId>/`, and writes, in one
 * transaction (through `commit` when given), the Model node (version 1, `active`)
 * -[:TRAINED_ON]->Run and a Prediction for every test sample. Samples that unlearning requests
 * dropped are left out, and re-derived ones use their re-derived rows ({@link readRunErasures}).
 *
 * @throws NotFoundError `models.runNotFound` (no such Run), `models.noRunMatrix`;
 *   InputError `models.runNotComplete`, `models.noTrainRows`.
 */
export async function trainRunModel(config: TrainRunModelConfig): Promise<TrainedRunModel> {
  const { client, home, runId } = config;
  const lambda = config.lambda ?? defaults.lambda;
  const progress = async (percent: number, stage: string) => {
    await config.progress?.(percent, stage);
  };
  if (!(lambda > 0)) throw new InputError('models.badLambda', `--lambda must be > 0, got ${lambda}`);
  await progress(2, 'run');
  const status = await withSession(
    client,
    async (s) => {
      const r = await s.executeRead((tx) =>
        tx.run('MATCH (r:Run {id: $runId}) RETURN r.status AS status', { runId }),
      );
      return r.records.length ? (r.records[0].get('status') as string | null) : undefined;
    },
    'READ',
  );
  if (status === undefined)
    throw new NotFoundError(
      'models.runNotFound',
      `run ${runId} is not in the graph (see \`traceprop ingest\`)`,
    );
  if (status !== null && status !== 'complete') {
    throw new InputError(
      'models.runNotComplete',
      `run ${runId} is ${status}; only complete runs can be trained on`,
    );
  }
  await progress(5, 'load');
  const matrix = await loadRunMatrix(home, runId);
  // Samples that unlearning dropped stay out; re-derived ones use their re-derived rows.
  const erasures = await readRunErasures(client, home, matrix);
  const trainIdx = splitRows(matrix, 0, erasures.dropped);
  const testIdx = splitRows(matrix, 1, erasures.dropped);
  if (trainIdx.length === 0)
    throw new InputError('models.noTrainRows', `run ${runId} has no labelled train samples`);
  const train = modelRowsOf(matrix, trainIdx, erasures.replaced);
  const test = modelRowsOf(matrix, testIdx, erasures.replaced);
  await progress(15, 'fit');
  const started = performance.now();
  const fit = fitLogisticRegression(train.x, train.y, { lambda });
  const seconds = (performance.now() - started) / 1000;
  const D = fit.features + 1;
  const modelId = config.modelId ?? `model-${randomUUID()}`;
  const artifact: ModelArtifact = {
    modelId,
    runId,
    kind: 'logistic-regression',
    lambda,
    featureNames: matrix.featureNames,
    theta: fit.theta,
    hessianSum: addWeightedGram(train.x, null, fit.theta, 1, new Float64Array(D * D)),
    trainRows: trainIdx,
    testRows: testIdx,
    ...(erasures.replaced ? { replaced: erasures.replaced } : {}),
    runMatrixSha256: matrix.sha256,
  };
  await progress(70, 'save');
  const saved = await saveModelArtifact(home, artifact);
  await progress(75, 'score');
  const metrics = modelMetrics(fit.theta, train, test);
  const predictions = scoreRows(modelId, fit.theta, matrix, testIdx, erasures.replaced);
  await progress(85, 'write');
  const write = (tx: ManagedTransaction) =>
    writeModel(
      tx,
      {
        id: modelId,
        runId,
        version: 1,
        kind: 'logistic-regression',
        lambda,
        trainedAt: new Date().toISOString(),
        metrics,
        paramsSha256: saved.paramsSha256,
        runMatrixSha256: matrix.sha256,
        artifactPath: saved.dir,
      },
      predictions,
    );
  let outcome: Awaited<ReturnType<ModelWriteBack>> | undefined;
  if (config.commit) outcome = await config.commit(write);
  else await withSession(client, (s) => s.executeWrite(write));
  await progress(100, 'done');
  return {
    modelId,
    runId,
    version: 1,
    kind: 'logistic-regression',
    lambda,
    metrics,
    paramsSha256: saved.paramsSha256,
    artifactPath: saved.dir,
    predictions: predictions.length,
    iterations: fit.iterations,
    seconds,
    ...(outcome ? { committed: outcome.committed, committedAt: outcome.committedAt } : {}),
  };
}
