import type { ManagedTransaction } from 'neo4j-driver';
import type { ErasureSalt } from '../../erasure/erasure-salt.js';
import { subjectHash } from '../../erasure/subject-hash.js';
import type { UnlearningTarget } from './resolve-target-rows.js';
import { type ResolvedUnlearningRequest, resolveUnlearningRequest } from './resolve-unlearning-request.js';
import type { UnlearningJobInput } from './run-unlearning-job.js';
import type { NewUnlearningRequest } from './unlearning-request-store.js';

/** An erasure request as a caller (the CLI's `unlearn`, the workbench's `POST /api/erasures`) makes it. */
export interface UnlearningRequestSpec {
  requestId: string;
  target: UnlearningTarget;
  mode: 'drop' | 'recompute';
  /** The model to update (default: the active model trained on the affected rows). */
  modelId?: string;
  /** The file name as the caller gave it (recorded beside the pinned content id). */
  fileName?: string;
  verify: boolean;
  budget?: number;
  minTrainingRows?: number;
  /** Queue attribution jobs for the predictions the erasure strips of their attribution. */
  reattribute?: boolean;
}

/** A request checked against the graph: the job's payload and the request node to record. */
export interface PreparedUnlearningRequest {
  input: UnlearningJobInput;
  record: NewUnlearningRequest;
  resolved: ResolvedUnlearningRequest;
}

/**
 * Resolves a request's rows and model in the caller's read transaction before anything is
 * recorded (unknown or ambiguous files, rows out of range, unknown models: refused, nothing
 * written), and pins it: the job gets the file by content id and the model by id, so it resolves
 * the very rows checked here. Without a model, every active model line whose run reaches the
 * rows is updated (`lines`). Keys and subjects erased before are found through `salt`.
 */
export async function prepareUnlearningRequest(
  tx: ManagedTransaction,
  spec: UnlearningRequestSpec,
  salt: ErasureSalt | undefined,
): Promise<PreparedUnlearningRequest> {
  const resolved = await resolveUnlearningRequest(tx, spec.target, spec.modelId, salt, true);
  const pinned: UnlearningTarget = resolved.file
    ? { file: resolved.file.id, rows: spec.target.rows }
    : spec.target;
  const input: UnlearningJobInput = {
    requestId: spec.requestId,
    target: pinned,
    mode: spec.mode,
    modelId: spec.modelId ?? resolved.model.id,
    ...(resolved.lines ? { lines: resolved.lines } : {}),
    ...(spec.reattribute ? { reattribute: true } : {}),
  };
  const record: NewUnlearningRequest = {
    id: spec.requestId,
    mode: spec.mode,
    target: recordedTarget(pinned, resolved, spec.fileName, salt),
    modelId: spec.modelId,
    verify: spec.verify,
    budget: spec.budget,
    minTrainingRows: spec.minTrainingRows,
  };
  return { input, record, resolved };
}

/**
 * The target as the request node records it: a file by content id (with the name given); keys
 * only as their salted hashes, a subject only as its kind and the salted hash of its id (plain
 * keys and ids are not written to the graph, where every trace of them must go with the erasure).
 */
function recordedTarget(
  pinned: UnlearningTarget,
  resolved: { file?: unknown; subjectName?: string },
  fileName: string | undefined,
  salt: ErasureSalt | undefined,
): unknown {
  if (resolved.file) return { ...pinned, fileName };
  if (pinned.keys && salt) {
    // Business keys identify a person as much as a subject id: only their salted hashes are kept.
    const { keys, ...rest } = pinned;
    return { ...rest, keyHashes: keys.map((k) => salt.hmac(`request-key\u0000${k.trim()}`)) };
  }
  if (pinned.subject === undefined || !salt) return pinned;
  const { subject, ...rest } = pinned;
  const name = resolved.subjectName;
  return { ...rest, subjectName: name ?? null, subjectHash: name ? subjectHash(salt, name, subject) : null };
}
