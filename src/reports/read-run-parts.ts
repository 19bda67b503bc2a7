import type { GraphClient } from '../graph/connection.js';
import { cypherText } from '../graph/cypher-library.js';
import { runReadQuery } from '../graph/read-query.js';
import type {
  ClassCount,
  ReportGuarantee,
  ReportOp,
  ReportRun,
  ReportSourceFile,
  ReportSplit,
  ReportStatement,
} from './report-types.js';
import { bool, jsonObject, num, str } from './report-values.js';

/** The source files a run read (`cypher/report/run-sources.cypher`). */
export async function readRunSources(client: GraphClient, runId: string): Promise<ReportSourceFile[]> {
  const rows = await runReadQuery(client, cypherText('report', 'run-sources'), { runId });
  return rows.map((r) => ({
    sha256: String(r.id),
    name: String(r.name),
    path: str(r.path),
    table: str(r.table),
    rows: num(r.rows),
    erasedRows: num(r.erasedRows) ?? 0,
    keyColumn: str(r.keyColumn),
    subjectName: str(r.subjectName),
  }));
}

/** A run's ops, its split and the imputations its ops record (`cypher/report/run-ops.cypher`). */
export async function readRunOps(
  client: GraphClient,
  runId: string,
): Promise<{ ops: ReportOp[]; split: ReportSplit | null; imputation: { op: string; policy: string }[] }> {
  const rows = await runReadQuery(client, cypherText('report', 'run-ops'), { runId });
  let split: ReportSplit | null = null;
  const imputation: { op: string; policy: string }[] = [];
  const ops = rows.map((r) => {
    const params = jsonObject(r.params) ?? {};
    const name = String(r.name);
    if (r.kind === 'split' && !split)
      split = {
        testFraction: num(params.testFraction),
        seed: num(params.seed),
        train: num(params.train),
        test: num(params.test),
        key: str(params.key),
      };
    if (typeof params.missing === 'string') imputation.push({ op: name, policy: params.missing });
    return { seq: num(r.seq) ?? 0, kind: String(r.kind), name, step: str(r.step) };
  });
  return { ops, split, imputation };
}

/** Samples of a run per split and label (`cypher/report/run-class-balance.cypher`). */
export async function readClassBalance(client: GraphClient, runId: string): Promise<ClassCount[]> {
  const rows = await runReadQuery(client, cypherText('report', 'run-class-balance'), { runId });
  return rows.map((r) => ({
    split: String(r.split),
    label: num(r.label),
    erased: r.erased === true,
    samples: num(r.samples) ?? 0,
  }));
}

/** The logged statements about the given ids (`cypher/report/statements-about.cypher`). */
export async function readStatements(client: GraphClient, refs: string[]): Promise<ReportStatement[]> {
  if (refs.length === 0) return [];
  const rows = await runReadQuery(client, cypherText('report', 'statements-about'), { refs });
  return rows.map((r) => ({
    id: String(r.id),
    kind: String(r.kind),
    ref: String(r.ref),
    logIndex: num(r.logIndex) ?? -1,
    at: str(r.at),
  }));
}

/** The run facts of a `Run` node's properties (times read as ISO strings by the query). */
export function reportRun(
  props: Record<string, unknown>,
  startedAt: unknown,
  finishedAt: unknown,
): ReportRun {
  return {
    id: String(props.id),
    pipeline: str(props.pipeline),
    mode: str(props.mode),
    status: str(props.status),
    startedAt: str(startedAt),
    finishedAt: str(finishedAt),
    counts: {
      files: num(props.files),
      ops: num(props.ops),
      sourceRows: num(props.sourceRows),
      samples: num(props.samples),
      provenanceEdges: num(props.provenanceEdges),
    },
    sampleKeyColumn: str(props.sampleKeyColumn),
  };
}

/** The label expression of a declared pipeline's canonical text (`sample.label`), or null. */
export function labelOf(pipelineText: unknown): string | null {
  const spec = jsonObject(pipelineText);
  const sample = jsonObject(spec?.sample);
  return str(sample?.label);
}

/** What an erasure request guarantees, from its recorded properties. */
export function guaranteeOf(request: Record<string, unknown>): ReportGuarantee {
  return {
    mode: str(request.mode),
    fallback: bool(request.fallback),
    gradientResidual: num(request.gradientResidual),
    paramGapClosed: num(request.paramGapClosed),
    epsilon: num(request.certifiedEpsilon),
    delta: num(request.certifiedDelta),
    sigma: num(request.certifiedSigma),
    budgetCharged: num(request.budgetCharged),
    budgetLeft: num(request.budgetLeft),
    certifiedRetrain: bool(request.certifiedRetrain),
    certificate: jsonObject(request.certificate),
  };
}
