import { NotFoundError } from '../../errors.js';
import type { GraphClient } from '../connection.js';
import { cypherText } from '../cypher-library.js';
import { runReadQuery } from '../read-query.js';

/** The declared pipeline a run executed (cypher/queries/run-pipeline.cypher). */
export interface RunPipeline {
  runId: string;
  status: string;
  startedAt: string;
  /** The pipeline's name (from its file). */
  pipeline: string;
  /** Its format, `traceprop.pipeline/1`. */
  format: string;
  /** sha256 (hex) of `text`: runs of the same pipeline share it. */
  sha256: string;
  /** Canonical text: the parsed file as JSON, defaults filled in. */
  text: string;
  /** Runs that used this pipeline (this one included). */
  runs: number;
  /** The run's ops per declared step, in run order. */
  steps: { step: string; ops: number }[];
}

/** A run whose pipeline differs from the previous run's of the same name. */
export interface PipelineChange {
  runId: string;
  startedAt: string;
  pipeline: string;
  sha256: string;
  previousRunId: string;
  previousSha256: string;
}

/**
 * The declared pipeline of a run, or `null` when the run has none (a run of a built-in pipeline
 * such as the credit-risk ingest). Throws `graph.notFound` when there is no such Run.
 */
export async function runPipeline(client: GraphClient, runId: string): Promise<RunPipeline | null> {
  const [row] = await runReadQuery(client, cypherText('queries', 'run-pipeline'), { runId });
  if (row) return row as unknown as RunPipeline;
  const [exists] = await runReadQuery(client, cypherText('ingest', 'run-exists'), { runId });
  if (!exists?.exists) throw new NotFoundError('graph.notFound', `no Run with id ${JSON.stringify(runId)}`);
  return null;
}

/**
 * The complete runs whose declared pipeline differs from the one the run before them (of the same
 * pipeline name) used, oldest first; `pipeline` limits them to one name (null: every name).
 */
export async function pipelineChanges(
  client: GraphClient,
  pipeline: string | null,
): Promise<PipelineChange[]> {
  const rows = await runReadQuery(client, cypherText('queries', 'pipeline-changes'), { pipeline });
  return rows as unknown as PipelineChange[];
}
