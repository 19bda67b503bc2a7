import type { GraphClient } from '../graph/connection.js';
import { cypherText } from '../graph/cypher-library.js';
import { runReadQuery } from '../graph/read-query.js';
import { str } from './report-values.js';

/** What `traceprop report` reports on. */
export const reportKinds = ['model', 'erasure', 'run'] as const;
export type ReportKind = (typeof reportKinds)[number];

/** An id a report can be made for. */
export interface ReportableId {
  id: string;
  status: string | null;
  /** When it was trained, requested or started (ISO). */
  at: string | null;
}

/** The newest `limit` models, erasure requests or runs (`cypher/report/list-ids.cypher`). */
export async function listReportIds(
  client: GraphClient,
  kind: ReportKind,
  limit: number,
): Promise<ReportableId[]> {
  const rows = await runReadQuery(client, cypherText('report', 'list-ids'), { kind, limit });
  return rows.map((r) => ({ id: String(r.id), status: str(r.status), at: str(r.at) }));
}
