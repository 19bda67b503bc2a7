import type { ManagedTransaction } from 'neo4j-driver';
import { TracepropError } from '../../errors.js';
import { type GraphClient, withSession } from '../../graph/connection.js';
import { cypherText } from '../../graph/cypher-library.js';

/** Options of a request that travel on its node (not in the queue payload). */
export interface UnlearningRequestOptions {
  /** Also retrain the gold model and record the comparison. */
  verify: boolean;
  /** Certificate budget (see `newtonRemoval`); default there. */
  budget?: number;
  /** Fewest training rows the update may leave (default `defaults.minTrainingRows`). */
  minTrainingRows?: number;
}

/** What the CLI records when a request is made. */
export interface NewUnlearningRequest extends UnlearningRequestOptions {
  id: string;
  mode: 'drop' | 'recompute';
  /** The target as given (JSON, for the audit trail; erased keys are not repeated elsewhere). */
  target: unknown;
  modelId?: string;
  /** Status to start with: `queued` (default) or `failed` for a request rejected at once. */
  status?: 'queued' | 'failed';
  error?: { code: string; message: string };
}

/** Records an UnlearningRequest node (MERGE by id: recording twice changes nothing more). */
export async function recordUnlearningRequest(
  client: GraphClient,
  request: NewUnlearningRequest,
): Promise<void> {
  await withSession(client, (s) =>
    s.executeWrite((tx) =>
      tx.run(cypherText('write-back', 'unlearning-record-request'), {
        id: request.id,
        status: request.status ?? 'queued',
        mode: request.mode,
        target: JSON.stringify(request.target),
        modelId: request.modelId ?? null,
        verify: request.verify,
        budget: request.budget ?? null,
        minTrainingRows: request.minTrainingRows ?? null,
        error: request.error?.message ?? null,
        errorCode: request.error?.code ?? null,
      }),
    ),
  );
}

/** The options recorded on a request node (defaults when the node does not exist yet). */
export async function readRequestOptions(
  tx: ManagedTransaction,
  id: string,
): Promise<UnlearningRequestOptions> {
  const r = await tx.run(cypherText('jobs/unlearning', 'request-options'), { id });
  if (r.records.length === 0) return { verify: false };
  const budget = r.records[0].get('budget') as number | null;
  const minTrainingRows = r.records[0].get('minTrainingRows') as number | null;
  return {
    verify: r.records[0].get('verify') === true,
    ...(budget === null ? {} : { budget }),
    ...(minTrainingRows === null ? {} : { minTrainingRows: Number(minTrainingRows) }),
  };
}

/** Marks a request `failed` with the error's code and message; nothing else is touched. */
export async function markRequestFailed(
  tx: ManagedTransaction,
  id: string,
  mode: string,
  err: unknown,
): Promise<void> {
  const code = err instanceof TracepropError ? err.code : 'unlearning.failed';
  const message = err instanceof Error ? err.message : String(err);
  await tx.run(cypherText('write-back', 'unlearning-fail-request'), { id, mode, code, message });
}

/** What a completed request recorded (its summary properties), for a redelivered job. */
export interface CompletedRequestRecord {
  summary: Record<string, unknown>;
  /** Version of the model the request produced (or of the unchanged model). */
  version: number | null;
  certificate: string | null;
  metrics: string | null;
}

/**
 * The record of a request that already completed (`null` when it did not): a job delivered again
 * after its write-back committed (its worker died just after) answers from it instead of
 * computing again, since its rows are already erased and its model already superseded.
 */
export async function readCompletedRequest(
  tx: ManagedTransaction,
  id: string,
): Promise<CompletedRequestRecord | null> {
  const r = await tx.run(cypherText('jobs/unlearning', 'completed-request'), { id });
  if (r.records.length === 0) return null;
  const rec = r.records[0];
  const version = rec.get('version') as number | null;
  return {
    summary: rec.get('summary') as Record<string, unknown>,
    version: version === null ? null : Number(version),
    certificate: rec.get('certificate') as string | null,
    metrics: rec.get('metrics') as string | null,
  };
}

/** A request whose rows earlier requests on the same model line had all erased. */
export interface RepeatedRequestRecord {
  id: string;
  mode: string;
  /** The active model, unchanged. */
  modelId: string;
  requestedModelId?: string;
  sourceRows: number;
  /** The completed requests that had erased the rows, oldest first. */
  alreadyErasedBy: string[];
}

/**
 * Completes a repeated request as a no-op inside the caller's (job) transaction: no row, sample
 * or model changes; the request records `alreadyErasedBy` and `repeatOf` (the latest of them).
 */
export async function completeRepeatedRequest(
  tx: ManagedTransaction,
  record: RepeatedRequestRecord,
): Promise<void> {
  await tx.run(cypherText('write-back', 'unlearning-complete-repeated-request'), {
    id: record.id,
    mode: record.mode,
    modelId: record.modelId,
    requestedModelId: record.requestedModelId ?? null,
    sourceRows: record.sourceRows,
    alreadyErasedBy: record.alreadyErasedBy,
    repeatOf: record.alreadyErasedBy[record.alreadyErasedBy.length - 1],
  });
}
