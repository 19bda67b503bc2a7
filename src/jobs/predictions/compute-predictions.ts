import { splitRows } from '../../models/labelled-rows-of.js';
import type { ModelArtifact } from '../../models/model-artifact-store.js';
import type { RunMatrix } from '../../models/run-matrix.js';
import { type PredictionRow, scoreRows } from '../../models/score-rows.js';

/**
 * The test predictions of a model version: its scored test rows (`testRows`, else every test row
 * of the run) with θ, re-derived samples on their own rows, minus the samples erasures dropped
 * since (`dropped`, by sample id) and rows an erasure scrubbed out of the run matrix since the
 * version was written (their samples were erased or re-derived after it; no prediction of erased
 * data is made). Pure.
 */
export function computePredictions(
  modelId: string,
  artifact: ModelArtifact,
  matrix: RunMatrix,
  dropped: ReadonlySet<string>,
): PredictionRow[] {
  const own = new Set(artifact.replaced?.samples ?? []);
  const scrubbed = matrix.scrubbedRows;
  const rows = Uint32Array.from(
    (artifact.testRows ?? splitRows(matrix, 1)).filter(
      (r) => !dropped.has(matrix.sampleIds[r]) && (own.has(r) || !scrubbed?.has(r)),
    ),
  );
  return scoreRows(modelId, artifact.theta, matrix, rows, artifact.replaced);
}
