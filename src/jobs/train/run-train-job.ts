import { randomUUID } from 'node:crypto';
import type { ArtifactHome } from '../../artifacts/artifact-home.js';
import { precomputeLogisticKernels } from '../../attribution/kernel-precomputation.js';
import { defaults } from '../../defaults.js';
import { InputError } from '../../errors.js';
import type { SigningKey } from '../../evidence/signing-key.js';
import type { GraphClient } from '../../graph/connection.js';
import { saveKernelCache } from '../../models/kernel-cache-store.js';
import { saveModelArtifact } from '../../models/model-artifact-store.js';
import type { CertificationSummary } from '../../models/model-certification.js';
import { certificationProperties } from '../../models/model-certification.js';
import type { ModelMetrics } from '../../models/model-metrics.js';
import { type CertifyRequest, certificationFor } from './certification-for.js';
import { computeTrain, scoreTrainModel, selectTrainRows } from './compute-train.js';
import { readTrainInputs } from './read-train-inputs.js';
import { type TrainJobRef, writeTrainResult } from './write-train-result.js';

/** Options of {@link trainRunModel}. */
export interface TrainRunModelConfig {
  client: GraphClient;
  /** TRACEPROP_HOME: run matrices are read from and parameters written to it. */
  home: ArtifactHome;
  runId: string;
  /** L2 strength on the mean loss (default 1e-3). */
  lambda?: number;
  /** Train for (ε, δ)-certified removal (`--certify`): objective perturbation, a removal budget. */
  certify?: CertifyRequest;
  /**
   * Model id (default `model-<uuid>`). A queued job passes a deterministic one
   * ({@link modelIdForJob}), so a retry overwrites the same artifact directory.
   */
  modelId?: string;
  /**
   * The queued job this training is: the Model and its Predictions are then written exactly
   * once (`commitJobResult` keyed by the job id). Default: a plain write transaction.
   */
  job?: TrainJobRef;
  /** Reports progress (0–100) and the current stage. */
  progress?: (percent: number, stage: string) => Promise<void> | void;
  /** The deployment's signing key: the model's signed statement is logged with it. */
  signingKey?: SigningKey;
  /** Reports a problem that does not fail the training (e.g. a cache that could not be saved). */
  warn?: (message: string) => void;
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
  /** With `certify`: ε, δ, σ and the removal budget (b stays in the artifact, secret). */
  certification?: CertificationSummary;
  /** With a `job`: false when an earlier attempt had already written the model (nothing written now). */
  committed?: boolean;
  /** With a `job`: when the model landed in the graph (ISO string). */
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
 * transaction (exactly once with `job`), the Model node (version 1, `active`)
 * -[:TRAINED_ON]->Run and a Prediction for every test sample. Samples that unlearning requests
 * dropped are left out, and re-derived ones use their re-derived rows.
 * Read ({@link readTrainInputs}) → compute ({@link computeTrain}) → write ({@link writeTrainResult}).
 *
 * @throws InputError `models.badLambda`, `models.runNotComplete`, `models.noTrainRows`;
 *   NotFoundError `models.runNotFound` (no such Run), `models.noRunMatrix`.
 */
export async function trainRunModel(config: TrainRunModelConfig): Promise<TrainedRunModel> {
  const { client, home, runId } = config;
  const lambda = config.lambda ?? defaults.lambda;
  const progress = async (percent: number, stage: string) => {
    await config.progress?.(percent, stage);
  };
  if (!(lambda > 0)) throw new InputError('models.badLambda', `--lambda must be > 0, got ${lambda}`);
  await progress(2, 'run');
  const inputs = await readTrainInputs(client, home, runId, progress);
  const rows = selectTrainRows(inputs);
  await progress(15, 'fit');
  const modelId = config.modelId ?? `model-${randomUUID()}`;
  const certification = config.certify
    ? await certificationFor(home, modelId, config.certify, inputs.matrix.features.cols + 1)
    : undefined;
  const D = inputs.matrix.features.cols + 1;
  const { artifact, iterations, seconds } = computeTrain(inputs, rows, {
    lambda,
    modelId,
    ...(certification ? { certification } : {}),
  });
  await progress(70, 'save');
  const saved = await saveModelArtifact(home, artifact);
  await progress(72, 'precompute');
  // The attribution kernels' per-model work, done once now so the model's first attribution
  // (often in a freshly forked job processor) pays only the per-test-point work.
  const precomputed = precomputeLogisticKernels(
    {
      theta: artifact.theta,
      features: D - 1,
      lambda,
      trainRows: rows.trainIdx.length,
      iterations,
      gradientNorm: 0,
    },
    rows.train,
  );
  await saveKernelCache(
    home,
    modelId,
    { paramsSha256: saved.paramsSha256, runMatrixSha256: inputs.matrix.sha256 },
    precomputed,
  ).catch((e: Error) => config.warn?.(`kernel cache of ${modelId} not saved: ${e.message}`));
  await progress(75, 'score');
  const { metrics, predictions } = scoreTrainModel(inputs, rows, modelId, artifact.theta);
  await progress(85, 'write');
  const outcome = await writeTrainResult(
    client,
    {
      id: modelId,
      runId,
      version: 1,
      kind: 'logistic-regression',
      lambda,
      trainedAt: new Date().toISOString(),
      metrics,
      paramsSha256: saved.paramsSha256,
      runMatrixSha256: inputs.matrix.sha256,
      artifactPath: saved.dir,
      ...(certification ? { certification: certificationProperties(certification) } : {}),
    },
    predictions,
    config.job,
    config.signingKey,
  );
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
    iterations,
    seconds,
    ...(certification ? { certification: certificationProperties(certification) } : {}),
    ...(outcome ? { committed: outcome.committed, committedAt: outcome.committedAt } : {}),
  };
}

/** Model kinds a `train` job can fit (the payload's `kind`). */
const trainableKinds = ['logistic'] as const;

/** What a `train` job is asked (its validated payload). */
export interface TrainJobRequest {
  runId: string;
  /** One of {@link trainableKinds}. */
  kind: string;
  lambda?: number;
  certify?: CertifyRequest;
}

/** What a `train` job runs with: the worker's graph client and home, and the job's identity. */
export interface TrainJobConfig {
  client: GraphClient;
  home: ArtifactHome;
  jobId: string;
  /** 1-based attempt. */
  attempt: number;
  progress: (percent: number, stage: string) => Promise<void> | void;
  /** The deployment's signing key, when it has one. */
  signingKey?: SigningKey;
  /** Reports a problem that does not fail the job. */
  warn?: (message: string) => void;
}

/**
 * The return value of a `train` job (shown by `jobs show` and `train --queue --wait`);
 * `committed` and `committedAt` are always set.
 */
export type TrainJobResult = TrainedRunModel;

/**
 * The `train` job: fits the model of the request's run as {@link trainRunModel} does in process,
 * under the deterministic model id `model-<jobId>`, and writes the Model and its Predictions
 * exactly once (a retry after the commit writes nothing and reports `committed: false`).
 *
 * @throws InputError `models.unknownKind` when `kind` is not one of {@link trainableKinds}
 *   (checked before anything is read); the errors of {@link trainRunModel}.
 */
export async function runTrainJob(config: TrainJobConfig, request: TrainJobRequest): Promise<TrainJobResult> {
  const { runId, kind, lambda, certify } = request;
  if (!(trainableKinds as readonly string[]).includes(kind)) {
    throw new InputError(
      'models.unknownKind',
      `cannot train a "${kind}" model (expected one of ${trainableKinds.join(', ')})`,
    );
  }
  return trainRunModel({
    client: config.client,
    home: config.home,
    runId,
    lambda,
    ...(certify ? { certify } : {}),
    modelId: modelIdForJob(config.jobId),
    job: { jobId: config.jobId, attempt: config.attempt },
    progress: config.progress,
    signingKey: config.signingKey,
    ...(config.warn ? { warn: config.warn } : {}),
  });
}
