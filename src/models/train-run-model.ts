import { randomUUID } from 'node:crypto';
import { fitLogisticRegression } from '../attribution/logistic-regression.js';
import { InputError, NotFoundError } from '../errors.js';
import { type GraphClient, withSession } from '../graph/connection.js';
import { addWeightedGram } from '../unlearning/weighted-gram.js';
import { labelledRowsOf, splitRows } from './labelled-rows-of.js';
import { type ModelArtifact, saveModelArtifact } from './model-artifact-store.js';
import { type ModelMetrics, modelMetrics } from './model-metrics.js';
import { loadRunMatrix } from './run-matrix-store.js';
import { scoreRows } from './score-rows.js';
import { writeModel } from './write-model.js';

/** Options of {@link trainRunModel}. */
export interface TrainRunModelConfig {
  client: GraphClient;
  /** TRACEPROP_HOME: run matrices are read from and parameters written to it. */
  home: string;
  runId: string;
  /** L2 strength on the mean loss (default 1e-3). */
  lambda?: number;
  /** Model id (default `model-<uuid>`). */
  modelId?: string;
}

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
}

/** Default λ of `traceprop train`. */
export const defaultLambda = 1e-3;

/**
 * Trains an L2 logistic regression on an ingested run's train split (from its saved model
 * matrix), saves the parameters under `<home>/models/<modelId>/`, and writes, in one
 * transaction, the Model node (version 1, `active`) -[:TRAINED_ON]->Run and a Prediction for
 * every test sample.
 *
 * @throws NotFoundError `models.runNotFound` (no such Run), `models.noRunMatrix`;
 *   InputError `models.runNotComplete`, `models.noTrainRows`.
 */
export async function trainRunModel(config: TrainRunModelConfig): Promise<TrainedRunModel> {
  const { client, home, runId } = config;
  const lambda = config.lambda ?? defaultLambda;
  if (!(lambda > 0)) throw new InputError('models.badLambda', `--lambda must be > 0, got ${lambda}`);
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
  const matrix = await loadRunMatrix(home, runId);
  const trainIdx = splitRows(matrix, 0);
  const testIdx = splitRows(matrix, 1);
  if (trainIdx.length === 0)
    throw new InputError('models.noTrainRows', `run ${runId} has no labelled train samples`);
  const train = labelledRowsOf(matrix, trainIdx);
  const test = labelledRowsOf(matrix, testIdx);
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
    runMatrixSha256: matrix.sha256,
  };
  const saved = await saveModelArtifact(home, artifact);
  const metrics = modelMetrics(fit.theta, train, test);
  const predictions = scoreRows(modelId, fit.theta, matrix, testIdx);
  await withSession(client, (s) =>
    s.executeWrite((tx) =>
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
      ),
    ),
  );
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
  };
}
