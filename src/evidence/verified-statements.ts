import { NotFoundError, TracepropError } from '../errors.js';
import type { GraphClient } from '../graph/connection.js';
import { cypherText } from '../graph/cypher-library.js';
import { runReadQuery } from '../graph/read-query.js';
import type { StatementOwnerKind, VerifiedStatement } from './statement-verification.js';
import { verifyStatement } from './verify-statement.js';

/**
 * The signed statements about a model (its own, its run's, and those of the erasures that
 * produced it), a run, or an erasure request, each verified now with {@link verifyStatement}
 * (signature by a published key valid when logged, signed tree head, RFC 6962 inclusion proof
 * against the newest head): a failure is reported on the statement, with its error code, not
 * thrown. Read-only.
 *
 * @throws NotFoundError `evidence.unknownOwner` when no model, run or erasure request has the id.
 */
export async function verifiedStatementsAbout(
  client: GraphClient,
  kind: StatementOwnerKind,
  id: string,
): Promise<VerifiedStatement[]> {
  const [owner] = await runReadQuery(client, cypherText('workbench', 'statement-refs'), { kind, id });
  if (owner?.found !== true)
    throw new NotFoundError(
      'evidence.unknownOwner',
      `no ${kind === 'erasure' ? 'erasure request' : kind} ${JSON.stringify(id)} in the graph`,
    );
  const rows = await runReadQuery(client, cypherText('workbench', 'statements-about'), {
    refs: owner.refs,
    prefixes: owner.prefixes,
  });
  const out: VerifiedStatement[] = [];
  for (const r of rows) {
    const listed = {
      id: String(r.id),
      kind: String(r.kind),
      ref: String(r.ref),
      logIndex: Number(r.logIndex),
      at: typeof r.at === 'string' ? r.at : null,
    };
    try {
      const checked = await verifyStatement(client, listed.id);
      out.push({
        ...listed,
        verification: 'verified',
        keyIds: checked.keyIds,
        treeSize: checked.head.size,
        error: null,
      });
    } catch (err) {
      if (!(err instanceof TracepropError)) throw err;
      out.push({
        ...listed,
        verification: 'failed',
        keyIds: [],
        treeSize: null,
        error: { code: err.code, message: err.message },
      });
    }
  }
  return out;
}
