import type { ManagedTransaction, QueryResult } from 'neo4j-driver';
import { NotFoundError, UsageError } from '../errors.js';

/**
 * Which source rows a request erases: SourceRow ids; or a file (name or content id) and 0-based
 * rows; or business keys, optionally restricted to a table or key column (`table` matches
 * either `SourceFile.table` or `SourceFile.keyColumn`).
 */
export interface UnlearningTarget {
  sourceRowIds?: string[];
  file?: string;
  rows?: number[];
  table?: string;
  keys?: string[];
}

const byIds = `
UNWIND $ids AS id
OPTIONAL MATCH (r:SourceRow {id: id})
RETURN id AS asked, r.id AS id`;

const byFileRows = `
UNWIND $rows AS row
OPTIONAL MATCH (f:SourceFile) WHERE f.name = $file OR f.id = $file
OPTIONAL MATCH (r:SourceRow {id: f.id + ':' + toString(toInteger(row))})
RETURN toString(toInteger(row)) AS asked, r.id AS id`;

const byKeys = `
UNWIND $keys AS key
OPTIONAL MATCH (r:SourceRow {key: key})-[:IN_FILE]->(f:SourceFile)
  WHERE $table IS NULL OR f.table = $table OR f.keyColumn = $table
RETURN key AS asked, r.id AS id`;

/**
 * Resolves a target to SourceRow ids (sorted, distinct).
 *
 * @throws NotFoundError `unlearning.unknownRows` naming what matched nothing (erased rows have no
 *   key any more, so a key that was erased is unknown too); UsageError `unlearning.badTarget`.
 */
export async function resolveTargetRows(tx: ManagedTransaction, target: UnlearningTarget): Promise<string[]> {
  let result: QueryResult;
  let what: string;
  if (target.sourceRowIds?.length) {
    result = await tx.run(byIds, { ids: target.sourceRowIds });
    what = 'source rows';
  } else if (target.file && target.rows?.length) {
    result = await tx.run(byFileRows, { file: target.file, rows: target.rows });
    what = `rows of ${target.file}`;
  } else if (target.keys?.length) {
    result = await tx.run(byKeys, { keys: target.keys, table: target.table ?? null });
    what = target.table ? `${target.table} keys` : 'keys';
  } else {
    throw new UsageError(
      'unlearning.badTarget',
      'the request names no source rows: give --file and --rows, or --key COLUMN=VALUE',
    );
  }
  const found = new Set<string>();
  const missing = new Set<string>();
  const matched = new Set<string>();
  for (const record of result.records) {
    const id = record.get('id') as string | null;
    const asked = record.get('asked') as string;
    if (id === null) missing.add(asked);
    else {
      found.add(id);
      matched.add(asked);
    }
  }
  for (const m of matched) missing.delete(m);
  if (missing.size > 0) {
    const list = [...missing].slice(0, 10).join(', ');
    throw new NotFoundError(
      'unlearning.unknownRows',
      `unknown ${what}: ${list}${missing.size > 10 ? ` (and ${missing.size - 10} more)` : ''}`,
    );
  }
  return [...found].sort();
}
