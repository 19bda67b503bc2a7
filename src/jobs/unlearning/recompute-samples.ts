import { csrFromDense } from '../../attribution/csr-matrix.js';
import { InputError } from '../../errors.js';
import type { RunMatrix } from '../../models/run-matrix.js';
import { declaredRecipeOfLegacy } from './legacy-credit-risk-recipe.js';
import type { RecomputedSamples, RecomputeErasures } from './recompute-common.js';
import { recomputeDeclaredSamples } from './recompute-declared-samples.js';
import { samplesWithRowsLeft } from './samples-with-rows-left.js';

export type { RecomputedSamples, RecomputeErasures } from './recompute-common.js';

/**
 * Re-derives samples of a run without erased source rows: checks that the run's input files
 * still have the content sha256 recorded in its recipe, re-runs its pipeline file (for a run of
 * the former hand-written credit-risk pipeline, pipelines/credit-risk.yaml) on the rows that reach the affected samples with the
 * erased rows left out (a `filter` op `erased by <request ids>` per table: this request's rows,
 * and every tombstoned row, matched by file and row or by the salted hash of its business key),
 * re-using the original run's fitted state and split so the rows are in the trained model's
 * feature space, and returns the new feature rows of the `samples` (run-matrix rows) that still
 * exist. A sample whose own row was erased has no new row (drop it). When no affected sample
 * derives from any row that is not erased (e.g. a data subject's every row), nothing is re-run:
 * the files are neither read nor hash-checked (no row of them would be used) and every affected
 * sample is dropped (`skipped` says so).
 *
 * @throws InputError `unlearning.noRecipe` (the run matrix was saved without a recipe),
 *   `unlearning.sourceChanged` (an input file is missing or its content changed),
 *   `unlearning.pipelineChanged`; TracepropError `erasure.saltMismatch`.
 */
export async function recomputeSamples(
  matrix: RunMatrix,
  samples: ArrayLike<number>,
  erasures: RecomputeErasures,
): Promise<RecomputedSamples> {
  const started = performance.now();
  const recipe = matrix.recipe;
  if (!recipe) {
    throw new InputError(
      'unlearning.noRecipe',
      `run ${matrix.runId} was saved without its pipeline recipe, so its samples cannot be re-derived; use --mode drop, or re-ingest the files`,
    );
  }
  const sorted = Uint32Array.from(samples).sort();
  if (sorted.length > 0 && samplesWithRowsLeft(matrix, sorted, erasures) === 0) {
    return {
      samples: new Uint32Array(0),
      x: csrFromDense(new Float64Array(0), 0, matrix.features.cols),
      excludedRows: {},
      ops: [],
      skipped: 'every source row of the affected samples is erased: nothing to re-derive, all dropped',
      seconds: (performance.now() - started) / 1000,
    };
  }
  // A run of the former hand-written credit-risk pipeline is re-derived by the shipped file.
  const declared = recipe.format === 'traceprop.recipe/2' ? recipe : declaredRecipeOfLegacy(recipe);
  const out = await recomputeDeclaredSamples(matrix, declared, sorted, erasures);
  return { ...out, seconds: (performance.now() - started) / 1000 };
}
