import crypto, { randomBytes } from 'node:crypto';

/** Every token secret starts with this, so a leaked one is easy to recognise (and to scan for). */
const tokenPrefix = 'tp_';

/**
 * A new bearer token secret: `tp_` and 32 random bytes (node:crypto) in base64url. It is shown
 * once; only {@link hashTokenSecret} of it is stored.
 */
export function newTokenSecret(): string {
  return `${tokenPrefix}${randomBytes(32).toString('base64url')}`;
}

/** The hex sha256 of a token secret: what the graph keeps and what a presented token is looked up by. */
export function hashTokenSecret(secret: string): string {
  // crypto.hash (Node ≥ 20.12) is the one-shot form, without a Hash object per call.
  return typeof crypto.hash === 'function'
    ? crypto.hash('sha256', secret, 'hex')
    : crypto.createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** True when `value` has the shape of a token secret (`tp_` and 43 base64url characters). */
export function looksLikeTokenSecret(value: string): boolean {
  return /^tp_[A-Za-z0-9_-]{43}$/.test(value);
}
