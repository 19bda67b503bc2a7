/**
 * What Traceprop keeps of an erased source row so that the erasure sticks (a `Tombstone` node,
 * id `<fileId>:<row>`): the file and row, and for a table with a business key the key's salted
 * hash ({@link keyHash}), never the key itself.
 */
export interface Tombstone {
  /** SourceFile id (content sha256) of the erased row. */
  fileId: string;
  /** 0-based data row. */
  row: number;
  /** Logical table of the file, e.g. `bureau`. */
  table: string;
  /** Business-key column of the table, when it has one. */
  keyColumn: string | null;
  /** HMAC-SHA256 of table, key column and key under the deployment's salt, when the row had a key. */
  keyHash: string | null;
  /** Fingerprint of the salt of `keyHash`. */
  saltId: string | null;
  /** The unlearning request that erased the row (first). */
  requestId: string;
}
