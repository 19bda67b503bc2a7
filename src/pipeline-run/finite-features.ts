import { InputError } from '../errors.js';
import type { FeatureMatrix } from '../lineage/feature-matrix.js';

/** A matrix column with cells a model cannot use. */
interface NonFiniteFeature {
  name: string;
  /** Samples where it is missing (NaN). */
  missing: number;
  /** Samples where it is ±Infinity. */
  infinite: number;
  /** Key of the first such sample. */
  firstKey: string;
}

/** How many features the message of {@link assertFiniteFeatures} names at most. */
const namedAtMost = 8;

/**
 * Refuses a model matrix that is not finite everywhere, before anything is saved or written: a
 * feature the pipeline leaves missing (NaN: a left join without a match, a missing source value,
 * a division by zero, `log` of a non-positive number, with no `impute` step or `coalesce` after
 * it) or infinite would only fail later, when a model is trained on the run (`models.badMatrix`).
 * The error names every such feature (up to 8), how many samples and the first sample's key, and
 * the fix.
 *
 * @throws InputError `pipeline.missingFeatureValues`.
 * @example
 * assertFiniteFeatures(result.matrix, result.keys, { pipeline: 'berka-loans', key: 'loan_id' });
 * // pipeline berka-loans: feature owner_age is missing for 12 of 682 samples (first: loan_id = 5314) …
 */
export function assertFiniteFeatures(
  matrix: FeatureMatrix,
  keys: readonly string[],
  where: { pipeline: string; key: string },
): void {
  const bad = nonFiniteFeatures(matrix, keys);
  if (bad.length === 0) return;
  const rows = matrix.rows;
  const described = bad.slice(0, namedAtMost).map((f) => {
    const what = [
      f.missing > 0 ? `missing for ${f.missing}` : '',
      f.infinite > 0 ? `infinite for ${f.infinite}` : '',
    ].filter(Boolean);
    return `${f.name} is ${what.join(' and ')} of ${rows} samples (first: ${where.key} = ${f.firstKey})`;
  });
  const more = bad.length > namedAtMost ? `; and ${bad.length - namedAtMost} more features` : '';
  const missing = bad.filter((f) => f.missing > 0).map((f) => f.name);
  const infinite = bad.filter((f) => f.infinite > 0).map((f) => f.name);
  const fixes = [
    missing.length > 0
      ? `add an impute step for ${missing.join(', ')} (after the split, e.g. strategy median), or fill ${missing.length === 1 ? 'it' : 'them'} in a derive step, e.g. ${missing[0]}: coalesce(${missing[0]}, 0)`
      : '',
    infinite.length > 0
      ? `bound ${infinite.join(', ')} where ${infinite.length === 1 ? 'it is' : 'they are'} derived (e.g. clip(x, lo, hi))`
      : '',
  ].filter(Boolean);
  throw new InputError(
    'pipeline.missingFeatureValues',
    `pipeline ${where.pipeline}: expected a finite number for every sample and feature (a model cannot be trained otherwise), but feature ${described.join('; feature ')}${more}. Fix the pipeline file: ${fixes.join('; ')}`,
  );
}

/** The features that are missing or infinite for some sample, in column order. */
function nonFiniteFeatures(matrix: FeatureMatrix, keys: readonly string[]): NonFiniteFeature[] {
  const { data, rows, cols, names } = matrix;
  const out: NonFiniteFeature[] = [];
  for (let j = 0; j < cols; j++) {
    let missing = 0;
    let infinite = 0;
    let first = -1;
    for (let i = 0, at = j; i < rows; i++, at += cols) {
      const v = data[at];
      if (Number.isFinite(v)) continue;
      if (Number.isNaN(v)) missing++;
      else infinite++;
      if (first < 0) first = i;
    }
    if (first >= 0) out.push({ name: names[j], missing, infinite, firstKey: keys[first] });
  }
  return out;
}
