import type { ErasureSalt } from './erasure-salt.js';

/**
 * The salted hash of a business key that a Tombstone keeps instead of the key:
 * HMAC-SHA256(salt, `<table>/<keyColumn>` NUL `<key>`), hex, the key trimmed. Scoped by table and
 * key column, so the same value in another table does not match. Null for an empty key.
 *
 * @example
 * keyHash(salt, 'bureau', 'SK_ID_BUREAU', '5714464'); // '3f9a…' (64 hex digits)
 */
export function keyHash(salt: ErasureSalt, table: string, keyColumn: string, key: string): string | null {
  const value = key.trim();
  if (value === '') return null;
  return salt.hmac(`${table}/${keyColumn}\u0000${value}`);
}
