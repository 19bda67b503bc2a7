import neo4j from 'neo4j-driver';
import { defaults } from '../../defaults.js';
import type { CommitOutcome, JobCommit } from '../../graph/commit-job-result.js';
import { cypherText } from '../../graph/cypher-library.js';
import type { PredictionRow } from '../../models/score-rows.js';

/** What a `predictions` job writes for a model version. */
export type PredictionsRecord =
  | { modelId: string; state: 'written'; predictions: PredictionRow[] }
  /** The version's parameters were shredded before its predictions were written: none can be. */
  | { modelId: string; state: 'unavailable'; note: string };

/** What the write-back did: the version's state after it and the predictions it wrote. */
export interface PredictionsWritten {
  /** `written` (or `unavailable`); when the version was no longer `pending`, what it was. */
  state: string | null;
  /** Predictions written now (samples erased meanwhile are left out). */
  written: number;
  /** False when the version was no longer `pending` (nothing was written). */
  changed: boolean;
}

/**
 * Writes a model version's test predictions in ONE exactly-once transaction (`commit`, see
 * `commitJobResult`): write-locks the Model, and when its `predictionsState` is still `pending`,
 * MERGEs the Predictions -[:BY]->Model, -[:FOR]->Sample in batches (samples erased since are left
 * out) and marks the version `written` with the count and time (or `unavailable`, with why). A
 * version not `pending` any more is left as it is. Cypher: `cypher/write-back/predictions-*.cypher`.
 */
export function writePredictionsResult(
  commit: JobCommit,
  record: PredictionsRecord,
): Promise<CommitOutcome<PredictionsWritten>> {
  return commit(async (tx) => {
    const [locked] = (
      await tx.run(cypherText('write-back', 'predictions-lock-model'), { modelId: record.modelId })
    ).records;
    const before = (locked?.get('state') as string | null | undefined) ?? null;
    if (before !== 'pending') return { state: before, written: 0, changed: false };
    let written = 0;
    if (record.state === 'written') {
      const batch = defaults.predictionBatchSize;
      for (let start = 0; start < record.predictions.length; start += batch) {
        const rows = record.predictions.slice(start, start + batch).map((p) => ({
          id: p.id,
          sampleId: p.sampleId,
          score: p.score,
          label: neo4j.int(p.label),
        }));
        const result = await tx.run(cypherText('write-back', 'predictions-batch'), {
          modelId: record.modelId,
          rows,
        });
        written += Number(result.records[0]?.get('written') ?? 0);
      }
    }
    await tx.run(cypherText('write-back', 'predictions-mark'), {
      modelId: record.modelId,
      state: record.state,
      count: neo4j.int(written),
      note: record.state === 'unavailable' ? record.note : null,
    });
    return { state: record.state, written, changed: true };
  });
}
