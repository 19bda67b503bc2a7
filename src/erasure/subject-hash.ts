import type { ErasureSalt } from './erasure-salt.js';

/**
 * The salted hash of a data subject's id that a Tombstone keeps instead of the id:
 * HMAC-SHA256(salt, `subject/<name>` NUL `<id>`), hex, the id trimmed. Scoped by the subject's
 * name (`client`, `applicant`), so the same number naming another kind of subject does not
 * match. Null for an empty id.
 *
 * @example
 * subjectHash(salt, 'client', '2'); // '9c1e…' (64 hex digits)
 */
export function subjectHash(salt: ErasureSalt, name: string, id: string): string | null {
  const value = id.trim();
  if (value === '') return null;
  return salt.hmac(`subject/${name}\u0000${value}`);
}
