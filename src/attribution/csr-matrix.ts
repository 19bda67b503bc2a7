import { InputError } from '../errors.js';

/**
 * A sparse row matrix (compressed sparse rows) of Float64 values. One-hot tabular data is
 * mostly zeros, so the Newton fits and Hessians of logistic regression run over the non-zeros.
 */
export interface CsrMatrix {
  rows: number;
  cols: number;
  /** rows+1 offsets into colIdx/values. */
  rowPtr: Uint32Array;
  colIdx: Uint32Array;
  values: Float64Array;
}

/** Builds a CSR matrix from a row-major dense array, dropping exact zeros. */
export function csrFromDense(data: ArrayLike<number>, rows: number, cols: number): CsrMatrix {
  if (data.length !== rows * cols) {
    throw new InputError(
      'attribution.badShape',
      `expected ${rows}×${cols} = ${rows * cols} values, got ${data.length}`,
    );
  }
  let nnz = 0;
  for (let i = 0; i < data.length; i++) if (data[i] !== 0) nnz++;
  const rowPtr = new Uint32Array(rows + 1);
  const colIdx = new Uint32Array(nnz);
  const values = new Float64Array(nnz);
  let p = 0;
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const v = data[r * cols + c];
      if (v !== 0) {
        colIdx[p] = c;
        values[p++] = v;
      }
    }
    rowPtr[r + 1] = p;
  }
  return { rows, cols, rowPtr, colIdx, values };
}

/** The rows `idx` of `m`, in the given order. */
export function csrSelectRows(m: CsrMatrix, idx: ArrayLike<number>): CsrMatrix {
  let nnz = 0;
  for (let k = 0; k < idx.length; k++) nnz += m.rowPtr[idx[k] + 1] - m.rowPtr[idx[k]];
  const rowPtr = new Uint32Array(idx.length + 1);
  const colIdx = new Uint32Array(nnz);
  const values = new Float64Array(nnz);
  let p = 0;
  for (let k = 0; k < idx.length; k++) {
    const r = idx[k];
    for (let q = m.rowPtr[r]; q < m.rowPtr[r + 1]; q++) {
      colIdx[p] = m.colIdx[q];
      values[p++] = m.values[q];
    }
    rowPtr[k + 1] = p;
  }
  return { rows: idx.length, cols: m.cols, rowPtr, colIdx, values };
}

/**
 * Dense row-major Float32 copy with an optional trailing column of ones (the intercept) and an
 * optional per-row scale: out[r, c] = rowScale[r]·x[r, c].
 */
export function csrToDenseF32(m: CsrMatrix, withBias: boolean, rowScale?: ArrayLike<number>): Float32Array {
  const w = m.cols + (withBias ? 1 : 0);
  const out = new Float32Array(m.rows * w);
  for (let r = 0; r < m.rows; r++) {
    const s = rowScale ? rowScale[r] : 1;
    const o = r * w;
    for (let q = m.rowPtr[r]; q < m.rowPtr[r + 1]; q++) out[o + m.colIdx[q]] = s * m.values[q];
    if (withBias) out[o + m.cols] = s;
  }
  return out;
}

/** Dense row-major Float64 copy, optionally with a trailing column of ones. */
export function csrToDenseF64(m: CsrMatrix, withBias: boolean): Float64Array {
  const w = m.cols + (withBias ? 1 : 0);
  const out = new Float64Array(m.rows * w);
  for (let r = 0; r < m.rows; r++) {
    const o = r * w;
    for (let q = m.rowPtr[r]; q < m.rowPtr[r + 1]; q++) out[o + m.colIdx[q]] = m.values[q];
    if (withBias) out[o + m.cols] = 1;
  }
  return out;
}

/**
 * Transposed dense Float32 copy, (cols[+1])×rows: out[c, r] = rowScale[r]·x[r, c], with the
 * intercept row of rowScale last when `withBias`.
 */
export function csrToDenseF32T(m: CsrMatrix, withBias: boolean, rowScale?: ArrayLike<number>): Float32Array {
  const n = m.rows;
  const out = new Float32Array((m.cols + (withBias ? 1 : 0)) * n);
  for (let r = 0; r < n; r++) {
    const s = rowScale ? rowScale[r] : 1;
    for (let q = m.rowPtr[r]; q < m.rowPtr[r + 1]; q++) out[m.colIdx[q] * n + r] = s * m.values[q];
    if (withBias) out[m.cols * n + r] = s;
  }
  return out;
}
