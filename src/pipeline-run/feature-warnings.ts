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
    let missing = 0;
    let infinite = 0;
    let first = Number.NaN;
    let constant = true;
    for (let i = 0; i < rows; i++) {
      const v = x[i];
      // v - v is 0 for a finite v, NaN for NaN and ±Infinity: one test on the common path.
      if (v - v !== 0) {
        if (Number.isNaN(v)) {
          missing++;
          continue;
        }
        infinite++;
      }
      if (Number.isNaN(first)) first = v;
      else if (v !== first) constant = false;
    }
    const f = `feature "${name}"`;
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
