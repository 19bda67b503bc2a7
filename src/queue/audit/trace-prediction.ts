import neo4j from 'neo4j-driver';
import { NotFoundError } from '../../errors.js';
import type { GraphClient } from '../../graph/connection.js';
import { runReadRecords } from '../../graph/read-query.js';

/** Which prediction to trace: by id, or by the business key of its sample. */
export interface TraceRequest {
  predictionId?: string;
  /** Business key value of the sample (e.g. an SK_ID_CURR); the active model's prediction is used. */
  key?: string;
  /** Restrict to one model (with `key`). */
  modelId?: string;
  /** Top training samples to return (default 10). */
  top?: number;
  /** Attribution method of the edges (default: any). */
  method?: string;
}

/** A source row behind a training sample. */
export interface TraceSourceRow {
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
 * The audit question "why this prediction?" in one read query: the prediction's top training
 * samples (INFLUENCED_BY), their source rows (file, row, key), the ops of the run that produced
 * them, and the attribution share per source file.
 */
export const tracePredictionCypher = `
CALL () {
  MATCH (p:Prediction {id: $predictionId}) RETURN p
  UNION
  MATCH (s:Sample {key: $key})<-[:FOR]-(p:Prediction)-[:BY]->(m:Model)
  WHERE $modelId IS NULL OR m.id = $modelId
  RETURN p ORDER BY CASE m.status WHEN 'active' THEN 0 ELSE 1 END, m.version DESC LIMIT 1
}
WITH p LIMIT 1
MATCH (p)-[:BY]->(m:Model)
OPTIONAL MATCH (p)-[:FOR]->(target:Sample)
CALL (p) {
  OPTIONAL MATCH (p)-[i:INFLUENCED_BY]->(s:Sample) WHERE $method IS NULL OR i.method = $method
  WITH i, s ORDER BY i.rank, i.score DESC LIMIT $top
  CALL (s) {
    OPTIONAL MATCH (s)-[:DERIVED_FROM]->(r:SourceRow)-[:IN_FILE]->(f:SourceFile)
    WITH r, f ORDER BY f.name, r.row
    RETURN collect(CASE WHEN r IS NULL THEN null ELSE {file: f.name, fileId: f.id, table: f.table, row: r.row, key: r.key, erased: coalesce(r.erased, false)} END) AS rows
  }
  RETURN collect(CASE WHEN i IS NULL THEN null ELSE {rank: i.rank, score: i.score, method: i.method, sample: s.id, key: s.key, label: s.label, sourceRows: rows} END) AS influences
}
CALL (p) {
  OPTIONAL MATCH (p)-[sh:SOURCE_SHARE]->(f:SourceFile) WHERE $method IS NULL OR sh.method = $method
  WITH sh, f ORDER BY sh.share DESC
  RETURN collect(CASE WHEN sh IS NULL THEN null ELSE {file: f.name, fileId: f.id, table: f.table, share: sh.share, method: sh.method} END) AS shares
}
CALL (m) {
  OPTIONAL MATCH (m)-[:TRAINED_ON]->(run:Run)
  OPTIONAL MATCH (run)-[:HAS_OP]->(o:Op)
  OPTIONAL MATCH (o)-[:AFTER]->(prev:Op)
  WITH run, o, collect(prev.seq) AS after ORDER BY o.seq
  RETURN run.id AS runId, collect(CASE WHEN o IS NULL THEN null ELSE {seq: o.seq, kind: o.kind, name: o.name, after: after} END) AS ops
}
RETURN p {.id, .score, .label} AS prediction, m {.id, .version, .status} AS model,
       CASE WHEN target IS NULL THEN null ELSE target {.id, .key} END AS sample,
       influences, shares, runId, ops`;

/**
 * Runs {@link tracePredictionCypher} read-only: one auto-commit query in a READ session
 * ({@link runReadRecords}: one round trip, Neo4j refuses writes in read access mode).
 *
 * @throws NotFoundError `trace.noPrediction` when no prediction matches.
 * @example
 * const trace = await tracePrediction(client, { key: '100042', top: 5 });
 */
export async function tracePrediction(client: GraphClient, request: TraceRequest): Promise<PredictionTrace> {
  const params = {
    predictionId: request.predictionId ?? null,
    key: request.key ?? null,
    modelId: request.modelId ?? null,
    method: request.method ?? null,
    top: neo4j.int(Math.max(1, Math.floor(request.top ?? 10))),
  };
  const [record] = await runReadRecords(client, tracePredictionCypher, params);
  if (!record) {
    const what = request.predictionId
      ? `prediction ${request.predictionId}`
      : `a prediction for the sample with key ${request.key}`;
    throw new NotFoundError(
      'trace.noPrediction',
      `found no ${what}${request.modelId ? ` of model ${request.modelId}` : ''} (run \`traceprop attribute\` for the model first)`,
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
