// Public exports of the attribution engine (listed by hand).

export { type AttributeOptions, attributeLogistic } from './attribute-logistic.js';
export { type AttributionMethod, attributionMethods, parseAttributionMethod } from './attribution-method.js';
export type { LabelledRows, LogisticAttributionProblem } from './attribution-problem.js';
export { choleskyFactor, choleskyInverse, choleskySolveInPlace } from './cholesky.js';
export {
  computeBackendInfo,
  ensureComputeBackend,
  gramAtA,
  matMulAB,
  matMulABt,
  matMulABtJs,
  transposeF32,
} from './compute-backend.js';
export {
  type CsrMatrix,
  csrFromDense,
  csrSelectRows,
  csrToDenseF32,
  csrToDenseF32T,
  csrToDenseF64,
} from './csr-matrix.js';
export { float16Table, fromFloat16Bits, toFloat16Bits } from './float16.js';
export {
  GradientStore,
  type GradientStoreConfig,
  type GradientStoreOpenOptions,
  type StoreChunk,
  type StoreDtype,
} from './gradient-store.js';
export { type LogisticKernel, logisticKernelScores } from './hessian-scores.js';
export { JlProjection } from './jl-projection.js';
export { inverseHessian, kernelDirections, testDirections } from './kernel-directions.js';
export { knnShapley, valuesByFile } from './knn-shapley.js';
export {
  evaluateLds,
  type LdsPreparation,
  type LdsProtocolConfig,
  type LdsReport,
  prepareLds,
  runLds,
} from './lds-harness.js';
export { type LdsResult, ldsFromPredictions, ldsFromScores, subsetPredictions } from './lds-score.js';
export { ldsSubsets } from './lds-subsets.js';
export {
  fitLogisticRegression,
  type LogisticModel,
  type LogisticRegressionConfig,
  logisticHessian,
  logisticLinear,
  logisticMargins,
  logisticObjective,
  logisticPredict,
  logisticSampleGradients,
  sigmoid,
} from './logistic-regression.js';
export {
  encodePatterns,
  type PatternBlock,
  type PatternEncoding,
  type PatternEncodingConfig,
  patternCostPerScore,
} from './pattern-encoding.js';
export { patternChunkRows, patternScoresInto } from './pattern-scores.js';
export { randomScores } from './random-scores.js';
export { type ScoreMatrix, scoreRow } from './score-matrix.js';
export {
  patternLookupCost,
  type ScoreProduct,
  type ScoreProductOptions,
  scaledScoreProduct,
  trainingPatterns,
} from './score-product.js';
export {
  disposeScoreWorkers,
  ScoreWorkerPool,
  type ScoreWorkerPoolConfig,
  scoreWorkerPool,
} from './score-worker-pool.js';
export {
  type FeatureFiles,
  featureFiles,
  featureMass,
  featureSourceShares,
  type SampleFiles,
  type ShareFile,
  sampleFiles,
  sourceShares,
} from './source-shares.js';
export { averageRanks, pearson, spearman } from './spearman.js';
export { type TopK, type TopKOrder, topK } from './top-k.js';
export { type TrakMember, trakScores } from './trak-scores.js';
