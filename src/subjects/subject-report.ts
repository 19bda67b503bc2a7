import { type GraphClient, withSession } from '../graph/connection.js';
import { cypherText } from '../graph/cypher-library.js';
import { runReadQuery } from '../graph/read-query.js';
import {
  resolveSubjectRows,
  type SubjectRow,
  type SubjectRows,
  type SubjectScope,
} from './resolve-subject-rows.js';

/** A sample derived from a subject's row. */
interface SubjectSample {
  id: string;
  /** Sample key (absent once an erasure dropped the sample). */
  key: string | null;
  split: 'train' | 'test';
  /** True when an erasure dropped the sample. */
  erased: boolean | null;
  /** The request that re-derived the sample without erased rows (recompute mode). */
  rederivedBy: string | null;
}

/** A run that read a subject's row. */
interface SubjectRun {
  id: string;
  pipeline: string;
  mode: 'op' | 'row';
  status: string;
  /** `row`: the samples derive from the row; `file`: an op-mode run that read its file. */
  via: 'row' | 'file';
  samples: SubjectSample[];
  /** Active models trained on the run. */
  models: { id: string; version: number; kind: string | null }[];
}

/** One row of the subject, with where it went. */
interface SubjectReportRow extends Omit<SubjectRow, 'models'> {
  runs: SubjectRun[];
}

/** What the graph holds of one data subject (a subject access request). */
export interface SubjectReport {
  subject: string;
  run?: SubjectRows['run'];
  rows: SubjectReportRow[];
}

/**
 * Every source row of a data subject ({@link resolveSubjectRows}: live rows by their subject id,
 * erased ones by their tombstones' subject hash) with its file, table, row and key, and per run
 * that read it the samples derived from it and the active models trained on the run
 * (cypher/queries/subject-rows.cypher). Reads only.
 *
 * @throws the errors of {@link resolveSubjectRows} (`graph.notFound`, `graph.noSubject`,
 *   `graph.unknownSubject`, `erasure.saltMismatch`).
 *
 * @example
 * const r = await subjectReport(client, '2', { salt: () => resolveErasureSalt(config) });
 * r.rows.map((row) => `${row.file}:${row.row}`); // ['client.csv:1', 'disp.csv:1']
 */
export async function subjectReport(
  client: GraphClient,
  subject: string,
  scope: SubjectScope = {},
): Promise<SubjectReport> {
  const found = await withSession(
    client,
    (s) => s.executeRead((tx) => resolveSubjectRows(tx, subject, scope)),
    'READ',
  );
  const records = await runReadQuery(client, cypherText('queries', 'subject-rows'), {
    rowIds: found.rows.map((r) => r.id),
    runId: scope.runId ?? null,
  });
  const runsOf = new Map(records.map((r) => [r.id as string, r.runs as SubjectRun[]]));
  return {
    subject: found.subject,
    ...(found.run ? { run: found.run } : {}),
    rows: found.rows.map(({ models: _, ...row }) => ({ ...row, runs: runsOf.get(row.id) ?? [] })),
  };
}
