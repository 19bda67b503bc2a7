import { csrFromDense } from '../attribution/csr-matrix.js';
import { InputError } from '../errors.js';
import type { FeatureMatrix } from '../lineage/feature-matrix.js';
import type { LineageRun } from '../lineage/lineage-run.js';
import type { RunMatrix } from './run-matrix.js';

/** A pipeline's output as ingest has it (a `DeclaredRunResult` with its recipe). */
export interface PipelineMatrixOutput {
  matrix: FeatureMatrix;
  labels: Float64Array;
  keys: string[];
  split: Uint8Array;
  lineage?: LineageRun;
  /** The pipeline's recipe (kept in the run matrix for recompute-mode unlearning). */
  recipe?: RunMatrix['recipe'];
  /** Groups of the declared protected attributes, per sample (kept when any is declared). */
  protectedGroups?: RunMatrix['protectedGroups'];
}

/**
 * The Sample node ids the graph writer gives a run's samples: `<runId>:s:<i>` (see
 * `cypher/ingest/create-samples*.cypher`).
 */
function sampleIdsFor(runId: string, count: number): string[] {
  return Array.from({ length: count }, (_, i) => `${runId}:s:${i}`);
}

/**
 * Builds the {@link RunMatrix} to save from a pipeline result and the ids given to its Sample
 * nodes (sample i of the matrix is `sampleIds[i]`; default {@link sampleIdsFor}). A
 * recipe given with the output is kept (recompute-mode unlearning needs it).
 *
 * @example
 * const result = { ...runDeclaredPipeline(pipeline, tables, { mode: 'row' }), recipe };
 * await writeLineageRun(client, result.lineage!);
 * await saveRunMatrix(config.home, runMatrixFromFeatures(result, result.lineage!.runId));
 *
 * @throws InputError `models.badMatrix` when a feature is not finite or the lengths disagree.
 */
export function runMatrixFromFeatures(
  output: PipelineMatrixOutput,
  runId: string,
  sampleIds?: string[],
): RunMatrix {
  const { matrix, labels, keys, split, lineage } = output;
  const n = matrix.rows;
  sampleIds ??= sampleIdsFor(runId, n);
  if (labels.length !== n || keys.length !== n || split.length !== n || sampleIds.length !== n) {
    throw new InputError(
      'models.badMatrix',
      `expected labels, keys, split and sample ids of length ${n} (the matrix rows), got ${labels.length}, ${keys.length}, ${split.length}, ${sampleIds.length}`,
    );
  }
  for (let i = 0; i < matrix.data.length; i++) {
    if (!Number.isFinite(matrix.data[i])) {
      const r = Math.floor(i / matrix.cols);
      throw new InputError(
        'models.badMatrix',
        `feature ${matrix.names[i % matrix.cols]} of sample ${keys[r]} is ${matrix.data[i]}, expected a finite number`,
      );
    }
  }
  const out: RunMatrix = {
    runId,
    features: csrFromDense(matrix.data, n, matrix.cols),
    featureNames: [...matrix.names],
    labels,
    split,
    sampleIds,
    sampleKeys: keys,
  };
  if (lineage?.provenance) out.provenance = lineage.provenance;
  if (output.recipe) out.recipe = output.recipe;
  if (output.protectedGroups?.length) {
    for (const g of output.protectedGroups)
      if (g.values.length !== n)
        throw new InputError(
          'models.badMatrix',
          `protected attribute ${g.name}: expected ${n} groups (one per sample), got ${g.values.length}`,
        );
    out.protectedGroups = output.protectedGroups;
  }
  if (lineage?.featureColumns) {
    const columns = lineage.featureColumns;
    out.featureColumns = matrix.names.map((name) => [...(columns[name] ?? [])]);
  }
  if (lineage) {
    out.sourceFiles = lineage.files.map((f) => ({
      id: f.id,
      name: f.name,
      table: f.table,
      rows: f.rows,
      globalOffset: f.globalOffset,
    }));
  }
  return out;
}
