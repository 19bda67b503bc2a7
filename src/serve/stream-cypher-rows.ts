import { Readable } from 'node:stream';
import type { Record as Neo4jRecord, Result, Session, Transaction } from 'neo4j-driver';
import { UsageError } from '../errors.js';
import type { AuditQueryGate } from '../graph/audit-query-gate.js';
import { type GraphClient, openSession, toGraphError } from '../graph/connection.js';
import { plainValue } from '../graph/plain-value.js';
import type { CypherLimits } from './serve-deps.js';

/** An auditor's query, checked and running: its columns and a stream of its JSON answer. */
export interface CypherRowStream {
  columns: string[];
  /** `{"columns": […], "rows": [ … ], "rowCount": n, "truncated": bool}`, written as the rows arrive. */
  body: Readable;
}

/**
 * Runs an auditor's query through the gate (src/graph/audit-query-gate.ts: EXPLAIN first,
 * refused when it writes, loads CSV, calls a procedure off the allowlist or runs an
 * administration command), then in an explicit READ transaction with a timeout, and streams the
 * rows as one JSON document: at most `limits.rowLimit` rows (`truncated` says when there were
 * more). Refusals and errors before the first row throw (the route answers 400); an error while
 * rows stream ends the document with an `error` member. The transaction is always rolled back
 * (it only read) and the session closed.
 */
export async function streamCypherRows(
  gate: AuditQueryGate,
  client: GraphClient,
  query: string,
  params: Record<string, unknown>,
  limits: CypherLimits,
): Promise<CypherRowStream> {
  await gate.check(query, params);
  const session = openSession(client, 'READ');
  let tx: Transaction | undefined;
  try {
    // Justified unmanaged transaction (test/foundation/neo4j-transactions.test.ts): the rows stream
    // to the HTTP client as they arrive, so a retry could not take back what was sent. It is a READ
    // transaction of a session with the client's bookmarks: routed to a reader, causally consistent.
    tx = session.beginTransaction({ timeout: limits.timeoutMs });
    const result = tx.run(query, params);
    const columns = (await result.keys()).map(String);
    return { columns, body: Readable.from(rowsDocument(session, tx, result, columns, limits)) };
  } catch (err) {
    await finish(session, tx);
    throw timeoutError(err, limits.timeoutMs) ?? toGraphError(err, client.uri);
  }
}

/** A query stopped by its transaction timeout, as `serve.queryTimeout`; undefined for other errors. */
function timeoutError(err: unknown, timeoutMs: number): UsageError | undefined {
  const code = String((err as { code?: unknown })?.code ?? '');
  if (!/TransactionTimedOut|Transaction\.Terminated|TransactionTerminated/.test(code)) return undefined;
  return new UsageError(
    'serve.queryTimeout',
    `the query ran longer than ${timeoutMs} ms and was stopped; narrow it (a LIMIT, a more selective MATCH) and try again`,
    { cause: err },
  );
}

async function* rowsDocument(
  session: Session,
  tx: Transaction,
  result: Result,
  columns: string[],
  limits: CypherLimits,
): AsyncGenerator<string> {
  let count = 0;
  let truncated = false;
  let error: { code: string; message: string } | undefined;
  yield `{"columns":${JSON.stringify(columns)},"rows":[`;
  try {
    for await (const record of result as AsyncIterable<Neo4jRecord>) {
      if (count >= limits.rowLimit) {
        truncated = true;
        break;
      }
      yield `${count === 0 ? '' : ','}${JSON.stringify(plainRow(record, columns))}`;
      count++;
    }
  } catch (err) {
    const mapped = (timeoutError(err, limits.timeoutMs) ?? toGraphError(err, '')) as {
      code?: string;
      message?: string;
    };
    error = { code: String(mapped.code ?? 'cypher.failed'), message: String(mapped.message ?? err) };
  } finally {
    await finish(session, tx);
  }
  yield `],"rowCount":${count},"truncated":${truncated}${error ? `,"error":${JSON.stringify(error)}` : ''}}`;
}

function plainRow(record: Neo4jRecord, columns: string[]): Record<string, unknown> {
  const row: Record<string, unknown> = {};
  for (const key of columns) row[key] = plainValue(record.get(key));
  return row;
}

/** Rolls the read transaction back (it wrote nothing) and closes the session, ignoring errors. */
async function finish(session: Session, tx: Transaction | undefined): Promise<void> {
  try {
    if (tx?.isOpen()) await tx.rollback();
  } catch {
    // The transaction already failed or timed out: nothing to undo.
  }
  await session.close().catch(() => undefined);
}
