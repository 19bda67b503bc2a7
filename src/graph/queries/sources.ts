import { NotFoundError } from '../../errors.js';
import type { GraphClient } from '../connection.js';
import { cypherText } from '../cypher-library.js';
import { runReadQuery } from '../read-query.js';
import type { OpSummary } from './op-summary.js';

/** One source row a sample derives from. */
interface SampleSourceRow {
  /** SourceRow id, `<fileId>:<row>`. */
  rowId: string;
  fileId: string;
  /** File name, e.g. `bureau.csv`. */
  file: string;
  table: string;
  /** 0-based data row of the file. */
  row: number;
  /** Business key of the row, when its table has one. */
  key: string | null;
  erased: boolean;
  /** The load op of the sample's run that read the file, and every op downstream of it, by seq. */
  ops: OpSummary[];
}

/** The provenance of one sample. */
export interface SampleSources {
  sampleId: string;
  runId: string;
  /** `op` runs keep no row provenance: `rows` is then empty. */
  mode: 'op' | 'row';
  /** Sorted by table, then row. */
  rows: SampleSourceRow[];
}

/**
 * The source rows a sample was derived from, with the ops that touched each, in one read query
 * (cypher/queries/sample-sources.cypher: sources-of-sample.cypher that also answers for an
 * op-mode sample, so a missing sample needs no second query). Throws `graph.notFound` when there
 * is no such sample.
 *
 * @example
 * const { rows } = await sources(client, `${runId}:s:0`);
 * rows[0]; // { rowId: '9f…:0', file: 'application.csv', table: 'application', row: 0, key: '100002', ops: [...] }
 */
export async function sources(client: GraphClient, sampleId: string): Promise<SampleSources> {
  const records = await runReadQuery(client, cypherText('queries', 'sample-sources'), { sampleId });
  if (records.length === 0) {
    throw new NotFoundError(
      'graph.notFound',
      `no Sample with id ${JSON.stringify(sampleId)} (sample ids look like <runId>:s:<position>)`,
    );
  }
  const runId = records[0].runId as string;
  // An op-mode sample (or one without provenance) comes back as one record with a null fileId.
  if (records[0].fileId === null) return { sampleId, runId, mode: records[0].mode as 'op' | 'row', rows: [] };
  const rows: SampleSourceRow[] = [];
  for (const r of records) {
    const opIds = r.opIds as string[];
    const seqs = r.opSeqs as number[];
    const kinds = r.opKinds as string[];
    const names = r.opNames as string[];
    const fileOps = opIds.map((id, k) => ({ id, seq: seqs[k], kind: kinds[k], name: names[k] }));
    const rowIds = r.rowIds as string[];
    const numbers = r.rows as number[];
    const keys = r.keys as Array<string | null>;
    const erased = r.erased as boolean[];
    for (let k = 0; k < rowIds.length; k++) {
      rows.push({
        rowId: rowIds[k],
        fileId: r.fileId as string,
        file: r.file as string,
        table: r.table as string,
        row: numbers[k],
        key: keys[k] ?? null,
        erased: Boolean(erased[k]),
        ops: fileOps,
      });
    }
  }
  return { sampleId, runId, mode: 'row', rows };
}
