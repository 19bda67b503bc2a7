import { matchTombstones } from '../../erasure/match-tombstones.js';
import type { RunMatrix } from '../../models/run-matrix.js';
import { readCreditRiskTables, runCreditRiskTransforms } from '../../pipelines/credit-risk-pipeline.js';
import { type CreditRiskRecipe, creditRiskTableNames } from '../../pipelines/credit-risk-recipe.js';
import {
  assertUnchanged,
  exclusionsOf,
  type RecomputedSamples,
  type RecomputeErasures,
  replacedRowsOf,
  sha256OfFile,
  splitByKeyOf,
} from './recompute-common.js';

/**
 * Re-derives samples of a hand-written credit-risk run: the three files (hash-checked) re-read,
 * the transforms re-run on the affected applicants' rows only with the erased rows left out,
 * re-using the run's encoder state and split.
 */
export async function recomputeCreditRiskSamples(
  matrix: RunMatrix,
  recipe: CreditRiskRecipe,
  sorted: Uint32Array,
  erasures: RecomputeErasures,
): Promise<Omit<RecomputedSamples, 'seconds'>> {
  const files = {
    application: recipe.files.application.path,
    bureau: recipe.files.bureau.path,
    previous: recipe.files.previous.path,
  };
  // One pass over each file: the parse hashes what it reads. A parse failure is most likely a
  // changed file, so it is reported as that when the content no longer matches.
  let tables: Awaited<ReturnType<typeof readCreditRiskTables>>;
  try {
    tables = await readCreditRiskTables(files, { labelColumn: recipe.labelColumn });
  } catch (err) {
    for (const t of creditRiskTableNames)
      assertUnchanged(recipe.files[t], await sha256OfFile(recipe.files[t]));
    throw err;
  }
  for (const t of creditRiskTableNames) assertUnchanged(recipe.files[t], tables[t].sha256);
  const exclude = exclusionsOf(
    matchTombstones(
      { application: tables.application, bureau: tables.bureau, previous: tables.previous },
      erasures.tombstones,
      erasures.salt,
      erasures.pending,
    ),
  );
  const onlyKeys = new Set<string>();
  for (const s of sorted) onlyKeys.add(matrix.sampleKeys[s]);
  const rerun = runCreditRiskTransforms(tables, {
    mode: 'op',
    excludeRows: exclude.rows,
    excludedBy: exclude.by,
    reuse: {
      encoder: recipe.encoder,
      featureNames: recipe.featureNames,
      splitByKey: splitByKeyOf(matrix),
      from: `run ${matrix.runId}`,
    },
    onlyKeys,
  });
  return {
    ...replacedRowsOf(matrix, sorted, rerun),
    excludedRows: {
      application: exclude.rows.application?.length ?? 0,
      bureau: exclude.rows.bureau?.length ?? 0,
      previous: exclude.rows.previous?.length ?? 0,
    },
    ops: (rerun.lineage?.ops ?? []).map((o) => ({ kind: o.kind, name: o.name })),
  };
}
