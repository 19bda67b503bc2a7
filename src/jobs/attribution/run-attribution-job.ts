import type { ArtifactHome } from '../../artifacts/artifact-home.js';
import type { AttributionMethod } from '../../attribution/attribution-method.js';
import { usesKernelPrecomputation } from '../../attribution/kernel-precomputation.js';
import type { SigningKey } from '../../evidence/signing-key.js';
import type { GraphClient } from '../../graph/connection.js';
import { loadKernelCache, saveKernelCache } from '../../models/kernel-cache-store.js';
import { type AttributionRequest, computeAttribution } from './compute-attribution.js';
import { fileSharesOf } from './file-shares.js';
import { readAttributionInputs } from './read-attribution-inputs.js';
import { type AttributionWriteCounts, writeAttributionResult } from './write-attribution-result.js';

/** What an attribution job runs with: the worker's graph client and home, and the job's identity. */
export interface AttributionJobConfig {
  client: GraphClient;
  /** TRACEPROP_HOME: model artifacts and run matrices are read from it. */
  home: ArtifactHome;
  jobId: string;
  /** 1-based attempt. */
  attempt: number;
  /** Reports progress (0–100) and the current stage. */
  progress: (percent: number, stage: string) => Promise<void>;
  /** Signs the job's `attribution` statement (docs/evidence.md). Absent: nothing is signed. */
  signingKey?: SigningKey;
  /** Reports a problem that does not fail the job (e.g. a kernel cache that could not be used). */
  warn?: (message: string) => void;
}

/** What an attribution job is asked (its validated payload): the model and what to explain. */
export interface AttributionJobRequest {
  modelId: string;
  samples: AttributionRequest['samples'];
  top: number;
  method: AttributionMethod;
  /** Explain a seeded random sample of this many of the selected predictions. */
  sampleSize?: number;
}

/** The return value of an attribution job (shown by `jobs show` and `attribute --wait`). */
export interface AttributionJobResult extends AttributionWriteCounts {
  modelId: string;
  runId: string;
  method: string;
  top: number;
  trainRows: number;
  /** False when an earlier attempt had already written the results (nothing written now). */
  committed: boolean;
  committedAt: string;
  computeSeconds: number;
  /**
   * Wall seconds of the job's phases: reading the model, run matrix and erased samples
   * (`inputs`), scoring (`compute`, as `computeSeconds`), the exactly-once write-back (`write`).
   */
  phaseSeconds: { inputs: number; compute: number; write: number };
  /** Whether the model's kernel precomputation came from its cache (see kernel-cache-store). */
  kernelCacheHit: boolean;
}

/**
 * The attribution job: reads the model (it must be in the graph, else `attribution.unknownModel`,
 * permanent), its artifact and its run's model matrix ({@link readAttributionInputs}), computes
 * the scores ({@link computeAttribution}, in the sandboxed child), and writes them back exactly
 * once ({@link writeAttributionResult}), with its signed `attribution` statement when the config
 * has a signing key.
 */
export async function runAttributionJob(
  config: AttributionJobConfig,
  request: AttributionJobRequest,
): Promise<AttributionJobResult> {
  const { modelId, samples, method, top, sampleSize } = request;
  await config.progress(1, 'model');
  const inputsStarted = performance.now();
  const { artifact, matrix, erasedSamples } = await readAttributionInputs(
    config.client,
    config.home,
    modelId,
  );
  const inputsSeconds = (performance.now() - inputsStarted) / 1000;
  await config.progress(5, 'scoring');
  const started = performance.now();
  const cacheKey = { paramsSha256: artifact.paramsSha256, runMatrixSha256: matrix.sha256 };
  const cached = usesKernelPrecomputation(method)
    ? await loadKernelCache(config.home, modelId, cacheKey, (e) =>
        config.warn?.(`kernel cache not used: ${e.message}`),
      )
    : undefined;
  const result = await computeAttribution(
    artifact,
    matrix,
    { samples, top, method, erasedSamples, ...(sampleSize !== undefined ? { sampleSize } : {}) },
    (fraction) => config.progress(5 + 85 * fraction, 'scoring'),
    cached ? { precomputed: cached } : {},
  );
  const computeSeconds = (performance.now() - started) / 1000;
  if (!cached && result.precomputed) {
    // Kept for the model's next attribution; a failed save only costs that job the recomputation.
    await saveKernelCache(config.home, modelId, cacheKey, result.precomputed).catch((e: Error) =>
      config.warn?.(`kernel cache not saved: ${e.message}`),
    );
  }
  await config.progress(92, 'writing');
  const writeStarted = performance.now();
  const outcome = await writeAttributionResult(config.client, result, {
    modelId,
    method,
    jobId: config.jobId,
    attempt: config.attempt,
    ...(config.signingKey
      ? {
          evidence: {
            key: config.signingKey,
            facts: {
              jobId: config.jobId,
              modelId,
              runId: artifact.runId,
              method,
              top,
              paramsSha256: artifact.paramsSha256,
              runMatrixSha256: artifact.runMatrixSha256,
              shares: fileSharesOf(result.shares, matrix.sourceFiles ?? []),
              attributedAt: new Date().toISOString(),
            },
          },
        }
      : {}),
  });
  const writeSeconds = (performance.now() - writeStarted) / 1000;
  await config.progress(100, 'done');
  const counts = outcome.result ?? { predictions: 0, influencedBy: 0, sourceShares: 0 };
  return {
    modelId,
    runId: artifact.runId,
    method,
    top,
    trainRows: result.trainRows,
    ...counts,
    committed: outcome.committed,
    committedAt: outcome.committedAt,
    computeSeconds,
    phaseSeconds: { inputs: inputsSeconds, compute: computeSeconds, write: writeSeconds },
    kernelCacheHit: cached !== undefined,
  };
}
