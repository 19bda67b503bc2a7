/**
 * Attribution scores of T test points against n training rows, row-major T×n:
 * data[t·n + i] = τ(z_t)_i, positive when training on row i raises the test output f(z_t).
 */
export interface ScoreMatrix {
  /** Test points T. */
  rows: number;
  /** Training rows n. */
  cols: number;
  data: Float32Array;
}

/** The scores of one test point (a view, not a copy). */
export function scoreRow(s: ScoreMatrix, t: number): Float32Array {
  return s.data.subarray(t * s.cols, (t + 1) * s.cols);
}
