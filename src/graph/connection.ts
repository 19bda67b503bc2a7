import neo4j, { type BookmarkManager, type Driver, type Session } from 'neo4j-driver';
import { defaults } from '../defaults.js';
import { ServiceUnavailableError, TracepropError } from '../errors.js';
import { cypherText } from './cypher-library.js';
import { neo4jClientError } from './neo4j-client-errors.js';

/** How to reach Neo4j. The password is never logged. */
export interface GraphConnectionConfig {
  uri: string;
  user: string;
  /** Empty for no authentication. */
  password: string;
  database: string;
}

/**
 * A Neo4j driver plus the database to use. Integers come back as JS numbers
 * (`disableLosslessIntegers`); write integers with `neo4j.int` where it matters.
 *
 * Cluster-ready (docs/neo4j-cluster.md): reads run in read transactions (`executeRead`, or
 * `driver.executeQuery` with `routing: 'READ'`) and writes in write transactions
 * (`executeWrite`), so that a routing driver (`neo4j://`, `neo4j+s://`) sends reads to
 * secondaries and retries transient errors; every session of one client shares
 * {@link GraphClient.bookmarkManager}, so a read sees every write this client committed before it
 * (causal consistency), on whichever cluster member it runs. test/foundation/neo4j-transactions.test.ts
 * lists the few justified auto-commit queries.
 */
export interface GraphClient {
  driver: Driver;
  database: string;
  uri: string;
  /**
   * The bookmarks of this client: the driver's own `executeQueryBookmarkManager`, passed to every
   * session {@link openSession} opens, so sessions and `driver.executeQuery` share one causal chain.
   */
  bookmarkManager: BookmarkManager;
}

/** How long a graph client waits, in milliseconds (see {@link createGraphClient}). */
export interface GraphClientTimeouts {
  /** Wait for a pooled connection. */
  connectionAcquisitionMs: number;
  /** Retry transient failures of a managed transaction for up to this long. */
  maxTransactionRetryMs: number;
  /** Open a TCP connection. */
  connectionMs: number;
}

/** The CLI's timeouts: an interactive command waits up to 15 s for Neo4j. */
const cliGraphTimeouts: GraphClientTimeouts = {
  connectionAcquisitionMs: defaults.graphAcquisitionTimeoutMs,
  maxTransactionRetryMs: defaults.graphRetryMs,
  connectionMs: defaults.graphConnectionTimeoutMs,
};

/**
 * Queue workers' timeouts: a worker gives up on an unreachable Neo4j after 3 s instead of 15 s;
 * the job then fails with a retriable error and BullMQ retries it with exponential backoff,
 * which is the retry loop that survives outages.
 */
export const workerGraphTimeouts: GraphClientTimeouts = {
  connectionAcquisitionMs: defaults.workerGraphAcquisitionTimeoutMs,
  maxTransactionRetryMs: defaults.workerGraphRetryMs,
  connectionMs: defaults.workerGraphConnectionTimeoutMs,
};

/**
 * Creates a driver (lazy: nothing is contacted until the first query), waiting as long as
 * `timeouts` say (default {@link cliGraphTimeouts}).
 *
 * @example
 * const client = createGraphClient(config, workerGraphTimeouts); // a queue worker's client
 */
export function createGraphClient(
  config: GraphConnectionConfig,
  timeouts: GraphClientTimeouts = cliGraphTimeouts,
): GraphClient {
  const auth = config.password
    ? neo4j.auth.basic(config.user, config.password)
    : { scheme: 'none', principal: '', credentials: '' };
  const driver = neo4j.driver(config.uri, auth, {
    disableLosslessIntegers: true,
    connectionAcquisitionTimeout: timeouts.connectionAcquisitionMs,
    maxTransactionRetryTime: timeouts.maxTransactionRetryMs,
    connectionTimeout: timeouts.connectionMs,
    logging: { level: 'error', logger: () => {} },
  });
  return {
    driver,
    database: config.database,
    uri: config.uri,
    bookmarkManager: driver.executeQueryBookmarkManager,
  };
}

/** Checks that Neo4j answers a query; throws {@link ServiceUnavailableError} (`graph.unavailable`) if not. */
export async function verifyGraph(client: GraphClient): Promise<{ version: string; edition: string }> {
  // Justified auto-commit (test/foundation/neo4j-transactions.test.ts): a health check must report an
  // unreachable server at once, where executeRead would retry it for maxTransactionRetryTime. The
  // READ session still routes it to a reader; it reads no data, so it needs no bookmark.
  const session = openSession(client, 'READ');
  try {
    const result = await session.run(cypherText('health', 'server-components'));
    const record = result.records[0];
    return { version: record.get('version'), edition: record.get('edition') };
  } catch (err) {
    throw toGraphError(err, client.uri);
  } finally {
    await session.close();
  }
}

/** True when Neo4j answers at the client's URI. */
export async function graphAnswers(client: GraphClient): Promise<boolean> {
  try {
    await verifyGraph(client);
    return true;
  } catch {
    return false;
  }
}

/**
 * Opens a session on the client's database, sharing the client's bookmark manager (so it sees
 * every write the client's sessions committed). Run its work in `executeRead` / `executeWrite`
 * (retried on transient errors and routed by access mode). Close it (or use {@link withSession}).
 */
export function openSession(client: GraphClient, mode: 'READ' | 'WRITE' = 'WRITE'): Session {
  return client.driver.session({
    database: client.database,
    defaultAccessMode: mode === 'READ' ? neo4j.session.READ : neo4j.session.WRITE,
    bookmarkManager: client.bookmarkManager,
  });
}

/**
 * Takes bookmarks another process handed over (a worker's write-back: a job's result carries its
 * `graphBookmarks`, see src/queue/define-processor.ts) into the client's bookmark manager, so the
 * client's next transaction, on whichever cluster member, sees those writes. Anything else in
 * `handedOver` (no `graphBookmarks`, not strings) is ignored.
 *
 * @example
 * const summary = await waitForJob(queue, jobId);
 * await adoptBookmarks(client, summary.returnvalue); // then read what the job wrote
 */
export async function adoptBookmarks(client: GraphClient, handedOver: unknown): Promise<void> {
  const list = (handedOver as { graphBookmarks?: unknown } | null | undefined)?.graphBookmarks;
  if (!Array.isArray(list)) return;
  const bookmarks = list.filter((b): b is string => typeof b === 'string' && b.length > 0);
  if (bookmarks.length > 0) await client.bookmarkManager.updateBookmarks([], bookmarks);
}

/** Runs `work` with a session that is always closed afterwards. */
export async function withSession<T>(
  client: GraphClient,
  work: (session: Session) => Promise<T>,
  mode: 'READ' | 'WRITE' = 'WRITE',
): Promise<T> {
  const session = openSession(client, mode);
  try {
    return await work(session);
  } catch (err) {
    throw toGraphError(err, client.uri);
  } finally {
    await session.close();
  }
}

/**
 * Error codes that mean Neo4j cannot be reached: the driver's own, and Node's socket errors.
 * Matched exactly: a substring test once took `Neo.ClientError.Procedure.ProcedureNotFound` for
 * `ENOTFOUND` and reported an unknown procedure as "Neo4j is not reachable".
 */
const unreachableCodes = new Set([
  'ServiceUnavailable',
  'SessionExpired',
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
]);

/**
 * Maps driver errors to Traceprop errors: unreachable servers become `graph.unavailable`
 * (exit code 3); authentication failures `graph.auth`; errors in the query itself (syntax,
 * semantic, type, missing parameter, unknown procedure, a write in read access mode) a
 * `UsageError` with Neo4j's message (exit code 2, see {@link neo4jClientError}); Traceprop errors
 * and everything else pass through.
 */
export function toGraphError(err: unknown, uri: string): unknown {
  if (err instanceof TracepropError) return err;
  const code = (err as { code?: string }).code ?? '';
  const message = (err as Error).message ?? String(err);
  if (unreachableCodes.has(code)) {
    return new ServiceUnavailableError(
      'graph.unavailable',
      `Neo4j is not reachable at ${uri} (${message.split('\n')[0]}). Start the local one with \`traceprop db start\`, or set NEO4J_URI to a running Neo4j.`,
      { cause: err },
    );
  }
  if (code === 'Neo.ClientError.Security.Unauthorized') {
    return new ServiceUnavailableError(
      'graph.auth',
      `Neo4j at ${uri} refused the credentials: check NEO4J_USER and NEO4J_PASSWORD.`,
      { cause: err },
    );
  }
  return neo4jClientError(err) ?? err;
}
