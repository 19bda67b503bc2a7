import { NotFoundError } from '../../errors.js';
import type { GraphClient } from '../connection.js';
import { cypherText } from '../cypher-library.js';
import { runReadQuery } from '../read-query.js';
import type { OpSummary } from './op-summary.js';

/** An op of a run, with its parameters and inputs. */
interface RunOp extends OpSummary {
  /** The op's parameters (parsed from the JSON stored on the node). */
  params: Record<string, unknown>;
  /** Ids of the ops whose output it consumes. */
  inputs: string[];
  /** For a load op: the SourceFile it read. */
  fileId: string | null;
  file: string | null;
  /** The declared pipeline step the op implements (runs of a pipeline file), else null. */
  step: string | null;
}

/** The op DAG of a run. */
export interface RunOps {
  runId: string;
  pipeline: string;
  mode: 'op' | 'row';
  status: string;
  /** By seq. */
  ops: RunOp[];
}

/**
 * The ops of a run (cypher/queries/ops-of-run.cypher); `id` may be a Run id or a Sample id
 * (then its run). Throws `graph.notFound` when neither exists.
 */
export async function ops(client: GraphClient, id: string): Promise<RunOps> {
  const records = await runReadQuery(client, cypherText('queries', 'ops-of-run'), { id });
  if (records.length === 0) {
    throw new NotFoundError('graph.notFound', `no Run or Sample with id ${JSON.stringify(id)}`);
  }
  const first = records[0];
  return {
    runId: first.runId as string,
    pipeline: first.pipeline as string,
    mode: first.mode as 'op' | 'row',
    status: first.status as string,
    ops: records.map((r) => ({
      id: r.opId as string,
      seq: r.seq as number,
      kind: r.kind as string,
      name: r.name as string,
      params: parseParams(r.params),
      inputs: r.inputs as string[],
      fileId: (r.fileId as string | null) ?? null,
      file: (r.file as string | null) ?? null,
      step: (r.step as string | null) ?? null,
    })),
  };
}

function parseParams(value: unknown): Record<string, unknown> {
  if (typeof value !== 'string') return {};
  try {
    return JSON.parse(value) as Record<string, unknown>;
  } catch {
    return { raw: value };
  }
}
