import neo4j from 'neo4j-driver';
import { z } from 'zod';
import { NotFoundError } from '../errors.js';
import type { GraphClient } from '../graph/connection.js';
import { cypherText } from '../graph/cypher-library.js';
import { runReadQuery } from '../graph/read-query.js';
import { unknownRun } from './run-summary.js';
import { workbenchLinks as link } from './workbench-links.js';
import { idParam, limitParam, offsetParam } from './workbench-params.js';
import type { WorkbenchQuery } from './workbench-query.js';

/** Most ops a DAG answer lists (pipelines have tens). */
const maxDagOps = 2000;

const params = z.object({
  id: idParam,
  expand: idParam.optional(),
  offset: offsetParam,
  limit: limitParam(100, 1000),
});

/** A node of the collapsed DAG. */
interface DagNode {
  id: string;
  kind: 'file' | 'op' | 'samples';
  label: string;
  [fact: string]: unknown;
}

/** An edge: data flows from `from` to `to`. */
interface DagEdge {
  from: string;
  to: string;
  /** `read` (file → load op), `after` (input op → op), `output` (last op → samples). */
  kind: 'read' | 'after' | 'output';
  /** For `after`: the input's place in the op's input list (0 = left side of a join). */
  position?: number;
}

/** An op as cypher/workbench/run-dag.cypher returns it. */
interface RawOp {
  id: string;
  seq: number;
  kind: string;
  name: string;
  step: string | null;
  columns: string | null;
  inputs: string[];
  fileId: string | null;
}

/** A file as cypher/workbench/run-dag.cypher returns it. */
interface RawFile {
  id: string;
  name: string;
  table: string;
  rows: number | null;
  keyColumn: string | null;
  rowsUsed: number;
  samples: number;
  erasedRows: number;
}

/**
 * A run's lineage DAG, collapsed per file (cypher/workbench/run-dag.cypher): nodes for the files
 * it read (rows, rows the row provenance uses, samples fed, erased rows), its ops (kind, name,
 * step, column lineage) and one node for its samples (per split); edges file → load op, input op
 * → op, last ops → samples; and the feature → source column lineage the run recorded. With
 * `expand=<fileId>`, also that file's rows (cypher/workbench/run-file-rows.cypher) from `offset`,
 * at most `limit`, each with the run's samples derived from it; an erased row is its skeleton (no
 * key), and `truncated` says more rows follow. Throws `workbench.unknownRun`, or
 * `workbench.unknownFile` when the run read no file with the `expand` id.
 */
export const runDag: WorkbenchQuery<z.output<typeof params>> = {
  name: 'run-dag',
  path: '/api/runs/:id/dag',
  summary:
    "A run's lineage DAG (files → ops → samples, collapsed per file, with column lineage); expand=<fileId> lists a file's rows",
  params,
  async run(client: GraphClient, { id, expand, offset, limit }) {
    const [r] = await runReadQuery(client, cypherText('workbench', 'run-dag'), {
      runId: id,
      maxOps: neo4j.int(maxDagOps),
    });
    if (!r) throw unknownRun(id);
    const run = r.run as {
      id: string;
      pipeline: string;
      mode: string;
      status: string;
      featureColumns?: string;
    };
    const ops = r.ops as RawOp[];
    const files = r.files as RawFile[];
    const samplesNode = `${id}:samples`;
    const nodes: DagNode[] = [
      ...files.map((f) => ({
        id: f.id,
        kind: 'file' as const,
        label: f.name,
        name: f.name,
        table: f.table,
        rows: f.rows,
        keyColumn: f.keyColumn,
        rowsUsed: f.rowsUsed,
        samples: f.samples,
        erasedRows: f.erasedRows,
        links: { expand: link.runFile(id, f.id) },
      })),
      ...ops.map((o) => ({
        id: o.id,
        kind: 'op' as const,
        label: `${o.seq} ${o.kind} ${o.name}`,
        seq: o.seq,
        opKind: o.kind,
        name: o.name,
        step: o.step ?? null,
        columns: parseJson(o.columns),
      })),
      {
        id: samplesNode,
        kind: 'samples',
        label: `${(r.trainSamples as number) + (r.testSamples as number)} samples`,
        train: r.trainSamples,
        test: r.testSamples,
      },
    ];
    const edges: DagEdge[] = [];
    const consumed = new Set<string>();
    for (const o of ops) {
      if (o.fileId) edges.push({ from: o.fileId, to: o.id, kind: 'read' });
      o.inputs.forEach((input, position) => {
        consumed.add(input);
        edges.push({ from: input, to: o.id, kind: 'after', position });
      });
    }
    for (const o of ops) if (!consumed.has(o.id)) edges.push({ from: o.id, to: samplesNode, kind: 'output' });
    const answer: Record<string, unknown> = {
      run: { id: run.id, pipeline: run.pipeline, mode: run.mode, status: run.status },
      nodes,
      edges,
      features: featureLineage(run.featureColumns),
      opsTruncated: (r.opCount as number) > ops.length,
    };
    if (expand !== undefined) answer.expanded = await fileRows(client, id, expand, offset, limit);
    return answer;
  },
};

/** The rows of one file of the run, from `offset`, at most `limit` (one more is read to tell `truncated`). */
async function fileRows(client: GraphClient, runId: string, fileId: string, offset: number, limit: number) {
  const [r] = await runReadQuery(client, cypherText('workbench', 'run-file-rows'), {
    runId,
    fileId,
    offset: neo4j.int(offset),
    limit: neo4j.int(limit + 1),
  });
  if (!r) {
    throw new NotFoundError(
      'workbench.unknownFile',
      `run ${JSON.stringify(runId)} read no source file ${JSON.stringify(fileId)} (expand takes a file node id of the run's DAG)`,
    );
  }
  const rows = r.rows as Array<{
    id: string;
    row: number;
    erased: boolean;
    key: string | null;
    samples: number;
  }>;
  return {
    file: r.file,
    rowCount: r.rowCount,
    offset,
    rows: rows
      .slice(0, limit)
      .map((row) =>
        row.erased
          ? { id: row.id, row: row.row, erased: true, samples: row.samples }
          : { ...row, links: { impact: link.sourceRowImpact(row.id) } },
      ),
    truncated: rows.length > limit,
  };
}

/** `Run.featureColumns` (JSON: feature → source columns `table.column`) as a list, or [] when absent. */
function featureLineage(json: string | undefined): { feature: string; sources: string[] }[] {
  const parsed = parseJson(json ?? null);
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return [];
  return Object.entries(parsed as Record<string, unknown>).map(([feature, sources]) => ({
    feature,
    sources: Array.isArray(sources) ? sources.map(String) : [],
  }));
}

function parseJson(text: string | null): unknown {
  if (typeof text !== 'string') return null;
  try {
    return JSON.parse(text);
  } catch {
    return { raw: text };
  }
}
