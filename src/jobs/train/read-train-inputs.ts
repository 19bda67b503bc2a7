import type { ArtifactHome } from '../../artifacts/artifact-home.js';
import { InputError, NotFoundError } from '../../errors.js';
import { type GraphClient, withSession } from '../../graph/connection.js';
import { cypherText } from '../../graph/cypher-library.js';
import { loadRunMatrix } from '../../models/run-matrix-store.js';
import type { TrainInputs } from './compute-train.js';
import { readRunErasures } from './read-run-erasures.js';

/**
 * Reads what training a run needs: checks the Run is in the graph and complete, then loads its
 * saved model matrix from `<home>` and what unlearning requests changed in its samples
 * ({@link readRunErasures}). `progress` hears `5, 'load'` once the run is checked.
 *
 * @throws NotFoundError `models.runNotFound` (no such Run), `models.noRunMatrix`;
 *   InputError `models.runNotComplete`.
 */
export async function readTrainInputs(
  client: GraphClient,
  home: ArtifactHome,
  runId: string,
  progress: (percent: number, stage: string) => Promise<void>,
): Promise<TrainInputs> {
  const status = await withSession(
    client,
    async (s) => {
      const r = await s.executeRead((tx) => tx.run(cypherText('jobs/train', 'run-status'), { runId }));
      return r.records.length ? (r.records[0].get('status') as string | null) : undefined;
    },
    'READ',
  );
  if (status === undefined)
    throw new NotFoundError(
      'models.runNotFound',
      `run ${runId} is not in the graph (see \`traceprop ingest\`)`,
    );
  if (status !== null && status !== 'complete') {
    throw new InputError(
      'models.runNotComplete',
      `run ${runId} is ${status}; only complete runs can be trained on`,
    );
  }
  await progress(5, 'load');
  const matrix = await loadRunMatrix(home, runId);
  // Samples that unlearning dropped stay out; re-derived ones use their re-derived rows.
  const erasures = await readRunErasures(client, home, matrix);
  return { runId, matrix, erasures };
}
