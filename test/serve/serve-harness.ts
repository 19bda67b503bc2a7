import { Writable } from 'node:stream';
import { pino } from 'pino';
import type { AccessRole } from '../../src/access/access-role.js';
import { createApiToken, revokeApiToken } from '../../src/access/token-store.js';
import type { GraphClient } from '../../src/graph/connection.js';
import { queueKinds, queueName } from '../../src/queue/queue-kind.js';
import type { AnyWorkbenchRouteQuery } from '../../src/serve/register-workbench-routes.js';
import { type RunningServer, startServer } from '../../src/serve/start-server.js';
import { workbenchQueries } from '../../src/workbench/workbench-queries.js';
import { newRedisConnection, obliterateQueueKeys, uniqueQueueName } from '../support/queue.js';
import { testServices } from '../support/services.js';

/** A workbench server of this test run on an ephemeral loopback port, with its log lines kept. */
export interface TestServer {
  server: RunningServer;
  url: string;
  /** The pino lines the server wrote. */
  logs: string[];
  prefix: string;
  /** Stops the server gracefully and removes its queues' keys. */
  stop(): Promise<void>;
}

/**
 * Starts a real server (real Neo4j and Redis of this run, the real workbench routes unless
 * `workbenchQueries` says otherwise) with a unique queue prefix; stop it in `after`.
 */
export async function startTestServer(
  options: {
    bodyLimit?: number;
    cypherRowLimit?: number;
    cypherTimeoutMs?: number;
    /** Default 0 here (every request looks its token up); the server's default is 1 s. */
    tokenCacheMs?: number;
    /** Default 100 ms here. */
    accessLogFlushMs?: number;
    workbenchQueries?: readonly AnyWorkbenchRouteQuery[];
  } = {},
): Promise<TestServer> {
  const prefix = uniqueQueueName('serve');
  const config = { ...testServices().config, queuePrefix: prefix };
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      logs.push(String(chunk));
      done();
    },
  });
  const logger = pino({ level: 'info' }, sink);
  const server = await startServer(config, logger, {
    host: '127.0.0.1',
    port: 0,
    tokenCacheMs: 0,
    accessLogFlushMs: 100,
    workbenchQueries,
    ...options,
  });
  return {
    server,
    url: server.url,
    logs,
    prefix,
    async stop() {
      await server.close();
      await removeServerQueues(prefix);
    },
  };
}

/** Deletes the Redis keys of every queue under `prefix` (and the connection it used). */
export async function removeServerQueues(prefix: string): Promise<void> {
  const redis = newRedisConnection();
  const ended = new Promise((resolve) => redis.once('end', resolve));
  try {
    for (const kind of queueKinds) await obliterateQueueKeys(redis, queueName(kind, prefix));
  } finally {
    await redis.quit();
    await ended;
  }
}

/** Tokens of each role plus a revoked one, made through the store as the CLI makes them. */
export interface TestTokens {
  auditor: string;
  operator: string;
  admin: string;
  revoked: string;
  ids: Record<'auditor' | 'operator' | 'admin' | 'revoked', string>;
}

/** Creates one token per role and a revoked auditor token. */
export async function createTestTokens(client: GraphClient): Promise<TestTokens> {
  const make = (role: AccessRole, name: string) => createApiToken(client, { name, role, createdBy: 'test' });
  const [auditor, operator, admin, revoked] = await Promise.all([
    make('auditor', 'test auditor'),
    make('operator', 'test operator'),
    make('admin', 'test admin'),
    make('auditor', 'test revoked'),
  ]);
  await revokeApiToken(client, revoked.id);
  return {
    auditor: auditor.token,
    operator: operator.token,
    admin: admin.token,
    revoked: revoked.token,
    ids: { auditor: auditor.id, operator: operator.id, admin: admin.id, revoked: revoked.id },
  };
}

/** What {@link useServedSuite} hands a suite: read it inside the suite's tests and hooks. */
export interface ServedSuite {
  /** The running server. */
  readonly server: TestServer;
  /** Its base URL, e.g. `http://127.0.0.1:41234`. */
  readonly url: string;
  /** One token per role and a revoked one. */
  readonly tokens: TestTokens;
}

/**
 * The opening the serve suites share: before the suite's tests, its own fixture (`setup`), one
 * token per role ({@link createTestTokens}) and a server ({@link startTestServer} with `options`);
 * after them, the server stopped. Call it in a `describe` body.
 *
 * @example
 * const graph = useCleanGraph();
 * const served = useServedSuite(graph, { bodyLimit: 4096 }, () => buildAttributionFixture(graph(), home, 'sec', 20));
 * it('…', async () => call(served.url, 'GET', '/api/whoami', { token: served.tokens.auditor }));
 */
export function useServedSuite(
  graph: () => GraphClient,
  options: Parameters<typeof startTestServer>[0] = {},
  setup: () => Promise<unknown> = async () => {},
): ServedSuite {
  let server: TestServer | undefined;
  let tokens: TestTokens | undefined;
  before(async () => {
    await setup();
    tokens = await createTestTokens(graph());
    server = await startTestServer(options);
  });
  after(async () => {
    await server?.stop();
  });
  const started = <T>(value: T | undefined): T => {
    if (value === undefined)
      throw new Error('the suite server is not started (read it inside a test or hook)');
    return value;
  };
  return {
    get server() {
      return started(server);
    },
    get url() {
      return started(server).url;
    },
    get tokens() {
      return started(tokens);
    },
  };
}

/** What {@link call} got back. */
export interface CallResult {
  status: number;
  headers: Headers;
  text: string;
  /** The body parsed as JSON (undefined when it is not JSON). */
  // biome-ignore lint/suspicious/noExplicitAny: tests read the members of each answer freely
  json: any;
}

/**
 * One HTTP call to the server: `body` as JSON unless `raw` gives the exact text.
 * @example
 * const r = await call(url, 'GET', '/api/whoami', { token });
 */
export async function call(
  base: string,
  method: string,
  path: string,
  options: { token?: string; body?: unknown; raw?: string; headers?: Record<string, string> } = {},
): Promise<CallResult> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
  let body: string | undefined;
  if (options.raw !== undefined) {
    body = options.raw;
    headers['content-type'] ??= 'application/json';
  } else if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers['content-type'] = 'application/json';
  }
  const response = await fetch(`${base}${path}`, { method, headers, body });
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, text, json };
}
