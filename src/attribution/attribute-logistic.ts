import type { AttributionMethod } from './attribution-method.js';
import type { LogisticAttributionProblem } from './attribution-problem.js';
import { csrSelectRows, csrToDenseF64 } from './csr-matrix.js';
import { GradientStore, type StoreDtype } from './gradient-store.js';
import { logisticKernelScores } from './hessian-scores.js';
import { logisticPredict } from './logistic-regression.js';
import { randomScores } from './random-scores.js';
import type { ScoreMatrix } from './score-matrix.js';
import type { ScoreProductOptions } from './score-product.js';
import { trakScores } from './trak-scores.js';

/** Options of {@link attributeLogistic}. */
export interface AttributeOptions extends ScoreProductOptions {
  /** Seed for `random` and for the `ll` projections. Default 0. */
  seed?: number;
  /** `ll`: projected dimension (never above the parameter count). */
  k?: number;
  /** `ll`: storage precision. Default float32. */
  dtype?: StoreDtype;
  /** `ll`: number of projections averaged. Default 1. */
  ensemble?: number;
  /** `ll`: ridge of the kernel ΦᵀΦ + λI. Default n·λ of the model. */
  kernelLambda?: number;
  /** `ll`: memory cap / file of the store (see GradientStore). */
  memoryCapBytes?: number;
  storePath?: string;
}

/**
 * Scores of the test points against all training rows of a logistic model, T×n.
 * For `ll` the "last layer" of logistic regression is the whole model: φᵢ = ±x̃ᵢ (output
 * gradient of the correct-class margin), Qᵢ = 1 − p(correct class).
 */
export async function attributeLogistic(
  problem: LogisticAttributionProblem,
  method: AttributionMethod,
  options: AttributeOptions = {},
): Promise<ScoreMatrix> {
  switch (method) {
    case 'ns':
      return logisticKernelScores(problem, 'hessianLeverage', options);
    case 'if':
      return logisticKernelScores(problem, 'hessian', options);
    case 'graddot':
      return logisticKernelScores(problem, 'identity', options);
    case 'random':
      return randomScores(problem.test.x.rows, problem.train.x.rows, options.seed ?? 0);
    case 'll':
      return llLogistic(problem, options);
  }
}

async function llLogistic(
  problem: LogisticAttributionProblem,
  options: AttributeOptions,
): Promise<ScoreMatrix> {
  const { model, train, test } = problem;
  const n = train.x.rows;
  const D = model.features + 1;
  const p = logisticPredict(model, train.x);
  const q = new Float64Array(n);
  for (let i = 0; i < n; i++) q[i] = train.y[i] ? 1 - p[i] : p[i];
  const phiTest = signedRows(csrToDenseF64(test.x, true), test.y, D);
  const members = [];
  const ensemble = options.ensemble ?? 1;
  for (let e = 0; e < ensemble; e++) {
    const store = GradientStore.create({
      inputDim: D,
      k: options.k,
      seed: (options.seed ?? 0) + e,
      dtype: options.dtype,
      memoryCapBytes: options.memoryCapBytes,
      path: options.storePath ? `${options.storePath}.${e}` : undefined,
    });
    const step = 4096;
    for (let s = 0; s < n; s += step) {
      const c = Math.min(step, n - s);
      const rows = Array.from({ length: c }, (_, r) => s + r);
      const sub = csrSelectRows(train.x, rows);
      store.append(signedRows(csrToDenseF64(sub, true), train.y.subarray(s, s + c), D), c);
    }
    members.push({ store, testFeatures: store.project(phiTest, test.x.rows), q });
  }
  try {
    return await trakScores(members, options.kernelLambda ?? n * model.lambda);
  } finally {
    for (const m of members) m.store.close();
  }
}

/** Multiplies row r of a dense n×D array by ±1 (the sign of its correct class). */
function signedRows(x: Float64Array, y: Uint8Array, D: number): Float64Array {
  for (let r = 0; r < y.length; r++) if (!y[r]) for (let j = 0; j < D; j++) x[r * D + j] = -x[r * D + j];
  return x;
}
