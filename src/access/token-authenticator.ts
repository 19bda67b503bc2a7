import type { GraphClient } from '../graph/connection.js';
import { hashTokenSecret, looksLikeTokenSecret } from './token-secret.js';
import { findTokenHolder, type TokenHolder } from './token-store.js';

/** Why a presented token was not accepted, or the holder it names. */
export type Authentication =
  | { ok: true; holder: TokenHolder }
  | { ok: false; reason: 'missing' | 'malformed' | 'unknown' | 'revoked' };

/**
 * Checks presented bearer tokens against the graph's `ApiToken` hashes. Answers are kept for
 * `cacheMs` (default 1 s) per token hash, so a busy client costs one lookup a second; a token
 * revoked elsewhere (the CLI) stops working within that time, and at once when revoked through
 * this process (call {@link forget}).
 */
export class TokenAuthenticator {
  private readonly cache = new Map<string, { answer: TokenHolder | undefined; until: number }>();

  constructor(
    private readonly client: GraphClient,
    private readonly cacheMs = 1000,
  ) {}

  /** The holder of `secret` (undefined: no token was presented). */
  async authenticate(secret: string | undefined): Promise<Authentication> {
    if (secret === undefined || secret === '') return { ok: false, reason: 'missing' };
    if (!looksLikeTokenSecret(secret)) return { ok: false, reason: 'malformed' };
    const hash = hashTokenSecret(secret);
    const now = Date.now();
    let hit = this.cache.get(hash);
    if (!hit || hit.until <= now) {
      hit = { answer: await findTokenHolder(this.client, secret), until: now + this.cacheMs };
      if (this.cacheMs > 0) {
        if (this.cache.size > 10_000) this.cache.clear();
        this.cache.set(hash, hit);
      }
    }
    if (!hit.answer) return { ok: false, reason: 'unknown' };
    if (hit.answer.revoked) return { ok: false, reason: 'revoked' };
    return { ok: true, holder: hit.answer };
  }

  /** Drops every cached answer (after a token was revoked). */
  forget(): void {
    this.cache.clear();
  }
}
