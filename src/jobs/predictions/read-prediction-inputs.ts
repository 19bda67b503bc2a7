import type { ArtifactHome } from '../../artifacts/artifact-home.js';
import { hasCode, NotFoundError } from '../../errors.js';
import type { GraphClient } from '../../graph/connection.js';
import { cypherText } from '../../graph/cypher-library.js';
import { runReadQuery } from '../../graph/read-query.js';
import { loadModelArtifact, type ModelArtifact } from '../../models/model-artifact-store.js';
import type { RunMatrix } from '../../models/run-matrix.js';
import { loadRunMatrix } from '../../models/run-matrix-store.js';

/** What a `predictions` job reads, by what it finds. */
export type PredictionInputs =
  /** Written already (a redelivered job, or a version that never waited for them). */
  | { kind: 'done'; modelId: string; state: string | null }
  /** The version's parameters were deleted by a later erasure before its predictions were written. */
  | { kind: 'shredded'; modelId: string; note: string }
  | {
      kind: 'score';
      modelId: string;
      artifact: ModelArtifact;
      matrix: RunMatrix;
      /** Sample ids of the run that erasure requests dropped (never scored again). */
      dropped: ReadonlySet<string>;
    };

/**
 * Reads what the follow-up `predictions` job of a model version needs: the Model node (its run,
 * parameters hash and `predictionsState`), the samples of its run dropped so far, the version's
 * artifact and the run matrix. A version whose predictions are not `pending` is `done` (nothing
 * is read from disk); one whose parameters an erasure shredded meanwhile is `shredded`.
 *
 * @throws NotFoundError `models.predictionsNotFound` when the model is not in the graph; the
 *   artifact stores' errors.
 */
export async function readPredictionInputs(
  client: GraphClient,
  home: ArtifactHome,
  modelId: string,
): Promise<PredictionInputs> {
  const [row] = await runReadQuery(client, cypherText('jobs/predictions', 'model-to-score'), { modelId });
  if (!row)
    throw new NotFoundError(
      'models.predictionsNotFound',
      `model ${modelId} is not in the graph: no predictions to write for it`,
    );
  const state = (row.state as string | null) ?? null;
  if (state !== 'pending') return { kind: 'done', modelId, state };
  try {
    const [artifact, matrix] = await Promise.all([
      loadModelArtifact(home, modelId, String(row.paramsSha256)),
      loadRunMatrix(home, String(row.runId)),
    ]);
    return { kind: 'score', modelId, artifact, matrix, dropped: new Set(row.dropped as string[]) };
  } catch (err) {
    if (!hasCode(err, 'models.shredded')) throw err;
    return { kind: 'shredded', modelId, note: (err as Error).message };
  }
}
