import type { ManagedTransaction } from 'neo4j-driver';
import { InputError, NotFoundError, UsageError } from '../../errors.js';
import { cypherText } from '../../graph/cypher-library.js';

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
    const candidates = await activeModelsOfRows(tx, rowIds);
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
  let result = await tx.run(cypherText('jobs/unlearning', 'target-model'), { id });
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
    result = await tx.run(cypherText('jobs/unlearning', 'target-model'), { id });
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

/** The active models trained on a run with samples derived from the rows (sorted ids). */
export async function activeModelsOfRows(tx: ManagedTransaction, rowIds: string[]): Promise<string[]> {
  return (await tx.run(cypherText('jobs/unlearning', 'active-models-of-rows'), { rowIds })).records.map(
    (r) => r.get('id') as string,
  );
}
