import { InputError, TracepropError } from '../errors.js';
import { type GraphClient, withSession } from './connection.js';
import { plainValue } from './plain-value.js';

/** One result row as plain data (see {@link plainValue}). */
export type PlainRecord = Record<string, unknown>;

/**
 * Runs one Cypher statement in a READ transaction (`session.executeRead`) with parameters and
 * returns its records as plain objects. Neo4j refuses writes in a read transaction; that refusal
 * becomes `cypher.writeRefused`, a syntax error `cypher.syntax`, a missing parameter
 * `cypher.missingParameter` (all exit code 1); an unreachable Neo4j `graph.unavailable` (exit 3).
 *
 * @example
 * const rows = await runReadQuery(client, 'MATCH (r:Run {id: $id}) RETURN r.status AS status', { id });
 */
export async function runReadQuery(
  client: GraphClient,
  cypher: string,
  params: Record<string, unknown> = {},
): Promise<PlainRecord[]> {
  try {
    return await withSession(
      client,
      (session) =>
        session.executeRead(async (tx) => {
          const result = await tx.run(cypher, params);
          return result.records.map((record) => {
            const row: PlainRecord = {};
            for (const key of record.keys) row[String(key)] = plainValue(record.get(key));
            return row;
          });
        }),
      'READ',
    );
  } catch (err) {
    throw toQueryError(err);
  }
}

/** Maps Neo4j client errors of a read query to Traceprop errors (others pass through). */
export function toQueryError(err: unknown): unknown {
  if (err instanceof TracepropError) return err;
  const code = (err as { code?: string }).code ?? '';
  const message = ((err as Error).message ?? String(err)).split('\n')[0];
  if (
    code === 'Neo.ClientError.Statement.AccessMode' ||
    /in read access mode|read-only|not allowed for .*read/i.test(message)
  ) {
    return new TracepropError(
      'cypher.writeRefused',
      `refused: the query tries to write, and queries run in read-only transactions (${message})`,
      { cause: err },
    );
  }
  if (code === 'Neo.ClientError.Statement.SyntaxError') {
    return new InputError('cypher.syntax', `the Cypher is not valid: ${message}`, { cause: err });
  }
  if (code === 'Neo.ClientError.Statement.ParameterMissing') {
    return new InputError('cypher.missingParameter', `${message} (pass it with --param name=value)`, {
      cause: err,
    });
  }
  if (code.startsWith('Neo.ClientError.')) {
    return new InputError('cypher.failed', `Neo4j refused the query: ${message} [${code}]`, { cause: err });
  }
  return err;
}
