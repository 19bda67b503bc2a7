import { TracepropError, UsageError } from '../errors.js';

/**
 * Maps a Neo4j error about the query itself — the statement (`Neo.ClientError.Statement.*`:
 * syntax, semantic, type, argument, missing parameter, read access mode) or a procedure
 * (`Neo.ClientError.Procedure.*`: unknown procedure, failed call) — to a {@link UsageError}
 * (CLI exit code 2) that carries Neo4j's message and code. Such an error says the query cannot
 * run as written; retrying or restarting Neo4j will not help, so it is never reported as
 * `graph.unavailable`. Returns undefined for anything else (connection, schema, transaction and
 * security errors, Traceprop errors), which callers map or pass through as before.
 *
 * Codes: `cypher.writeRefused` (a write in read access mode), `cypher.syntax`,
 * `cypher.missingParameter`, `cypher.unknownProcedure`, `cypher.failed` (any other statement or
 * procedure error).
 *
 * @example
 * try { await session.run('CALL no.such.proc()'); }
 * catch (err) { throw neo4jClientError(err) ?? err; } // UsageError cypher.unknownProcedure
 */
export function neo4jClientError(err: unknown): UsageError | undefined {
  if (err instanceof TracepropError) return undefined;
  const code = (err as { code?: unknown })?.code;
  if (typeof code !== 'string') return undefined;
  const message = String((err as Error).message ?? err).split('\n')[0];
  if (
    code === 'Neo.ClientError.Statement.AccessMode' ||
    (code.startsWith('Neo.ClientError.') && /in read access mode|not allowed for .*read/i.test(message))
  ) {
    return new UsageError(
      'cypher.writeRefused',
      `refused: the query tries to write, and queries run in read access mode (${message})`,
      { cause: err },
    );
  }
  if (/IN TRANSACTIONS' can only be executed in an implicit transaction/.test(message)) {
    // Reads run in read transactions (cluster routing, bookmarks, retries): inner transactions cannot.
    return new UsageError(
      'cypher.failed',
      `Neo4j refused the query: CALL { … } IN TRANSACTIONS cannot run in a read transaction (${message}) [${code}]`,
      { cause: err },
    );
  }
  if (code === 'Neo.ClientError.Statement.SyntaxError') {
    return new UsageError('cypher.syntax', `the Cypher is not valid: ${message}`, { cause: err });
  }
  if (code === 'Neo.ClientError.Statement.ParameterMissing') {
    return new UsageError('cypher.missingParameter', `${message} (pass it with --param name=value)`, {
      cause: err,
    });
  }
  if (code === 'Neo.ClientError.Procedure.ProcedureNotFound') {
    return new UsageError('cypher.unknownProcedure', `Neo4j refused the query: ${message} [${code}]`, {
      cause: err,
    });
  }
  if (code.startsWith('Neo.ClientError.Statement.') || code.startsWith('Neo.ClientError.Procedure.')) {
    return new UsageError('cypher.failed', `Neo4j refused the query: ${message} [${code}]`, { cause: err });
  }
  return undefined;
}
