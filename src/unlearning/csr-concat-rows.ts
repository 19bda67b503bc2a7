import type { CsrMatrix } from '../attribution/csr-matrix.js';
import { InputError } from '../errors.js';

/** The rows of `a` followed by the rows of `b` (same column count). */
export function csrConcatRows(a: CsrMatrix, b: CsrMatrix): CsrMatrix {
  if (a.cols !== b.cols) {
    throw new InputError(
      'unlearning.badShape',
      `cannot stack a ${a.cols}-column matrix on a ${b.cols}-column one`,
    );
  }
  const nnzA = a.rowPtr[a.rows];
  const nnzB = b.rowPtr[b.rows];
  const rowPtr = new Uint32Array(a.rows + b.rows + 1);
  rowPtr.set(a.rowPtr.subarray(0, a.rows + 1));
  for (let r = 1; r <= b.rows; r++) rowPtr[a.rows + r] = nnzA + b.rowPtr[r];
  const colIdx = new Uint32Array(nnzA + nnzB);
  colIdx.set(a.colIdx.subarray(0, nnzA));
  colIdx.set(b.colIdx.subarray(0, nnzB), nnzA);
  const values = new Float64Array(nnzA + nnzB);
  values.set(a.values.subarray(0, nnzA));
  values.set(b.values.subarray(0, nnzB), nnzA);
  return { rows: a.rows + b.rows, cols: a.cols, rowPtr, colIdx, values };
}
