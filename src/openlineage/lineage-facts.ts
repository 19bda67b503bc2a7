import type { GraphClient } from '../graph/connection.js';
import { cypherText } from '../graph/cypher-library.js';
import { runReadQuery } from '../graph/read-query.js';
import { openLineageRunId } from './lineage-names.js';
import type { ParentRun } from './standard-facets.js';

/** A model version as its events name it (cypher/openlineage/run-of-model.cypher). */
export interface ModelFacts {
  modelId: string;
  version: number;
  /** The ingest run it was trained on, and that run's pipeline name. */
  runId: string;
  pipeline: string;
  /** The erasure request that made this version (absent for a version 1: a train job made it). */
  producedBy?: string;
}

/** A signed statement and its transparency-log index. */
export interface StatementRef {
  id: string;
  logIndex: number;
}

/** What an erasure request did (cypher/openlineage/erasure-facts.cypher): ids only, no content. */
export interface ErasureFacts {
  previousModelIds: string[];
  modelIds: string[];
  rowIds: string[];
  /** Each erased row: its id, its file's content sha256 and its Tombstone's salted HMAC hashes. */
  rows: ErasedRowRef[];
  files: { id: string; name: string; path?: string }[];
  statements: StatementRef[];
}

/**
 * An erased source row as events name it (as the erasure statement does): the row id
 * `<file sha256>:<row>`, the file's content sha256, and the salted HMAC-SHA256 hashes its
 * Tombstone keeps of its business key and data subject (when the table has them). Never a key,
 * a subject id or a value: a plain hash of a row would be a guessable fingerprint of personal data.
 */
export interface ErasedRowRef {
  id: string;
  fileSha256: string;
  keyHash?: string;
  subjectHash?: string;
}

/** The OpenLineage job name of an ingest of `pipeline`, and of a train on its runs. */
export const ingestJobName = (pipeline: string): string => `ingest.${pipeline}`;
export const trainJobName = (pipelineOrRun: string): string => `train.${pipelineOrRun}`;
/** Job names of the attribution and erasure jobs (one job each; a run per job id / request). */
export const attributionJobName = 'attribution';
export const erasureJobName = 'erasure';

/** The pipeline name of an ingest run; undefined when there is no such run. */
export async function runPipelineName(client: GraphClient, runId: string): Promise<string | undefined> {
  const [row] = await runReadQuery(client, cypherText('openlineage', 'run-pipeline-name'), { runId });
  return row && typeof row.pipeline === 'string' ? row.pipeline : undefined;
}

/** A model version's run, pipeline and producing request; undefined when there is no such model. */
export async function modelFacts(client: GraphClient, modelId: string): Promise<ModelFacts | undefined> {
  const [row] = await runReadQuery(client, cypherText('openlineage', 'run-of-model'), { modelId });
  if (!row) return undefined;
  return {
    modelId,
    version: Number(row.version ?? 1),
    runId: String(row.runId),
    pipeline: String(row.pipeline ?? row.runId),
    ...(typeof row.producedBy === 'string' ? { producedBy: row.producedBy } : {}),
  };
}

/**
 * The run that made a model version: the erasure request that produced it, else its train job
 * (run id = the model id).
 */
export function producerOf(namespace: string, model: ModelFacts): ParentRun {
  return model.producedBy
    ? { runId: openLineageRunId(model.producedBy), job: { namespace, name: erasureJobName } }
    : { runId: openLineageRunId(model.modelId), job: { namespace, name: trainJobName(model.pipeline) } };
}

/** The signed statements about one ref (a model id, an attribution job id), in log order. */
export async function statementsOf(client: GraphClient, ref: string): Promise<StatementRef[]> {
  const rows = await runReadQuery(client, cypherText('evidence', 'statements-of-ref'), { ref });
  return rows.map((r) => ({ id: String(r.id), logIndex: Number(r.logIndex) }));
}

/** What an erasure request did; undefined when there is no such request. */
export async function erasureFacts(
  client: GraphClient,
  requestId: string,
): Promise<ErasureFacts | undefined> {
  const [row] = await runReadQuery(client, cypherText('openlineage', 'erasure-facts'), { requestId });
  if (!row) return undefined;
  const strings = (v: unknown) => (Array.isArray(v) ? v.filter((x) => x !== null).map(String) : []);
  return {
    previousModelIds: strings(row.previousModelIds),
    modelIds: strings(row.modelIds),
    rowIds: strings(row.rowIds),
    rows: (
      (row.rows ?? []) as {
        id: string;
        fileSha256: string;
        keyHash?: string | null;
        subjectHash?: string | null;
      }[]
    )
      .filter((r) => r?.id)
      .map((r) => ({
        id: r.id,
        fileSha256: r.fileSha256,
        ...(r.keyHash ? { keyHash: r.keyHash } : {}),
        ...(r.subjectHash ? { subjectHash: r.subjectHash } : {}),
      })),
    files: (row.files as { id: string; name: string; path?: string | null }[])
      .filter((f) => f?.id)
      .map((f) => ({ id: f.id, name: f.name, ...(f.path ? { path: f.path } : {}) })),
    statements: (row.statements as { id: string; logIndex: unknown }[])
      .filter((s) => s?.id)
      .map((s) => ({ id: s.id, logIndex: Number(s.logIndex) })),
  };
}
