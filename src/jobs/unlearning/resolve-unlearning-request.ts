import type { ManagedTransaction } from 'neo4j-driver';
import type { ErasureSalt } from '../../erasure/erasure-salt.js';
import { activeModelsOfRows, findTargetModel, type TargetModel } from './find-target-model.js';
import {
  type ResolvedTargetRows,
  resolveTargetRows,
  type TargetFile,
  type UnlearningTarget,
} from './resolve-target-rows.js';

/** The rows and the model of a request. */
export interface ResolvedUnlearningRequest {
  /** SourceRow ids, sorted and distinct. */
  rowIds: string[];
  model: TargetModel;
  /** `file` + `rows` targets: the one file the rows belong to. */
  file?: TargetFile;
  /** `subject` targets: what kind of subject the rows belong to (e.g. `client`). */
  subjectName?: string;
  /**
   * With `everyLine`: every active model line whose run reaches the rows (`model` is the first);
   * the request updates them all.
   */
  lines?: string[];
}

/**
 * Resolves a request's rows and model in one read transaction. With `modelId`, the model comes
 * first and the rows resolve only within the files its run read; without one, the rows resolve
 * first (a file name must be unambiguous; keys lead to one active model) and the model is the
 * one active model trained on them; with `everyLine`, several such models are all updated
 * (`lines`) instead of refused as ambiguous (for keys and subjects: every active model whose run
 * read the rows' files). The CLI calls it before recording anything, so a typo or an
 * ambiguous name writes nothing; the job calls it again on the pinned target. Both pass the
 * deployment's erasure `salt` for `--key` targets, so a key erased before resolves to its
 * tombstoned row (and a repeated request is answered with the earlier result).
 *
 * @throws the errors of `resolveTargetRows` and `findTargetModel`.
 */
export async function resolveUnlearningRequest(
  tx: ManagedTransaction,
  target: UnlearningTarget,
  modelId?: string,
  salt?: ErasureSalt,
  everyLine = false,
): Promise<ResolvedUnlearningRequest> {
  if (modelId !== undefined) {
    const model = await findTargetModel(tx, modelId, []);
    const rows = await resolveTargetRows(tx, target, { modelId: model.id, runId: model.runId }, salt);
    return resolved(rows, model);
  }
  const rows = await resolveTargetRows(tx, target, undefined, salt, everyLine);
  const lines = !everyLine
    ? []
    : (rows.modelIds ?? (rows.modelId === undefined ? await activeModelsOfRows(tx, rows.rowIds) : []));
  if (lines.length > 1) return { ...resolved(rows, await findTargetModel(tx, lines[0], [])), lines };
  const model = await findTargetModel(tx, rows.modelId, rows.rowIds);
  return resolved(rows, model);
}

function resolved(rows: ResolvedTargetRows, model: TargetModel): ResolvedUnlearningRequest {
  return {
    rowIds: rows.rowIds,
    model,
    ...(rows.file ? { file: rows.file } : {}),
    ...(rows.subjectName ? { subjectName: rows.subjectName } : {}),
  };
}
