import { matMulAB } from './compute-backend.js';
import { type CsrMatrix, csrToDenseF32T } from './csr-matrix.js';
import { encodePatterns, type PatternEncoding, patternCostPerScore } from './pattern-encoding.js';
import { type ScoreWorkerPool, scoreWorkerPool } from './score-worker-pool.js';

/**
 * How a score product (T×D)·(D×n) runs: `dense` is one Float32 matMul on the wasm backend,
 * `patterns` the pattern-encoded Float64 kernel on worker threads, `auto` picks `patterns` when
 * the training matrix encodes into few look-ups per score (one-hot data such as Adult).
 */
export type ScoreProduct = 'auto' | 'dense' | 'patterns';

/** Options of {@link scaledScoreProduct}. */
export interface ScoreProductOptions {
  /** Default `auto`. */
  product?: ScoreProduct;
  /** Threads of the `patterns` kernel. Default: the process-wide pool. */
  pool?: ScoreWorkerPool;
  /** The training matrix's pattern encoding when already at hand (e.g. loaded with its model). */
  patterns?: PatternEncoding;
}

/**
 * `patterns` is chosen when look-ups per score × this < D: one JS look-up measured ~8× the cost
 * of one wasm SIMD multiply-add per thread (Adult: 6.4 look-ups for D = 105).
 */
export const patternLookupCost = 8;

const encodings = new WeakMap<CsrMatrix, PatternEncoding>();

/**
 * The pattern encoding (with intercept, on SharedArrayBuffers) of a training matrix, computed
 * once per CsrMatrix object: training matrices are never modified in place.
 */
export function trainingPatterns(x: CsrMatrix): PatternEncoding {
  let e = encodings.get(x);
  if (!e) {
    e = encodePatterns(x, true, { shared: true });
    encodings.set(x, e);
  }
  return e;
}

/** Whether the `auto` product would use this encoding (fewer look-ups than dense multiply-adds). */
export function patternsPayOff(enc: PatternEncoding): boolean {
  return patternCostPerScore(enc) * patternLookupCost < enc.cols;
}

/**
 * Scores data[t·n + i] = rowScale[i]·Σⱼ a[t·D + j]·x̃ᵢⱼ, T×n Float32, where x̃ᵢ is row i of `x`
 * with a trailing 1 (the intercept) and `a` is T×D row-major Float64.
 */
export async function scaledScoreProduct(
  a: Float64Array,
  T: number,
  x: CsrMatrix,
  rowScale: Float64Array,
  options: ScoreProductOptions = {},
): Promise<Float32Array> {
  const D = x.cols + 1;
  const product = options.product ?? 'auto';
  if (product !== 'dense') {
    const enc = options.patterns ?? trainingPatterns(x);
    if (product === 'patterns' || patternsPayOff(enc)) {
      return (options.pool ?? scoreWorkerPool()).scores(enc, a, T, rowScale);
    }
  }
  const bt = csrToDenseF32T(x, true, rowScale);
  return matMulAB(Float32Array.from(a), bt, T, x.rows, D);
}
