import type { CsrMatrix } from './csr-matrix.js';
import type { LogisticKernelPrecomputation } from './kernel-precomputation.js';
import type { LogisticModel } from './logistic-regression.js';

/** Labelled rows: features and binary labels (0/1). */
export interface LabelledRows {
  x: CsrMatrix;
  y: Uint8Array;
}

/** A trained logistic model, its training rows, and the test points to explain. */
export interface LogisticAttributionProblem {
  model: LogisticModel;
  train: LabelledRows;
  test: LabelledRows;
  /** The model's kernel precomputation over `train`, when kept (see `precomputeLogisticKernels`). */
  precomputed?: LogisticKernelPrecomputation;
}
