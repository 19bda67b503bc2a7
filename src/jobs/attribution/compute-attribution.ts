import { attributeLogistic } from '../../attribution/attribute-logistic.js';
import type { AttributionMethod } from '../../attribution/attribution-method.js';
import { featureGroups, fusedShares, fusedState, fusedTopK } from '../../attribution/fused-attribution.js';
import { kernelDirections, testDirections } from '../../attribution/kernel-directions.js';
import {
  type LogisticKernelPrecomputation,
  precomputeLogisticKernels,
  usesKernelPrecomputation,
} from '../../attribution/kernel-precomputation.js';
import type { LogisticModel } from '../../attribution/logistic-regression.js';
import { scoreRow } from '../../attribution/score-matrix.js';
import { scoreWorkerPool } from '../../attribution/score-worker-pool.js';
import {
  featureFiles,
  featureMass,
  featureSourceShares,
  sampleFiles,
  sourceShares,
} from '../../attribution/source-shares.js';
import { topK } from '../../attribution/top-k.js';
import { InputError, NotFoundError } from '../../errors.js';
import { splitRows } from '../../models/labelled-rows-of.js';
import type { ModelArtifact, SavedModelArtifact } from '../../models/model-artifact-store.js';
import { modelRowsOf } from '../../models/replaced-rows.js';
import type { RunMatrix } from '../../models/run-matrix.js';
import { sampleRowIndex } from '../../models/sample-row-index.js';
import { type PredictionRow, scoreRows } from '../../models/score-rows.js';
import { SeededRandom } from '../../util/seeded-random.js';

/** What to attribute: the samples to explain, top-k and method (see the attribution payload). */
export interface AttributionRequest {
  samples: 'test' | 'all' | string[];
  top: number;
  method: AttributionMethod;
  /** Explain a seeded random sample of this many of the selected predictions ({@link sampleOf}). */
  sampleSize?: number;
  /**
   * Ids of samples whose data was erased (dropped by unlearning): left out of `test` and `all`;
   * naming one explicitly fails with `attribution.erasedSample`.
   */
  erasedSamples?: ReadonlySet<string>;
}

/** What an attribution job reads ({@link readAttributionInputs}). */
export interface AttributionInputs {
  /** The model's artifact, with the sha256 of its parameters file. */
  artifact: ModelArtifact & Pick<SavedModelArtifact, 'paramsSha256'>;
  /** The run matrix, with the content sha256 it was read with. */
  matrix: RunMatrix & { sha256: string };
  /** Ids of the run's samples whose data an unlearning request erased. */
  erasedSamples: ReadonlySet<string>;
}

/** One `(Prediction)-[:INFLUENCED_BY {score, rank, method}]->(Sample)` edge. */
interface InfluenceEdge {
  prediction: string;
  sample: string;
  score: number;
  rank: number;
}

/** How a share was computed: through the features' column lineage, or the samples' rows. */
type ShareBasis = 'features' | 'rows';

/** One `(Prediction)-[:SOURCE_SHARE {share, method, basis, unattributed}]->(SourceFile)` edge. */
export interface ShareEdge {
  prediction: string;
  file: string;
  share: number;
  basis: ShareBasis;
  /**
   * `features` basis: the fraction of the prediction's total |score| mass that went through the
   * intercept or features without lineage to a run file (not in any share); 0 for `rows`.
   */
  unattributed: number;
}

/** The results of an attribution job, ready to write. */
export interface AttributionResult {
  predictions: PredictionRow[];
  influences: InfluenceEdge[];
  shares: ShareEdge[];
  /** Training rows scored against each prediction. */
  trainRows: number;
  /** The kernel precomputation the scores used (given, or computed for a kernel method). */
  precomputed?: LogisticKernelPrecomputation;
}

/** Options of {@link computeAttribution}. */
export interface ComputeAttributionOptions {
  /**
   * The model's kernel precomputation over its training rows (loaded with its artifact). Absent:
   * computed here for the kernel methods, once per job, and returned in the result.
   */
  precomputed?: LogisticKernelPrecomputation;
}

/** Test points per scoring call: bounds the T×n score matrix held at once. */
const chunkSize = 256;

/**
 * Scores the requested samples with the model, attributes each prediction to all training rows
 * with the method, and keeps the top-k training samples and the share per source file.
 * Pure computation (no I/O); `onProgress` gets the fraction done.
 *
 * @throws NotFoundError `attribution.unknownSample` for sample ids not in the run; InputError
 *   `attribution.erasedSample` for ids of erased samples.
 */
export async function computeAttribution(
  artifact: ModelArtifact,
  matrix: RunMatrix,
  request: AttributionRequest,
  onProgress: (fraction: number) => Promise<void> = async () => {},
  options: ComputeAttributionOptions = {},
): Promise<AttributionResult> {
  const explained = sampleOf(
    withoutErased(
      matrix,
      request.samples === 'test' && artifact.testRows
        ? artifact.testRows
        : selectRows(matrix, request.samples),
      request,
    ),
    request.sampleSize,
  );
  const trainIdx = artifact.trainRows;
  // Samples re-derived by recompute-mode unlearning use their new features, not the run matrix's.
  const train = modelRowsOf(matrix, trainIdx, artifact.replaced);
  const model: LogisticModel = {
    theta: artifact.theta,
    features: matrix.features.cols,
    lambda: artifact.lambda,
    trainRows: trainIdx.length,
    iterations: 0,
    gradientNorm: 0,
  };
  const predictions = scoreRows(artifact.modelId, artifact.theta, matrix, explained, artifact.replaced);
  const files = matrix.sourceFiles;
  // Feature basis: split each score over the features (column lineage) when the run has it and
  // the method has the kernel form; otherwise credit each sample's |score| to its rows' files.
  const precomputed =
    options.precomputed ??
    (usesKernelPrecomputation(request.method) ? precomputeLogisticKernels(model, train) : undefined);
  const directions =
    files && matrix.featureColumns
      ? kernelDirections(model, train.x, request.method, precomputed?.inverseHessian)
      : undefined;
  const featureMap =
    directions && files && matrix.featureColumns ? featureFiles(matrix.featureColumns, files) : undefined;
  const fileMap = files && matrix.provenance ? sampleFiles(matrix.provenance, files, trainIdx) : undefined;
  const shareBuffer = new Float64Array(files?.length ?? 0);
  const massBuffer = new Float64Array(model.features + 1);
  const influences: InfluenceEdge[] = [];
  const shares: ShareEdge[] = [];
  const pushInfluences = (prediction: string, best: { index: Uint32Array; score: Float32Array }) => {
    for (let r = 0; r < best.index.length; r++) {
      influences.push({
        prediction,
        sample: matrix.sampleIds[trainIdx[best.index[r]]],
        score: best.score[r],
        rank: r + 1,
      });
    }
  };
  const pushShares = (prediction: string, basis: ShareBasis, unattributed: number) => {
    if (!files) return;
    for (let f = 0; f < files.length; f++) {
      if (shareBuffer[f] > 0)
        shares.push({ prediction, file: files[f].id, share: shareBuffer[f], basis, unattributed });
    }
  };
  // The fused pass: the kernel methods with feature-basis shares never materialise the T×n
  // scores (top-k and the shares per file in one pass over the training rows, exact: see fusedScan).
  const groups =
    precomputed && featureMap && files && fused(request.method)
      ? featureGroups(featureMap, model.features)
      : undefined;
  for (let start = 0; start < explained.length; start += chunkSize) {
    const idx = explained.subarray(start, Math.min(start + chunkSize, explained.length));
    const test = modelRowsOf(matrix, idx, artifact.replaced);
    if (groups && precomputed && files) {
      const a = testDirections(
        test.x,
        request.method === 'graddot' ? null : precomputed.inverseHessian,
        undefined,
        test.y,
      );
      const rowScale = request.method === 'ns' ? precomputed.leverageResiduals : precomputed.residuals;
      const state = await scoreWorkerPool().fused({
        x: train.x,
        rowScale,
        a,
        groups,
        state: fusedState(idx.length, request.top, files.length, true),
      });
      for (let t = 0; t < idx.length; t++) {
        const prediction = predictions[start + t].id;
        pushInfluences(prediction, fusedTopK(state, t));
        const r = fusedShares(state, t, shareBuffer);
        if (r.unattributed < 1) pushShares(prediction, 'features', r.unattributed);
        else if (fileMap) {
          // nothing went through a feature with lineage: the row basis needs the scores
          const one = modelRowsOf(matrix, idx.subarray(t, t + 1), artifact.replaced);
          const scores = await attributeLogistic({ model, train, test: one, precomputed }, request.method);
          sourceShares(scoreRow(scores, 0), fileMap, files.length, shareBuffer);
          pushShares(prediction, 'rows', 0);
        }
      }
      await onProgress(Math.min(1, (start + idx.length) / explained.length));
      continue;
    }
    const scores = await attributeLogistic({ model, train, test, precomputed }, request.method);
    const a = directions?.(test.x);
    const D = model.features + 1;
    for (let t = 0; t < idx.length; t++) {
      const row = scoreRow(scores, t);
      const prediction = predictions[start + t].id;
      pushInfluences(prediction, topK(row, request.top));
      if (!files) continue;
      let basis: ShareBasis | undefined;
      let unattributed = 0;
      if (a && featureMap) {
        featureMass(row, a.subarray(t * D, (t + 1) * D), train.x, massBuffer);
        const r = featureSourceShares(massBuffer, featureMap, files.length, shareBuffer);
        if (r.unattributed < 1) {
          basis = 'features';
          unattributed = r.unattributed;
        }
      }
      if (!basis && fileMap) {
        sourceShares(row, fileMap, files.length, shareBuffer);
        basis = 'rows';
      }
      if (basis) pushShares(prediction, basis, unattributed);
    }
    await onProgress(Math.min(1, (start + idx.length) / explained.length));
  }
  return {
    predictions,
    influences,
    shares,
    trainRows: trainIdx.length,
    ...(precomputed ? { precomputed } : {}),
  };
}

/** The methods whose scores have the kernel form the fused pass computes (`ns`, `if`, `graddot`). */
function fused(method: AttributionMethod): boolean {
  return method === 'ns' || method === 'if' || method === 'graddot';
}

/**
 * A seeded random sample of `size` of the rows, in their order (all of them when `size` is
 * absent or not smaller): the same rows for the same request, so a retried job explains the
 * same predictions.
 */
function sampleOf(rows: Uint32Array, size: number | undefined): Uint32Array {
  if (size === undefined || size >= rows.length) return rows;
  const picked = new SeededRandom(sampleSeed).sample(rows.length, size);
  return Uint32Array.from(picked, (k) => rows[k]);
}

/** Seed of {@link sampleOf} (fixed: the sample depends only on the rows and the size). */
const sampleSeed = 1;

/** The rows minus erased samples; an erased sample named explicitly is an error. */
function withoutErased(matrix: RunMatrix, rows: Uint32Array, request: AttributionRequest): Uint32Array {
  const erased = request.erasedSamples;
  if (!erased || erased.size === 0) return rows;
  if (Array.isArray(request.samples)) {
    const named = request.samples.filter((id) => erased.has(id));
    if (named.length) {
      throw new InputError(
        'attribution.erasedSample',
        `samples whose data was erased by an unlearning request cannot be scored: ${named.slice(0, 5).join(', ')}${named.length > 5 ? ` and ${named.length - 5} more` : ''}`,
      );
    }
    return rows;
  }
  return rows.filter((i) => !erased.has(matrix.sampleIds[i]));
}

function selectRows(matrix: RunMatrix, samples: AttributionRequest['samples']): Uint32Array {
  if (samples === 'test') return splitRows(matrix, 1);
  if (samples === 'all') return Uint32Array.from({ length: matrix.sampleIds.length }, (_, i) => i);
  const position = sampleRowIndex(matrix);
  const missing = samples.filter((id) => !position.has(id));
  if (missing.length) {
    throw new NotFoundError(
      'attribution.unknownSample',
      `samples not in run ${matrix.runId}: ${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ` and ${missing.length - 5} more` : ''}`,
    );
  }
  return Uint32Array.from(samples, (id) => position.get(id) as number);
}
