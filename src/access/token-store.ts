import { randomUUID } from 'node:crypto';
import { NotFoundError, UsageError } from '../errors.js';
import { recordStatement } from '../evidence/record-statement.js';
import type { SigningKey } from '../evidence/signing-key.js';
import { tokenStatement } from '../evidence/token-statement.js';
import { type GraphClient, withSession } from '../graph/connection.js';
import { cypherText } from '../graph/cypher-library.js';
import { runReadQuery } from '../graph/read-query.js';
import type { AccessRole } from './access-role.js';
import { hashTokenSecret, newTokenSecret } from './token-secret.js';

/** An API token as listed (never its secret, never its hash). Times are ISO strings. */
export interface ApiTokenInfo {
  id: string;
  name: string;
  role: AccessRole;
  createdBy: string;
  createdAt: string;
  lastUsedAt?: string | null;
  revokedAt?: string | null;
}

/** A token just created: its record and its secret, which is shown this once. */
export interface CreatedApiToken extends ApiTokenInfo {
  token: string;
}

/** The caller a presented token names (revoked tokens included: the caller refuses them). */
export interface TokenHolder {
  id: string;
  name: string;
  role: AccessRole;
  revoked: boolean;
}

/**
 * Creates an API token: a fresh `tp_…` secret whose sha256 alone is stored as an `ApiToken` node
 * (id, name, role, createdAt, createdBy). The secret is returned once and never again.
 *
 * @example
 * const { token, id } = await createApiToken(client, { name: 'alice', role: 'auditor', createdBy: 'cli' });
 */
export async function createApiToken(
  client: GraphClient,
  request: { name: string; role: AccessRole; createdBy: string },
  signingKey?: SigningKey,
): Promise<CreatedApiToken> {
  const name = request.name.trim();
  if (name === '' || name.length > 200)
    throw new UsageError(
      'access.badName',
      'a token needs a name of 1 to 200 characters (who or what uses it)',
    );
  const token = newTokenSecret();
  const id = `tok_${randomUUID().replaceAll('-', '').slice(0, 16)}`;
  const record = await withSession(client, (s) =>
    s.executeWrite(async (tx) => {
      const r = await tx.run(cypherText('access', 'create-token'), {
        id,
        name,
        role: request.role,
        hash: hashTokenSecret(token),
        createdBy: request.createdBy,
      });
      const created = r.records[0].get('token') as ApiTokenInfo;
      if (signingKey)
        await recordStatement(
          tx,
          signingKey,
          tokenStatement('create', { ...created, at: created.createdAt }),
        );
      return created;
    }),
  );
  return { ...record, token };
}

/** Every API token, oldest first (no secrets, no hashes). */
export async function listApiTokens(client: GraphClient): Promise<ApiTokenInfo[]> {
  const rows = await runReadQuery(client, cypherText('access', 'list-tokens'));
  return rows.map((row) => row.token as ApiTokenInfo);
}

/** Revokes a token (revoking twice keeps the first time); throws `access.unknownToken` when there is none. */
export async function revokeApiToken(
  client: GraphClient,
  id: string,
  signingKey?: SigningKey,
): Promise<ApiTokenInfo> {
  const record = await withSession(client, (s) =>
    s.executeWrite(async (tx) => {
      const r = await tx.run(cypherText('access', 'revoke-token'), { id });
      const revoked = r.records[0]?.get('token') as ApiTokenInfo | undefined;
      if (revoked && signingKey && r.records[0].get('revokedNow'))
        await recordStatement(
          tx,
          signingKey,
          tokenStatement('revoke', { ...revoked, at: revoked.revokedAt ?? new Date().toISOString() }),
        );
      return revoked;
    }),
  );
  if (!record)
    throw new NotFoundError('access.unknownToken', `no API token has the id ${JSON.stringify(id)}`);
  return record;
}

/** The holder of a presented secret, or undefined when no token has its hash. */
export async function findTokenHolder(client: GraphClient, secret: string): Promise<TokenHolder | undefined> {
  const rows = await runReadQuery(client, cypherText('access', 'token-by-hash'), {
    hash: hashTokenSecret(secret),
  });
  return rows[0]?.token as TokenHolder | undefined;
}

/** How many tokens are not revoked. */
export async function countActiveTokens(client: GraphClient): Promise<number> {
  const rows = await runReadQuery(client, cypherText('access', 'active-token-count'));
  return Number(rows[0]?.tokens ?? 0);
}
