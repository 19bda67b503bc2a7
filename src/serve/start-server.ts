import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { AccessLog } from '../access/access-log.js';
import { TokenAuthenticator } from '../access/token-authenticator.js';
import { countActiveTokens } from '../access/token-store.js';
import { openArtifactHome } from '../artifacts/open-artifact-home.js';
import { defaults, type TracepropConfig } from '../config.js';
import { resolveErasureSalt } from '../erasure/erasure-salt.js';
import { shareErasureSalt } from '../erasure/share-erasure-salt.js';
import { UsageError } from '../errors.js';
import { resolveSigningKey } from '../evidence/key-file.js';
import { connectQueues } from '../queue/connect-queues.js';
import { clientFor } from '../services/ensure-services.js';
import { buildServer } from './build-server.js';
import { isLoopbackHost } from './loopback-host.js';
import type { AnyWorkbenchRouteQuery } from './register-workbench-routes.js';

/** How `traceprop serve` listens and limits. */
export interface ServeOptions {
  host: string;
  /** 0 picks a free port. */
  port: number;
  bodyLimit?: number;
  cypherRowLimit?: number;
  cypherTimeoutMs?: number;
  /** Milliseconds between two access log writes. */
  accessLogFlushMs?: number;
  /** Milliseconds a token lookup is reused. */
  tokenCacheMs?: number;
  workbenchQueries?: readonly AnyWorkbenchRouteQuery[];
  version?: string;
}

/** A listening workbench server. */
export interface RunningServer {
  app: FastifyInstance;
  /** e.g. `http://127.0.0.1:7475`. */
  url: string;
  host: string;
  port: number;
  /**
   * Graceful shutdown: stops accepting connections and waits for the calls in flight, writes the
   * access log's last events, then closes the queues' Redis connection and the Neo4j driver.
   */
  close(): Promise<void>;
}

/**
 * Starts the workbench server: connects to Neo4j and Redis, refuses (`serve.notLoopback`, before
 * listening) a host beyond loopback while no API token exists, builds the routes and listens.
 *
 * @example
 * const server = await startServer(config, logger, { host: '127.0.0.1', port: 0 });
 * console.log(server.url); await server.close();
 */
export async function startServer(
  config: TracepropConfig,
  logger: Logger,
  options: ServeOptions,
): Promise<RunningServer> {
  const client = clientFor(config, config.neo4jUri);
  let connection: Awaited<ReturnType<typeof connectQueues>> | undefined;
  let accessLog: AccessLog | undefined;
  try {
    if (!isLoopbackHost(options.host) && (await countActiveTokens(client)) === 0) {
      throw new UsageError(
        'serve.notLoopback',
        `refusing to listen on ${options.host} (beyond this machine) while no API token exists: create one first (\`traceprop token create --role admin --name …\`), or listen on 127.0.0.1`,
      );
    }
    connection = await connectQueues(config.redisUrl);
    // Hosts with homes of their own share the erasure salt through the artifact store.
    await shareErasureSalt(config);
    accessLog = new AccessLog(client, {
      flushMs: options.accessLogFlushMs ?? defaults.serveAccessLogFlushMs,
      logger,
    });
    const app = await buildServer(
      {
        client,
        queues: { connection, prefix: config.queuePrefix },
        tokens: new TokenAuthenticator(client, options.tokenCacheMs ?? defaults.serveTokenCacheMs),
        accessLog,
        logger,
        cypher: {
          rowLimit: options.cypherRowLimit ?? defaults.serveCypherRowLimit,
          timeoutMs: options.cypherTimeoutMs ?? defaults.serveCypherTimeoutMs,
        },
        erasureSalt: () => resolveErasureSalt(config),
        signingKey: () => resolveSigningKey(config),
        requestIdSeconds: defaults.serveRequestIdSeconds,
        artifactHome: () => openArtifactHome(config),
      },
      {
        bodyLimit: options.bodyLimit ?? defaults.serveBodyLimitBytes,
        workbenchQueries: options.workbenchQueries ?? [],
        version: options.version ?? '0.0.0',
      },
    );
    await app.listen({ host: options.host, port: options.port });
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : options.port;
    const urlHost = options.host.includes(':') ? `[${options.host}]` : options.host;
    const log = accessLog;
    const queues = connection;
    let closing: Promise<void> | undefined;
    return {
      app,
      url: `http://${urlHost}:${port}`,
      host: options.host,
      port,
      close: () => {
        closing ??= (async () => {
          await app.close();
          await log.close();
          await queues.quit();
          await client.driver.close();
        })();
        return closing;
      },
    };
  } catch (err) {
    await accessLog?.close();
    await connection?.quit();
    await client.driver.close();
    throw err;
  }
}
