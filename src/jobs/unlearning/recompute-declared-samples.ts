import { matchTombstones } from '../../erasure/match-tombstones.js';
import { InputError } from '../../errors.js';
import type { CsvTable } from '../../lineage/read-csv.js';
import type { RunMatrix } from '../../models/run-matrix.js';
import type { DeclaredRecipe } from '../../pipeline-run/declared-recipe.js';
import { readPipelineSources } from '../../pipeline-run/read-pipeline-sources.js';
import { runDeclaredPipeline } from '../../pipeline-run/run-declared-pipeline.js';
import { canonicalPipeline } from '../../pipeline-spec/canonical-pipeline.js';
import { parsePipelineSpec } from '../../pipeline-spec/load-pipeline-spec.js';
import {
  assertUnchanged,
  exclusionsOf,
  type RecomputedSamples,
  type RecomputeErasures,
  replacedRowsOf,
  sha256OfFile,
  sourceRowOf,
  splitByKeyOf,
} from './recompute-common.js';

/**
 * Re-derives samples of a run of a pipeline file: the pipeline is re-read from the recipe's
 * canonical text (its hash checked), its sources re-read from the files the run read (content
 * hashes checked), and the
 * pipeline re-run on only the source rows that reach the affected samples (their row
 * provenance; every row when the run kept none), with the erased rows left out and the run's
 * fitted state and split re-used, so the rows come out as in a full re-run. The restriction
 * follows the provenance, not a shared key column, so a row that reaches a sample through other
 * tables (a card through its disposition and account) is included.
 */
export async function recomputeDeclaredSamples(
  matrix: RunMatrix,
  recipe: DeclaredRecipe,
  sorted: Uint32Array,
  erasures: RecomputeErasures,
): Promise<Omit<RecomputedSamples, 'seconds'>> {
  const pipeline = parsePipelineSpec(recipe.definition.text, `the pipeline of run ${matrix.runId}`);
  const sha = canonicalPipeline(pipeline.spec).sha256;
  if (sha !== recipe.definition.sha256)
    throw new InputError(
      'unlearning.pipelineChanged',
      `run ${matrix.runId}'s pipeline text now reads as a different pipeline (sha256 ${sha}, expected ${recipe.definition.sha256}): this Traceprop version interprets the file differently; use --mode drop`,
    );
  let tables: Map<string, CsvTable>;
  try {
    // The files the run read (a source given another path at ingest was read from there).
    const paths = Object.fromEntries(Object.entries(recipe.files).map(([name, f]) => [name, f.path]));
    tables = await readPipelineSources(pipeline, recipe.dataDir, { paths });
  } catch (err) {
    for (const f of Object.values(recipe.files)) assertUnchanged(f, await sha256OfFile(f));
    throw err;
  }
  for (const [name, f] of Object.entries(recipe.files)) assertUnchanged(f, tables.get(name)?.sha256 ?? null);
  const inputs: Record<string, CsvTable> = Object.fromEntries(tables);
  // Only the rows that reach the samples are re-run, so only their keys are compared with the
  // key-hashed tombstones (one salted hash per row read, not per row of every file).
  const onlyRows = rowsReaching(matrix, sorted);
  const exclude = exclusionsOf(
    matchTombstones(inputs, erasures.tombstones, erasures.salt, erasures.pending, onlyRows),
  );
  const rerun = runDeclaredPipeline(pipeline, tables, {
    mode: 'op',
    excludeRows: exclude.rows as Record<string, number[]>,
    excludedBy: exclude.by as Record<string, string[]>,
    onlyRows,
    reuse: {
      fitted: recipe.fitted,
      splitByKey: splitByKeyOf(matrix),
      featureNames: recipe.featureNames,
      from: `run ${matrix.runId}`,
    },
  });
  const excludedRows: Record<string, number> = {};
  for (const name of tables.keys()) excludedRows[name] = exclude.rows[name]?.length ?? 0;
  return {
    ...replacedRowsOf(matrix, sorted, rerun),
    excludedRows,
    ops: (rerun.lineage?.ops ?? []).map((o) => ({ kind: o.kind, name: o.name })),
  };
}

/**
 * The source rows, per table, that the given samples (run-matrix rows) derive from (their row
 * provenance): the `onlyRows` of the restricted re-run. Undefined when the run kept no row
 * provenance (then every row is re-read).
 */
export function rowsReaching(
  matrix: RunMatrix,
  sorted: Uint32Array,
): Record<string, Set<number>> | undefined {
  const prov = matrix.provenance;
  const files = matrix.sourceFiles;
  if (!prov || !files) return undefined;
  const out: Record<string, Set<number>> = {};
  for (const f of files) out[f.table] = new Set();
  for (const s of sorted) {
    for (let q = prov.offsets[s]; q < prov.offsets[s + 1]; q++) {
      const at = sourceRowOf(files, prov.rowIds[q]);
      if (at) out[at.file.table].add(at.row);
    }
  }
  return out;
}
