import type { Logger } from 'pino';
import type { AccessLog } from '../access/access-log.js';
import type { AccessRole } from '../access/access-role.js';
import type { TokenAuthenticator } from '../access/token-authenticator.js';
import type { TokenHolder } from '../access/token-store.js';
import type { ArtifactHome } from '../artifacts/artifact-home.js';
import type { ErasureSalt } from '../erasure/erasure-salt.js';
import type { SigningKey } from '../evidence/signing-key.js';
import type { GraphClient } from '../graph/connection.js';
import type { QueueConnection } from '../queue/create-queue-connection.js';

/** Who may call a route: anyone (`public`), or a token of at least this role. */
type RouteAccess = AccessRole | 'public';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Who may call the route. Every route must say (the server refuses to register one that does not). */
    access?: RouteAccess;
    /** Error code of a request whose parameters fail validation (default `serve.badRequest`). */
    badInputCode?: string;
  }
  interface FastifyRequest {
    /** The token holder of an authenticated request. */
    caller?: TokenHolder;
  }
}

/** Limits of `POST /api/cypher`. */
export interface CypherLimits {
  /** Rows returned at most; the answer says `truncated` when there were more. */
  rowLimit: number;
  /** Milliseconds the query may run (the read transaction's timeout). */
  timeoutMs: number;
}

/** What the routes use: the clients, the access machinery and the limits. Built by `startServer`. */
export interface ServeDeps {
  client: GraphClient;
  /** The queues' Redis connection and queue name prefix. */
  queues: { connection: QueueConnection; prefix: string };
  tokens: TokenAuthenticator;
  accessLog: AccessLog;
  logger: Logger;
  cypher: CypherLimits;
  /** The deployment's erasure salt (read when an erasure names keys or a subject). */
  erasureSalt(): ErasureSalt;
  /** The deployment's signing key (token changes are signed statements), read when needed; undefined when it has none. */
  signingKey(): SigningKey | undefined;
  /** Seconds a client-supplied request id is remembered for idempotency. */
  requestIdSeconds: number;
  /** The artifact store (model parameters, run matrices) the report routes read. */
  artifactHome(): ArtifactHome;
}
