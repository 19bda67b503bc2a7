import type { Record as Neo4jRecord } from 'neo4j-driver';
import { type GraphClient, withSession } from './connection.js';
import { neo4jClientError } from './neo4j-client-errors.js';
import { plainValue } from './plain-value.js';

/** One result row as plain data (see {@link plainValue}). */
export type PlainRecord = Record<string, unknown>;

/**
 * Runs one Cypher statement in a managed read transaction (`session.executeRead`) of a
 * READ-access-mode session and returns the driver's records. A routing driver (`neo4j://`) sends
 * it to a reader (a secondary of a cluster), the client's bookmarks make it see every write the
 * client committed before (src/graph/connection.ts), and the driver retries transient failures
 * (`Neo.TransientError.*`, a leader switch, `SessionExpired`) for up to `maxTransactionRetryTime`.
 * Neo4j refuses every write in a read transaction (test/graph/read-only.test.ts: CREATE, MERGE,
 * SET, DELETE, `CALL … IN TRANSACTIONS`, schema and administration commands are refused as
 * `cypher.writeRefused` and change nothing). Errors are mapped as by {@link runReadQuery}.
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
      async (session) => (await session.executeRead((tx) => tx.run(cypher, params))).records,
      'READ',
    );
  } catch (err) {
    throw toQueryError(err);
  }
}

/**
 * Runs one Cypher statement read-only with parameters (a read transaction, see
 * {@link runReadRecords}) and returns its records as plain objects. Neo4j refuses writes in
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
