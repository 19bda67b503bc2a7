import type { ManagedTransaction } from 'neo4j-driver';
import { InputError, NotFoundError, UsageError } from '../../errors.js';

/** The model a request updates. */
export interface TargetModel {
  id: string;
  version: number;
  kind: string;
  runId: string;
  paramsSha256: string;
  /** The model the request named, when it was superseded and its active successor was taken. */
  requestedId?: string;
}

const byId = `
MATCH (m:Model {id: $id})
OPTIONAL MATCH (m)-[:TRAINED_ON]->(run:Run)
OPTIONAL MATCH (head:Model {status: 'active'})-[:SUPERSEDES*1..]->(m)
RETURN m.id AS id, m.version AS version, m.kind AS kind, m.status AS status, m.paramsSha256 AS sha, run.id AS runId,
       head.id AS head`;

const bySamples = `
UNWIND $rowIds AS rid
MATCH (:SourceRow {id: rid})<-[:DERIVED_FROM]-(:Sample)-[:OUTPUT_OF]->(run:Run)<-[:TRAINED_ON]-(m:Model {status: 'active'})
RETURN DISTINCT m.id AS id
ORDER BY id`;

/**
 * The model to update: `modelId`, or, without one, the single active model trained on a run that
 * used the target rows. A superseded `modelId` is followed along SUPERSEDES to the active
 * version that descends from it (an erasure applies to the model line, and a request that raced
 * another one lands on the version that one produced); `requestedId` then names the model asked for.
 *
 * @throws NotFoundError `unlearning.unknownModel`; InputError `unlearning.modelNotActive`;
 *   UsageError `unlearning.ambiguousModel` (several active models use the rows: name one).
 */
export async function findTargetModel(
  tx: ManagedTransaction,
  modelId: string | undefined,
  rowIds: string[],
): Promise<TargetModel> {
  let id = modelId;
  if (id === undefined) {
    const candidates = (await tx.run(bySamples, { rowIds })).records.map((r) => r.get('id') as string);
    if (candidates.length === 0)
      throw new NotFoundError(
        'unlearning.unknownModel',
        'no active model was trained on samples derived from these rows; name one with --model',
      );
    if (candidates.length > 1) {
      throw new UsageError(
        'unlearning.ambiguousModel',
        `several active models use these rows (${candidates.join(', ')}); name one with --model`,
      );
    }
    id = candidates[0];
  }
  let result = await tx.run(byId, { id });
  if (result.records.length === 0)
    throw new NotFoundError('unlearning.unknownModel', `model ${id} is not in the graph`);
  let r = result.records[0];
  let requestedId: string | undefined;
  if (r.get('status') !== 'active') {
    const head = r.get('head') as string | null;
    if (!head) {
      throw new InputError(
        'unlearning.modelNotActive',
        `model ${id} is ${r.get('status')} and no active version descends from it; name an active model with --model`,
      );
    }
    requestedId = id;
    id = head;
    result = await tx.run(byId, { id });
    r = result.records[0];
  }
  if (r.get('kind') !== 'logistic-regression') {
    throw new InputError(
      'unlearning.unsupportedModel',
      `model ${id} is a ${r.get('kind')}; only logistic-regression models can be unlearned`,
    );
  }
  const runId = r.get('runId') as string | null;
  if (!runId) throw new NotFoundError('unlearning.unknownModel', `model ${id} has no TRAINED_ON run`);
  return {
    id,
    version: r.get('version') as number,
    kind: r.get('kind') as string,
    runId,
    paramsSha256: r.get('sha') as string,
    ...(requestedId ? { requestedId } : {}),
  };
}
