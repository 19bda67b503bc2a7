import neo4j, { type ManagedTransaction } from 'neo4j-driver';
import { cypherText } from '../graph/cypher-library.js';
import type { ErasureSalt } from './erasure-salt.js';
import { keyHash } from './key-hash.js';
import { assertSameSalt } from './salt-mismatch.js';
import { subjectHash } from './subject-hash.js';

/** What the tombstone of one erased row keeps (new or from an earlier request): no row content. */
export interface TombstonedRow {
  /** The SourceRow id, `<fileId>:<row>`. */
  id: string;
  fileId: string;
  row: number;
  keyHash: string | null;
  subjectHash: string | null;
  /** Fingerprint of the salt of the hashes (null without either). */
  saltId: string | null;
}

/**
 * Writes a Tombstone for each source row an erasure erases, inside the erasure's own write-back
 * transaction and before the rows lose their data (the key and the row's data subject id are
 * read, hashed here with the deployment's salt, and only the hashes are stored: a repeated
 * `--key` or `--subject` request finds the rows by them). Rows erased before keep their first
 * tombstone.
 * Returns what the tombstone of each row found keeps (the new ones and those of rows erased
 * before), ordered by row id: the erasure statement's row digests, without another query.
 *
 * @throws TracepropError `erasure.saltMismatch` when existing key-hashed tombstones were made with
 *   another salt (nothing is written: the transaction rolls back).
 */
export async function writeTombstones(
  tx: ManagedTransaction,
  requestId: string,
  rowIds: readonly string[],
  salt: ErasureSalt,
): Promise<TombstonedRow[]> {
  if (rowIds.length === 0) return [];
  const salts = await tx.run(cypherText('erasure', 'key-hash-salts'));
  assertSameSalt(
    salt,
    new Map(
      salts.records.map((r) => [(r.get('saltId') as string | null) ?? '(none)', Number(r.get('tombstones'))]),
    ),
    `erase rows for request ${requestId}`,
  );
  const rows = await tx.run(cypherText('erasure', 'rows-to-tombstone'), { rowIds: [...rowIds] });
  const kept: TombstonedRow[] = [];
  const tombstones = rows.records
    .filter((r) => {
      if (r.get('tombstoned') !== true) return true;
      kept.push({
        id: r.get('id') as string,
        fileId: r.get('fileId') as string,
        row: Number(r.get('row')),
        keyHash: r.get('tombstoneKeyHash') as string | null,
        subjectHash: r.get('tombstoneSubjectHash') as string | null,
        saltId: r.get('tombstoneSaltId') as string | null,
      });
      return false;
    })
    .map((r) => {
      const table = r.get('table') as string;
      const keyColumn = r.get('keyColumn') as string | null;
      const key = r.get('key') as string | null;
      const subjectName = r.get('subjectName') as string | null;
      const subject = r.get('subject') as string | null;
      const hashedSubject =
        subjectName !== null && subject !== null ? subjectHash(salt, subjectName, subject) : null;
      return {
        id: r.get('id') as string,
        fileId: r.get('fileId') as string,
        row: neo4j.int(Number(r.get('row'))),
        table,
        keyColumn,
        keyHash: keyColumn && key !== null ? keyHash(salt, table, keyColumn, key) : null,
        subjectName: hashedSubject === null ? null : subjectName,
        subjectHash: hashedSubject,
      };
    });
  if (tombstones.length > 0)
    await tx.run(cypherText('erasure', 'write-tombstones'), {
      requestId,
      saltId: salt.fingerprint,
      tombstones,
    });
  const made = tombstones.map((t) => ({
    id: t.id,
    fileId: t.fileId,
    row: t.row.toNumber(),
    keyHash: t.keyHash,
    subjectHash: t.subjectHash,
    saltId: t.keyHash === null && t.subjectHash === null ? null : salt.fingerprint,
  }));
  return [...kept, ...made].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
