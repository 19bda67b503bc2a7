import type { Record as Neo4jRecord } from 'neo4j-driver';
import { defaults } from '../defaults.js';
import { type GraphClient, withSession } from './connection.js';
import { neo4jClientError } from './neo4j-client-errors.js';
import { plainValue } from './plain-value.js';

/** One result row as plain data (see {@link plainValue}). */
export type PlainRecord = Record<string, unknown>;

/** How many times {@link runReadRecords} tries a query that fails with a transient Neo4j error. */
const transientAttempts = defaults.readQueryAttempts;

/**
 * Runs one Cypher statement as an auto-commit query in a READ-access-mode session and returns
 * the driver's records. One round trip (RUN + PULL), where `session.executeRead` takes two
 * (BEGIN + RUN + PULL, then COMMIT). Neo4j enforces the access mode on auto-commit queries
 * exactly as in read transactions (test/graph/read-only.test.ts: CREATE, MERGE, SET, DELETE,
 * `CALL … IN TRANSACTIONS`, schema and administration commands are all refused with
 * `Neo.ClientError.Statement.AccessMode` and change nothing). Transient errors
 * (`Neo.TransientError.*`, e.g. a deadlock or a busy store) are retried twice; an unreachable
 * Neo4j is reported at once. Errors are mapped as by {@link runReadQuery}.
 *
 * @example
 * const [record] = await runReadRecords(client, 'MATCH (r:Run {id: $id}) RETURN r {.id, .status} AS run', { id });
 */
export async function runReadRecords(
  client: GraphClient,
  cypher: string,
  params: Record<string, unknown> = {},
): Promise<Neo4jRecord[]> {
  try {
    return await withSession(
      client,
      async (session) => {
        for (let attempt = 1; ; attempt++) {
          try {
            return (await session.run(cypher, params)).records;
          } catch (err) {
            const code = (err as { code?: string }).code ?? '';
            if (attempt >= transientAttempts || !code.startsWith('Neo.TransientError.')) throw err;
            await new Promise((resolve) => setTimeout(resolve, 20 * attempt));
          }
        }
      },
      'READ',
    );
  } catch (err) {
    throw toQueryError(err);
  }
}

/**
 * Runs one Cypher statement read-only with parameters (an auto-commit query in a READ session,
 * see {@link runReadRecords}) and returns its records as plain objects. Neo4j refuses writes in
 * read access mode; that refusal becomes `cypher.writeRefused`, a syntax error `cypher.syntax`, a
 * missing parameter `cypher.missingParameter`, an unknown procedure `cypher.unknownProcedure` (all
 * `UsageError`, exit code 2); an unreachable Neo4j `graph.unavailable` (exit 3). It runs any read,
 * `LOAD CSV` and procedures included: auditors' queries go through the gate instead
 * (src/graph/audit-query-gate.ts).
 *
 * @example
 * const rows = await runReadQuery(client, 'MATCH (r:Run {id: $id}) RETURN r.status AS status', { id });
 */
export async function runReadQuery(
  client: GraphClient,
  cypher: string,
  params: Record<string, unknown> = {},
): Promise<PlainRecord[]> {
  const records = await runReadRecords(client, cypher, params);
  return records.map((record) => {
    const row: PlainRecord = {};
    for (const key of record.keys) row[String(key)] = plainValue(record.get(key));
    return row;
  });
}

/**
 * Maps Neo4j client errors of a read query to Traceprop errors (others pass through): see
 * {@link neo4jClientError}. Kept for callers of the library; {@link withSession} maps the same way.
 */
function toQueryError(err: unknown): unknown {
  return neo4jClientError(err) ?? err;
}
