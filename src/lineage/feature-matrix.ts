import type { Frame } from './frame.js';

/** A dense row-major model matrix. */
export interface FeatureMatrix {
  /** Row-major values, `rows × cols`. */
  data: Float64Array;
  rows: number;
  cols: number;
  /** Column names, in order. */
  names: string[];
}

/**
 * Copies numeric columns into a row-major `Float64Array` (missing values stay `NaN`).
 */
export function toFeatureMatrix(frame: Frame, names: readonly string[]): FeatureMatrix {
  const rows = frame.rows;
  const cols = names.length;
  const data = new Float64Array(rows * cols);
  for (let j = 0; j < cols; j++) {
    const x = frame.num(names[j]);
    for (let i = 0, at = j; i < rows; i++, at += cols) data[at] = x[i];
  }
  return { data, rows, cols, names: [...names] };
}
