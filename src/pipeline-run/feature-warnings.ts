import type { FeatureMatrix } from '../lineage/feature-matrix.js';
import type { Frame } from '../lineage/frame.js';

/** What the warnings need of a feature column: its present values' range and its missing count. */
export interface FeatureStats {
  /** Smallest present value (`Infinity` when none is present). */
  min: number;
  /** Largest present value (`-Infinity` when none is present). */
  max: number;
  /** Missing (`NaN`) values. */
  missing: number;
}

/**
 * The row-major matrix of the named numeric columns (missing values stay `NaN`, as
 * `toFeatureMatrix` gives it) and, read in the same pass, the {@link FeatureStats} of each column.
 */
export function featureMatrixWithStats(
  frame: Frame,
  names: readonly string[],
): { matrix: FeatureMatrix; stats: FeatureStats[] } {
  const rows = frame.rows;
  const cols = names.length;
  const data = new Float64Array(rows * cols);
  const stats: FeatureStats[] = [];
  for (let j = 0; j < cols; j++) {
    const x = frame.num(names[j]);
    // min and max of the present values (NaN compares false), and the missing count
    let min = Number.POSITIVE_INFINITY;
    let max = Number.NEGATIVE_INFINITY;
    let missing = 0;
    for (let i = 0, at = j; i < rows; i++, at += cols) {
      const v = x[i];
      data[at] = v;
      if (v < min) min = v;
      if (v > max) max = v;
      if (Number.isNaN(v)) missing++;
    }
    stats.push({ min, max, missing });
  }
  return { matrix: { data, rows, cols, names: [...names] }, stats };
}

/**
 * Notes on the feature columns that a model will not learn from as they are: a feature missing
 * for every sample, one with the same value for every sample, one missing (NaN, as
 * `toFeatureMatrix` keeps it: impute or standardize it) or infinite for some samples. `stats`
 * (per name, from {@link featureMatrixWithStats}) saves reading the columns again; without them
 * each column is read once. Infinite values are counted only where min or max is infinite.
 */
export function featureWarnings(
  frame: Frame,
  names: readonly string[],
  stats: readonly FeatureStats[] = names.map((n) => statsOf(frame.num(n))),
): string[] {
  const rows = frame.rows;
  const out: string[] = [];
  if (rows === 0) return out;
  names.forEach((name, j) => {
    const { min, max, missing } = stats[j];
    let infinite = 0;
    if (min === Number.NEGATIVE_INFINITY || max === Number.POSITIVE_INFINITY) {
      const x = frame.num(name);
      for (let i = 0; i < rows; i++)
        if (x[i] === Number.POSITIVE_INFINITY || x[i] === Number.NEGATIVE_INFINITY) infinite++;
    }
    const f = `feature "${name}"`;
    if (missing === rows) {
      out.push(`${f} is missing for every sample`);
      return;
    }
    if (min === max)
      out.push(`${f} has the same value (${min}) for every sample${missing > 0 ? ' that has one' : ''}`);
    if (missing > 0)
      out.push(
        `${f} is missing for ${missing} of ${rows} samples (NaN in the matrix; impute or standardize it)`,
      );
    if (infinite > 0) out.push(`${f} is infinite for ${infinite} of ${rows} samples`);
  });
  return out;
}

function statsOf(x: Float64Array): FeatureStats {
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  let missing = 0;
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    if (v < min) min = v;
    if (v > max) max = v;
    if (Number.isNaN(v)) missing++;
  }
  return { min, max, missing };
}
