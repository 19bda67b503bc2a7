import { TracepropError } from '../errors.js';

/**
 * Cholesky factorisation of a symmetric positive-definite d×d matrix (row-major Float64),
 * returning the lower factor L with A = L·Lᵀ (upper triangle zero). The input is not modified.
 *
 * @throws TracepropError `attribution.notPositiveDefinite` when a pivot is ≤ 0.
 */
export function choleskyFactor(a: Float64Array, d: number): Float64Array {
  const l = new Float64Array(d * d);
  for (let j = 0; j < d; j++) {
    let diag = a[j * d + j];
    const lj = j * d;
    for (let k = 0; k < j; k++) diag -= l[lj + k] * l[lj + k];
    if (!(diag > 0)) {
      throw new TracepropError(
        'attribution.notPositiveDefinite',
        `matrix is not positive definite (pivot ${j} = ${diag}); increase lambda`,
      );
    }
    const ljj = Math.sqrt(diag);
    l[lj + j] = ljj;
    for (let i = j + 1; i < d; i++) {
      const li = i * d;
      let s = a[li + j];
      for (let k = 0; k < j; k++) s -= l[li + k] * l[lj + k];
      l[li + j] = s / ljj;
    }
  }
  return l;
}

/** Solves L·Lᵀ·x = b in place of `b` (length d) given the Cholesky factor L. */
export function choleskySolveInPlace(l: Float64Array, d: number, b: Float64Array): Float64Array {
  for (let i = 0; i < d; i++) {
    let s = b[i];
    const li = i * d;
    for (let k = 0; k < i; k++) s -= l[li + k] * b[k];
    b[i] = s / l[li + i];
  }
  for (let i = d - 1; i >= 0; i--) {
    let s = b[i];
    for (let k = i + 1; k < d; k++) s -= l[k * d + i] * b[k];
    b[i] = s / l[i * d + i];
  }
  return b;
}

/** Inverse of an SPD matrix from its Cholesky factor (row-major d×d, symmetric). */
export function choleskyInverse(l: Float64Array, d: number): Float64Array {
  const inv = new Float64Array(d * d);
  const col = new Float64Array(d);
  for (let j = 0; j < d; j++) {
    col.fill(0);
    col[j] = 1;
    choleskySolveInPlace(l, d, col);
    for (let i = 0; i < d; i++) inv[i * d + j] = col[i];
  }
  return inv;
}
