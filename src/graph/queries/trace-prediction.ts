import neo4j from 'neo4j-driver';
import { NotFoundError, UsageError } from '../../errors.js';
import type { GraphClient } from '../connection.js';
import { cypherText } from '../cypher-library.js';
import { runReadQuery, runReadRecords } from '../read-query.js';

/** Which prediction to trace: by id, or by the business key of its sample. */
export interface TraceRequest {
  predictionId?: string;
  /**
   * Business key value of the sample (e.g. an SK_ID_CURR), with `keyColumn`: the prediction of
   * the one active model that holds the sample (or of `modelId`).
   */
  key?: string;
  /** The sample key column `key` is a value of (e.g. `SK_ID_CURR`); required with `key`. */
  keyColumn?: string;
  /** With `key`: the model whose prediction to trace (needed when several models hold the key). */
  modelId?: string;
  /** Top training samples to return (default 10). */
  top?: number;
  /** Attribution method of the edges (default: any). */
  method?: string;
}

/** A source row behind a training sample. */
interface TraceSourceRow {
  file: string;
  fileId: string;
  table: string;
  row: number;
  key: string | null;
  erased: boolean;
}

/** The audit answer for one prediction. */
export interface PredictionTrace {
  prediction: { id: string; score: number | null; label: number | null };
  model: { id: string; version: number | null; status: string | null };
  sample: { id: string; key: string | null } | null;
  /** Top training samples by rank, each with its source rows. */
  influences: {
    rank: number;
    score: number;
    method: string;
    sample: string;
    key: string | null;
    label: number | null;
    sourceRows: TraceSourceRow[];
  }[];
  /** Attribution share per source file, largest first. */
  shares: { file: string; fileId: string; table: string; share: number; method: string }[];
  /** The run the model was trained on and its ops in order (what every sample went through). */
  run: { id: string | null; ops: { seq: number; kind: string; name: string; after: number[] }[] };
}

/**
 * The audit question "why this prediction?" (`cypher/queries/trace-prediction.cypher`), run
 * read-only: one auto-commit query in a READ session
 * ({@link runReadRecords}: one round trip, Neo4j refuses writes in read access mode). A request
 * by key first resolves the prediction ({@link predictionIdForKey}: one more round trip).
 *
 * @throws NotFoundError `trace.noPrediction` when no prediction matches; UsageError
 *   `trace.unknownKeyColumn` / `trace.ambiguousKey` (see {@link predictionIdForKey}).
 * @example
 * const trace = await tracePrediction(client, { keyColumn: 'SK_ID_CURR', key: '100042', top: 5 });
 */
export async function tracePrediction(client: GraphClient, request: TraceRequest): Promise<PredictionTrace> {
  const predictionId =
    request.predictionId ??
    (await predictionIdForKey(client, {
      column: request.keyColumn ?? '',
      key: request.key ?? '',
      modelId: request.modelId,
    }));
  const params = {
    predictionId,
    method: request.method ?? null,
    top: neo4j.int(Math.max(1, Math.floor(request.top ?? 10))),
  };
  const [record] = await runReadRecords(client, cypherText('queries', 'trace-prediction'), params);
  if (!record) {
    await assertPredictionsWritten(client, 'pending-model-of-prediction', { predictionId });
    throw new NotFoundError(
      'trace.noPrediction',
      `found no prediction ${predictionId} (ids are \`<modelId>:<sampleId>\`; \`traceprop cypher predictions-of-model --param modelId=…\` lists a model's)`,
    );
  }
  return {
    prediction: record.get('prediction'),
    model: record.get('model'),
    sample: record.get('sample'),
    influences: record
      .get('influences')
      .map((i: PredictionTrace['influences'][number] & { sourceRows: unknown }) => ({
        ...i,
        key: i.key ?? null,
        label: i.label ?? null,
      })),
    shares: record.get('shares'),
    run: { id: record.get('runId'), ops: record.get('ops') },
  };
}

/**
 * Refuses a trace that would read a model version whose test predictions are not written yet (an
 * erasure's new version before its follow-up `predictions` job ran): an empty answer, or an older
 * version's prediction, would be silently wrong.
 *
 * @throws NotFoundError `models.predictionsPending`.
 */
async function assertPredictionsWritten(
  client: GraphClient,
  query: 'pending-model-of-prediction',
  params: Record<string, unknown>,
): Promise<void> {
  const pending = await runReadQuery(client, cypherText('jobs/predictions', query), params);
  if (pending.length > 0) throw predictionsPendingError(pending);
}

/** `models.predictionsPending` for the versions listed (model id and the count they owe). */
function predictionsPendingError(pending: Record<string, unknown>[]): NotFoundError {
  const models = pending.map((p) => `${p.modelId} (${p.count ?? '?'} predictions)`).join(', ');
  return new NotFoundError(
    'models.predictionsPending',
    `the test predictions of model ${models} are not written yet: the erasure that made this version queued them as a follow-up \`predictions\` job (run \`traceprop worker\`, then trace again; \`traceprop jobs list --queues predictions\` shows it)`,
  );
}

/** A model holding a prediction for a sample key (see {@link predictionIdForKey}). */
interface KeyCandidate {
  predictionId: string;
  modelId: string;
  version: number | null;
  status: string | null;
  runId: string;
}

/**
 * The prediction to trace for the sample whose key column `column` holds `key`: that of
 * `modelId` when given, else of the one active model holding the sample (or the one model, when
 * none holding it is active).
 *
 * @throws UsageError `trace.badKey` without a column or key; `trace.unknownKeyColumn` when no run
 *   keys its samples by `column` (the message lists the key columns that exist);
 *   `trace.ambiguousKey` when several models qualify (it lists them: pass `--model`).
 *   NotFoundError `trace.noPrediction` when no prediction matches.
 */
async function predictionIdForKey(
  client: GraphClient,
  request: { column: string; key: string; modelId?: string },
): Promise<string> {
  const { column, key } = request;
  if (!column || !key)
    throw new UsageError('trace.badKey', 'a trace by key needs a key column and a value (COLUMN=VALUE)');
  const pending = await runReadQuery(client, cypherText('jobs/predictions', 'pending-models-of-key'), {
    column,
    key,
    modelId: request.modelId ?? null,
  });
  const rows = (await runReadQuery(client, cypherText('queries', 'predictions-by-key'), {
    column,
    key,
    modelId: request.modelId ?? null,
  })) as unknown as KeyCandidate[];
  // A version whose predictions are still to be written (and that has none for this sample, e.g.
  // from an attribution job): say so rather than answer nothing or an older version's.
  const ownPrediction = new Set(rows.map((r) => r.modelId));
  const missing = pending.filter((p) => !ownPrediction.has(String(p.modelId)));
  if (missing.length > 0) throw predictionsPendingError(missing);
  if (rows.length === 0) {
    const [known] = await runReadQuery(client, cypherText('queries', 'sample-key-columns'), { column });
    if (!known?.known) {
      const columns = ((known?.keyColumns as string[] | undefined) ?? []).sort();
      throw new UsageError(
        'trace.unknownKeyColumn',
        `--key ${column}=${key}: samples are not keyed by ${column}; ${columns.length ? `the sample key columns are ${columns.join(', ')}` : 'no run records a sample key column yet'}`,
      );
    }
    throw new NotFoundError(
      'trace.noPrediction',
      `found no prediction for the sample with ${column} ${key}${request.modelId ? ` by model ${request.modelId}` : ''} (is the key right, and was the model trained on that sample's run?)`,
    );
  }
  const byModel = new Map<string, KeyCandidate>();
  for (const row of rows) if (!byModel.has(row.modelId)) byModel.set(row.modelId, row);
  const models = [...byModel.values()];
  const active = models.filter((m) => m.status === 'active');
  const candidates = active.length > 0 ? active : models;
  if (candidates.length > 1) {
    const list = candidates
      .map((m) => `${m.modelId} (version ${m.version ?? '?'}, ${m.status ?? 'no status'}, run ${m.runId})`)
      .join('; ');
    throw new UsageError(
      'trace.ambiguousKey',
      `${candidates.length} ${active.length > 0 ? 'active ' : ''}models hold a prediction for the sample with ${column} ${key}: ${list}; name one with --model`,
    );
  }
  return candidates[0].predictionId;
}
