import type { ErasureSalt } from './erasure-salt.js';
import { keyHash } from './key-hash.js';
import { assertSameSalt } from './salt-mismatch.js';
import type { Tombstone } from './tombstone.js';

/** What {@link matchTombstones} needs of a parsed input table (a `CsvTable` fits). */
export interface TombstonedTable {
  /** Content sha256 = SourceFile id. */
  sha256: string;
  /** Logical table, e.g. `bureau`. */
  table: string;
  /** Data rows. */
  rows: number;
  keyColumn?: string;
  /** Raw key text per data row, when the table has a key column. */
  keys?: readonly string[];
}

/** The erased rows of one table, to leave out. */
export interface ErasedRows {
  /** 0-based data rows, sorted, distinct. */
  rows: number[];
  /** The requests that erased them, sorted, distinct. */
  requestIds: string[];
  /** How many were matched by file and row, and how many (only) by key hash. */
  byRow: number;
  byKey: number;
}

/** Rows erased by a request whose tombstones are not written yet (recompute: the running request). */
export interface PendingErasure {
  requestId: string;
  /** SourceRow ids `<fileId>:<row>`; ids of other files are ignored. */
  rowIds: readonly string[];
}

/**
 * Which rows of each table are erased: a tombstone of the table's file matches its row; a
 * key-hashed tombstone of the same table and key column matches every row whose key hashes the
 * same under `salt` (a new extract with different bytes holding the erased record). Rows of a
 * table without a key column are matched by file and row only. Tables without erased rows are
 * absent from the result. `keyRowsOnly` (by the names of `tables`): hash the keys of those rows only, the
 * others' keys are not compared (a re-run restricted to those rows never reads the others, so
 * the cost grows with the rows it reads, not with the file).
 *
 * @throws TracepropError `erasure.saltMismatch` when a relevant tombstone's key hash was made
 *   with another salt (it could not match, so the erasure would silently not stick).
 */
export function matchTombstones<K extends string>(
  tables: Readonly<Record<K, TombstonedTable>>,
  tombstones: readonly Tombstone[],
  salt: ErasureSalt,
  pending?: PendingErasure,
  keyRowsOnly?: Readonly<Record<string, ReadonlySet<number>>>,
): Partial<Record<K, ErasedRows>> {
  const salts = new Map<string, number>();
  for (const t of tombstones) {
    if (t.keyHash) salts.set(t.saltId ?? '(none)', (salts.get(t.saltId ?? '(none)') ?? 0) + 1);
  }
  assertSameSalt(salt, salts, 'leave erased rows out');

  const out: Partial<Record<K, ErasedRows>> = {};
  for (const name of Object.keys(tables) as K[]) {
    const table = tables[name];
    const found = new Map<number, string>();
    let byRow = 0;
    const add = (row: number, requestId: string) => {
      if (!Number.isInteger(row) || row < 0 || row >= table.rows || found.has(row)) return false;
      found.set(row, requestId);
      return true;
    };
    for (const t of tombstones) if (t.fileId === table.sha256 && add(t.row, t.requestId)) byRow++;
    if (pending) {
      const prefix = `${table.sha256}:`;
      for (const id of pending.rowIds) {
        if (id.startsWith(prefix) && add(Number(id.slice(prefix.length)), pending.requestId)) byRow++;
      }
    }
    let byKey = 0;
    const keyed = new Map<string, string>();
    for (const t of tombstones) {
      if (t.keyHash && t.table === table.table && t.keyColumn === table.keyColumn)
        keyed.set(t.keyHash, t.requestId);
    }
    if (keyed.size > 0 && table.keyColumn && table.keys) {
      const { keyColumn, keys } = table;
      const only = keyRowsOnly?.[name];
      const rows: Iterable<number> = only ?? keys.keys();
      for (const row of rows) {
        if (found.has(row) || row >= keys.length) continue;
        const h = keyHash(salt, table.table, keyColumn, keys[row]);
        const requestId = h === null ? undefined : keyed.get(h);
        if (requestId !== undefined && add(row, requestId)) byKey++;
      }
    }
    if (found.size === 0) continue;
    out[name] = {
      rows: [...found.keys()].sort((a, b) => a - b),
      requestIds: [...new Set(found.values())].sort(),
      byRow,
      byKey,
    };
  }
  return out;
}
