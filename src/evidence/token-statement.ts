import { createHash } from 'node:crypto';
import type { EventStatement } from './record-statement.js';

/** What a `token` statement says of an API token (never its secret nor the secret's hash). */
export interface TokenFacts {
  id: string;
  name: string;
  role: string;
  createdBy: string;
  /** When the change happened (creation or revocation time). */
  at: string;
}

/**
 * The `token` statement of an access change (predicate type `https://traceprop.dev/token/v1`):
 * a token created (with its role and who created it) or revoked. Subject: the token id, by the
 * sha256 of the id; the secret and its stored hash stay out of the log.
 */
export function tokenStatement(action: 'create' | 'revoke', token: TokenFacts): EventStatement {
  return {
    kind: 'token',
    subject: [
      { name: `token:${token.id}`, digest: { sha256: createHash('sha256').update(token.id).digest('hex') } },
    ],
    ref: token.id,
    predicate: {
      action,
      tokenId: token.id,
      name: token.name,
      role: token.role,
      createdBy: token.createdBy,
      at: token.at,
    },
  };
}
