import type { Frame } from '../lineage/frame.js';

/**
 * Notes on the feature columns that a model will not learn from as they are: a feature missing
 * for every sample, one with the same value for every sample, one missing (NaN, as
 * `toFeatureMatrix` keeps it: impute or standardize it) or infinite for some samples. Reads
 * each column of `frame` once, in memory order.
 */
export function featureWarnings(frame: Frame, names: readonly string[]): string[] {
  const rows = frame.rows;
  const out: string[] = [];
  if (rows === 0) return out;
  for (const name of names) {
    const x = frame.num(name);
    // One tight pass: min and max of the present values (NaN compares false), and the missing
    // count; constant ⇔ min = max. Infinite values are counted only when min or max is one.
    let min = Number.POSITIVE_INFINITY;
    let max = Number.NEGATIVE_INFINITY;
    let missing = 0;
    for (let i = 0; i < rows; i++) {
      const v = x[i];
      if (v < min) min = v;
      if (v > max) max = v;
      if (Number.isNaN(v)) missing++;
    }
    let infinite = 0;
    if (min === Number.NEGATIVE_INFINITY || max === Number.POSITIVE_INFINITY)
      for (let i = 0; i < rows; i++)
        if (x[i] === Number.POSITIVE_INFINITY || x[i] === Number.NEGATIVE_INFINITY) infinite++;
    const f = `feature "${name}"`;
    if (missing === rows) {
      out.push(`${f} is missing for every sample`);
      continue;
    }
    if (min === max)
      out.push(`${f} has the same value (${min}) for every sample${missing > 0 ? ' that has one' : ''}`);
    if (missing > 0)
      out.push(
        `${f} is missing for ${missing} of ${rows} samples (NaN in the matrix; impute or standardize it)`,
      );
    if (infinite > 0) out.push(`${f} is infinite for ${infinite} of ${rows} samples`);
  }
  return out;
}
