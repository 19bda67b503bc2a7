import type { ArtifactHome } from '../artifacts/artifact-home.js';
import type { ErasureSalt } from '../erasure/erasure-salt.js';
import { type ErasedRows, matchTombstones, type TombstonedTable } from '../erasure/match-tombstones.js';
import { readTombstones } from '../erasure/read-tombstones.js';
import { UsageError } from '../errors.js';
import { type GraphClient, withSession } from '../graph/connection.js';
import { cypherText } from '../graph/cypher-library.js';
import { runReadQuery } from '../graph/read-query.js';
import { runArtifactsExist } from '../models/run-matrix-store.js';

/** The erased rows an ingest left out (tombstones of earlier erasures). */
export interface ErasedRowsLeftOut {
  /** Rows left out in all. */
  rows: number;
  /** Per logical table (e.g. `bureau`), tables with none omitted. */
  byTable: Record<string, number>;
  /** Of `rows`, those matched only by the salted hash of their business key (a new extract). */
  byKey: number;
  /** The requests that erased them, sorted. */
  requestIds: string[];
}

/**
 * A run id must be a new one: refused (`graph.runExists`, exit 2) before any work when its Run
 * is in the graph or its artifacts are saved (under `home`, or in its shared store).
 */
export async function assertNewRunId(
  client: GraphClient,
  runId: string,
  home: ArtifactHome | undefined,
): Promise<void> {
  const [row] = await runReadQuery(client, cypherText('ingest', 'run-exists'), { runId });
  const inGraph = row?.exists === true;
  if (inGraph || (home !== undefined && (await runArtifactsExist(home, runId)))) {
    throw new UsageError(
      'graph.runExists',
      `a run with id ${runId} exists already${inGraph ? ` (status ${String(row?.status)})` : ' (its artifacts are saved)'}: each ingest needs a new run id (leave --run-id out for a random one)`,
    );
  }
}

/**
 * The tombstoned rows of parsed input tables, by the caller's table names (read before
 * anything is written): a tombstone of a table's file matches its row; a key-hashed one matches
 * every row whose business key hashes the same under `salt`.
 */
export async function findErasedRows<K extends string>(
  client: GraphClient,
  tables: Readonly<Record<K, TombstonedTable>>,
  salt: ErasureSalt,
): Promise<Partial<Record<K, ErasedRows>>> {
  const list = Object.values<TombstonedTable>(tables);
  const tombstones = await withSession(
    client,
    (s) =>
      s.executeRead((tx) =>
        readTombstones(
          tx,
          list.map((t) => t.sha256),
          list.map((t) => t.table),
        ),
      ),
    'READ',
  );
  return matchTombstones(tables, tombstones, salt);
}

/** What an ingest left out, summed over its tables (keyed by logical table name). */
export function summariseLeftOut<K extends string>(
  tables: Readonly<Record<K, { table: string }>>,
  erased: Partial<Record<K, ErasedRows>>,
): ErasedRowsLeftOut {
  const byTable: Record<string, number> = {};
  const requestIds = new Set<string>();
  let rows = 0;
  let byKey = 0;
  for (const name of Object.keys(tables) as K[]) {
    const e = erased[name];
    if (!e) continue;
    byTable[tables[name].table] = e.rows.length;
    rows += e.rows.length;
    byKey += e.byKey;
    for (const id of e.requestIds) requestIds.add(id);
  }
  return { rows, byTable, byKey, requestIds: [...requestIds].sort() };
}
