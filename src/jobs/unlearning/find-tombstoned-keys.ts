import type { ManagedTransaction, Record as Neo4jRecord } from 'neo4j-driver';
import type { ErasureSalt } from '../../erasure/erasure-salt.js';
import { keyHash } from '../../erasure/key-hash.js';
import { assertSameSalt } from '../../erasure/salt-mismatch.js';
import { cypherText } from '../../graph/cypher-library.js';

/** A source row holding a requested business key (live, or erased and found by its tombstone). */
export interface KeyRow {
  key: string;
  /** SourceRow id `<fileId>:<row>`. */
  id: string;
  file: string;
  fileId: string;
  /** Active models whose run read the row's file. */
  models: string[];
  /** Whether the target model's run read the row's file. */
  inRun: boolean;
}

/**
 * The erased rows that held `keys`: an erased SourceRow keeps no key, so each key is hashed under
 * `salt` for every table and key column that has key-hashed tombstones (restricted by `table`,
 * which names a table or a key column) and looked up among the tombstones; a match resolves to
 * the tombstoned row's id. `runId` (the target model's run) sets `inRun`.
 *
 * @throws TracepropError `erasure.saltMismatch` when those tombstones' key hashes were made with
 *   another salt (the keys could not be recognised).
 */
export async function findTombstonedKeys(
  tx: ManagedTransaction,
  keys: readonly string[],
  table: string | null,
  runId: string | null,
  salt: ErasureSalt,
): Promise<KeyRow[]> {
  if (keys.length === 0) return [];
  const columns = await tx.run(cypherText('jobs/unlearning', 'tombstoned-key-columns'), { table });
  if (columns.records.length === 0) return [];
  const salts = new Map<string, number>();
  const pairs = new Map<string, { table: string; keyColumn: string }>();
  for (const r of columns.records) {
    const saltId = (r.get('saltId') as string | null) ?? '(none)';
    salts.set(saltId, (salts.get(saltId) ?? 0) + Number(r.get('tombstones')));
    const t = r.get('table') as string;
    const keyColumn = r.get('keyColumn') as string;
    pairs.set(`${t}/${keyColumn}`, { table: t, keyColumn });
  }
  assertSameSalt(salt, salts, 'look up erased keys');
  const lookups = keys.flatMap((key) =>
    [...pairs.values()].flatMap((p) => {
      const hash = keyHash(salt, p.table, p.keyColumn, key);
      return hash === null ? [] : [{ key, table: p.table, keyColumn: p.keyColumn, hash }];
    }),
  );
  if (lookups.length === 0) return [];
  const result = await tx.run(cypherText('jobs/unlearning', 'rows-by-key-hash'), { lookups, runId });
  return result.records.map(toKeyRow);
}

/** A record with `key`, `id`, `file`, `fileId`, `models` and `inRun` columns as a {@link KeyRow}. */
export function toKeyRow(r: Neo4jRecord): KeyRow {
  return {
    key: r.get('key') as string,
    id: r.get('id') as string,
    file: r.get('file') as string,
    fileId: r.get('fileId') as string,
    models: r.get('models') as string[],
    inRun: r.get('inRun') === true,
  };
}
