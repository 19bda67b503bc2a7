import { TracepropError } from '../errors.js';
import type { ErasureSalt } from './erasure-salt.js';

/**
 * Refuses to go on when tombstones hold key hashes made with another salt than `salt`: their
 * erased records would silently stop matching new extracts. `counts` maps salt fingerprints to
 * how many key-hashed tombstones use each.
 *
 * @throws TracepropError `erasure.saltMismatch` naming both fingerprints (never the salts).
 */
export function assertSameSalt(salt: ErasureSalt, counts: ReadonlyMap<string, number>, doing: string): void {
  const other = [...counts].filter(([id]) => id !== salt.fingerprint);
  if (other.length === 0) return;
  const n = other.reduce((sum, [, c]) => sum + c, 0);
  const fingerprints = other.map(([id]) => id).join(', ');
  const where =
    salt.source === 'env' ? 'TRACEPROP_ERASURE_SALT' : `${salt.file ?? 'the salt file under TRACEPROP_HOME'}`;
  throw new TracepropError(
    'erasure.saltMismatch',
    `refusing to ${doing}: ${n} erasure tombstone(s) hold key hashes made with the erasure salt ${fingerprints}, but this process uses salt ${salt.fingerprint} (from ${where}), so those erased records would not be recognised in a new extract; use the deployment's salt (the same TRACEPROP_ERASURE_SALT, or the same TRACEPROP_HOME/erasure-salt, for every worker and CLI) and retry`,
  );
}
