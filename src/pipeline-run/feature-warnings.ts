import type { FeatureMatrix } from '../lineage/feature-matrix.js';

/**
 * Notes on the matrix columns that a model will not learn from as they are: a feature missing
 * for every sample, one with the same value for every sample, one missing (NaN, as
 * `toFeatureMatrix` keeps it: impute or standardize it) or infinite for some samples.
 */
export function featureWarnings(matrix: FeatureMatrix): string[] {
  const { data, rows, cols, names } = matrix;
  const out: string[] = [];
  if (rows === 0) return out;
  for (let j = 0; j < cols; j++) {
    let missing = 0;
    let infinite = 0;
    let first = Number.NaN;
    let constant = true;
    for (let i = 0, at = j; i < rows; i++, at += cols) {
      const v = data[at];
      if (Number.isNaN(v)) {
        missing++;
        continue;
      }
      if (!Number.isFinite(v)) infinite++;
      if (Number.isNaN(first)) first = v;
      else if (v !== first) constant = false;
    }
    const f = `feature "${names[j]}"`;
    if (missing === rows) {
      out.push(`${f} is missing for every sample`);
      continue;
    }
    if (constant)
      out.push(`${f} has the same value (${first}) for every sample${missing > 0 ? ' that has one' : ''}`);
    if (missing > 0)
      out.push(
        `${f} is missing for ${missing} of ${rows} samples (NaN in the matrix; impute or standardize it)`,
      );
    if (infinite > 0) out.push(`${f} is infinite for ${infinite} of ${rows} samples`);
  }
  return out;
}
