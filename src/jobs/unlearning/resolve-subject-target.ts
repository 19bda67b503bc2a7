import type { ManagedTransaction } from 'neo4j-driver';
import type { ErasureSalt } from '../../erasure/erasure-salt.js';
import { resolveSubjectRows } from '../../subjects/resolve-subject-rows.js';
import { rowsOfActiveModels, rowsOfOneActiveModel } from './one-active-model.js';
import type { ResolvedTargetRows, TargetScope } from './resolve-target-rows.js';

/**
 * A `--subject` target → the subject's rows: live, or erased and found by their tombstones'
 * salted subject hash (so a repeated request resolves to the rows it erased). With a scope (the
 * target model's run), the rows of the files that run read under the subject its pipeline
 * declares; without one, the rows of the files of the one active model the subject's rows lead
 * to (returned as `modelId`; none: the model is looked for by the rows' samples); with
 * `everyLine`, the rows of the files of every active model they lead to (several: `modelIds`).
 *
 * @throws UsageError `graph.noSubject` (the model's pipeline declares no subject),
 *   `unlearning.ambiguousModel`; NotFoundError `graph.unknownSubject`; TracepropError
 *   `erasure.saltMismatch`.
 */
export async function resolveSubjectTarget(
  tx: ManagedTransaction,
  subject: string,
  scope: TargetScope | undefined,
  salt: ErasureSalt | undefined,
  everyLine = false,
): Promise<ResolvedTargetRows> {
  const found = await resolveSubjectRows(tx, subject, { runId: scope?.runId, salt });
  const every =
    !scope && everyLine ? rowsOfActiveModels(found.rows, 'the rows of this subject are') : undefined;
  const { rows, modelId } = scope
    ? { rows: found.rows, modelId: undefined }
    : every
      ? { rows: every.rows, modelId: every.modelIds.length === 1 ? every.modelIds[0] : undefined }
      : rowsOfOneActiveModel(found.rows, 'the rows of this subject are');
  const names = [...new Set(rows.map((r) => r.subjectName))].sort();
  return {
    rowIds: [...new Set(rows.map((r) => r.id))].sort(),
    ...(modelId ? { modelId } : {}),
    ...(every && every.modelIds.length > 1 ? { modelIds: every.modelIds } : {}),
    ...(names.length === 1 ? { subjectName: names[0] } : {}),
  };
}
