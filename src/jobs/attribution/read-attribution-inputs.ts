import type { ArtifactHome } from '../../artifacts/artifact-home.js';
import { NotFoundError } from '../../errors.js';
import type { GraphClient } from '../../graph/connection.js';
import { cypherText } from '../../graph/cypher-library.js';
import { loadModelArtifact } from '../../models/model-artifact-store.js';
import { loadRunMatrix } from '../../models/run-matrix-store.js';
import type { AttributionInputs } from './compute-attribution.js';

/**
 * Reads what attributing a model needs: checks the Model is in the graph, loads its artifact and
 * its run's model matrix from `<home>`, and reads the run's samples whose data an unlearning
 * request erased (never scored again).
 *
 * @throws NotFoundError `attribution.unknownModel` (permanent) when the model is not in the graph;
 *   the artifact stores' errors when its files are missing or corrupt.
 */
export async function readAttributionInputs(
  client: GraphClient,
  home: ArtifactHome,
  modelId: string,
): Promise<AttributionInputs> {
  const found = await client.driver.executeQuery(
    cypherText('jobs/attribution', 'model-exists'),
    { modelId },
    { database: client.database, routing: 'READ' },
  );
  if (found.records.length === 0) {
    throw new NotFoundError(
      'attribution.unknownModel',
      `model "${modelId}" does not exist in the graph (train one first, or check the id)`,
    );
  }
  const artifact = await loadModelArtifact(home, modelId);
  const matrix = await loadRunMatrix(home, artifact.runId);
  const erased = await client.driver.executeQuery(
    cypherText('jobs/attribution', 'erased-samples'),
    { runId: artifact.runId },
    { database: client.database, routing: 'READ' },
  );
  const erasedSamples = new Set(erased.records[0].get('ids') as string[]);
  return { artifact, matrix, erasedSamples };
}
