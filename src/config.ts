import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaults } from './defaults.js';
import { UsageError } from './errors.js';
import { parseRedisTarget } from './services/redis-target.js';

/**
 * The only module that reads `process.env`. Everything else receives a {@link TracepropConfig}
 * (or the parts of it it needs) explicitly.
 */
export interface TracepropConfig {
  /** Bolt URI of Neo4j, e.g. `bolt://127.0.0.1:7687`. */
  neo4jUri: string;
  /** True when NEO4J_URI was set explicitly (then Traceprop never starts a local Neo4j). */
  neo4jUriExplicit: boolean;
  neo4jUser: string;
  /** Empty when auth is disabled (the local launcher's default). Never logged. */
  neo4jPassword: string;
  /** Neo4j database name (Community edition has one user database, `neo4j`). */
  neo4jDatabase: string;
  /**
   * Redis URL of the queues, validated when the configuration is loaded: `redis://host:port`
   * (`rediss://` for TLS) for one Redis, `redis+cluster://host:port,host:port` (`rediss+cluster://`)
   * for a Redis Cluster. Its typed form is `parseRedisTarget(redisUrl)` (read where a connection is
   * made, so a copy of the configuration with another URL cannot carry a stale target). It may
   * hold a password: show it only through `redactRedisUrl`.
   */
  redisUrl: string;
  /** True when REDIS_URL was set explicitly. */
  redisUrlExplicit: boolean;
  /** Home of local state: Neo4j data, artifacts, logs, pid files. */
  home: string;
  /** Directory holding the shared data sets (Adult, Home Credit sample, …). */
  datasetsDir: string;
  /** Log level of the pino logger (stderr). */
  logLevel: string;
  /** Port the local Neo4j launcher listens on when it is started by Traceprop. */
  localNeo4jPort: number;
  /** Heap of the local Neo4j JVM, e.g. `1g`. */
  localNeo4jHeap: string;
  /** Page cache of the local Neo4j, e.g. `256m` (TRACEPROP_NEO4J_PAGECACHE). */
  localNeo4jPagecache: string;
  /** Transaction log volume between checkpoints of the local Neo4j (TRACEPROP_NEO4J_CHECKPOINT_VOLUME). */
  localNeo4jCheckpointVolume: string;
  /** Prefix of the BullMQ queue names (TRACEPROP_QUEUE_PREFIX), to share one Redis between deployments. */
  queuePrefix: string;
  /** JAVA_HOME, when set: the JVM that runs the local Neo4j. */
  javaHome?: string;
  /**
   * Lease of a running ingest, in seconds (TRACEPROP_RUN_LEASE_SECONDS): the ingest renews its
   * Run's `leaseUntil` every third of it; a `running` Run whose lease expired is presumed dead and
   * is failed and cleaned up by the next `traceprop ingest` or `traceprop db start`.
   */
  runLeaseSeconds: number;
  /**
   * TRACEPROP_ERASURE_SALT, when set: the secret salt of the erasure tombstones' key hashes
   * (HMAC-SHA256). Never logged. Unset: a random salt kept in `<home>/erasure-salt` (see
   * `resolveErasureSalt`). Every worker and CLI of one deployment must use the same salt.
   */
  erasureSalt?: string;
  /**
   * TRACEPROP_SIGNING_KEY, when set: the Ed25519 private key that signs evidence statements and
   * tree heads (PKCS8 PEM, or base64 of PKCS8 DER). Never logged. Unset: `<home>/signing-key.pem`
   * when `traceprop keys init` made one; no key at all: nothing is signed.
   */
  signingKey?: string;
  /**
   * How long evidence and documentation are kept (docs/retention.md): at least the defaults,
   * configurable upward only (TRACEPROP_RETAIN_LOGS_DAYS, TRACEPROP_RETAIN_DOCS_YEARS).
   */
  retention: { logsDays: number; docsYears: number };
  /** Where OpenLineage events go (docs/openlineage.md). */
  openLineage: OpenLineageConfig;
  /** Where run matrices and model artifacts are kept (TRACEPROP_ARTIFACTS; docs/object-storage.md). */
  artifacts: ArtifactsConfig;
}

/**
 * Where artifacts live: only under TRACEPROP_HOME (`home`, the default), or also in a shared
 * store every host reads, a local (e.g. mounted) `folder` or an S3-compatible bucket (`s3`), with
 * TRACEPROP_HOME as the local cache.
 */
export type ArtifactsConfig =
  | { kind: 'home' }
  | { kind: 'folder'; dir: string }
  | ({ kind: 's3' } & S3ArtifactsConfig);

/** The S3 bucket of the artifacts and how to reach it (the AWS SDK's standard variables). */
export interface S3ArtifactsConfig {
  bucket: string;
  /** Key prefix without leading or trailing slash ('' for the bucket's root). */
  prefix: string;
  /** AWS_ENDPOINT_URL_S3 or AWS_ENDPOINT_URL, for an S3-compatible server; unset: AWS. */
  endpoint?: string;
  /** AWS_REGION (or AWS_DEFAULT_REGION); default `us-east-1`. */
  region: string;
  /** TRACEPROP_S3_FORCE_PATH_STYLE: `http://host/bucket/key` instead of `http://bucket.host/key`. */
  forcePathStyle: boolean;
  /**
   * AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN when set (never logged);
   * unset: the SDK's default chain (profile, instance role, …).
   */
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
}

/** The OpenLineage transports: HTTP (Marquez-compatible), a JSON-lines file, stderr, or none. */
const openLineageTransports = ['none', 'http', 'file', 'console'] as const;

/** Configuration of OpenLineage events. */
export interface OpenLineageConfig {
  /** TRACEPROP_OPENLINEAGE_TRANSPORT; default `http` when OPENLINEAGE_URL is set, else `none`. */
  transport: (typeof openLineageTransports)[number];
  /** OPENLINEAGE_URL: base URL of the receiver; events are POSTed to `<url>/api/v1/lineage`. */
  url?: string;
  /** OPENLINEAGE_API_KEY: sent as a Bearer token. Never logged. */
  apiKey?: string;
  /** OPENLINEAGE_NAMESPACE: job namespace (default `traceprop`). */
  namespace: string;
  /** TRACEPROP_OPENLINEAGE_FILE: the file transport's JSON-lines file (default `<home>/openlineage/events.jsonl`). */
  file: string;
  /** Where undeliverable HTTP events wait to be sent again: `<home>/openlineage/spool.jsonl`. */
  spool: string;
}

/** Root of the Traceprop package (the folder holding package.json). */
export const packageRoot: string = findPackageRoot();

function findPackageRoot(): string {
  // This file is src/config.ts or dist/src/config.js: walk up to the folder with package.json.
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 4; i++) {
    if (path.basename(dir) === 'src') {
      const up = path.dirname(dir);
      return path.basename(up) === 'dist' ? path.dirname(up) : up;
    }
    dir = path.dirname(dir);
  }
  return process.cwd();
}

/** The default values; they live in src/defaults.ts (no imports, so the maths layers may use it). */
export { defaults } from './defaults.js';
/** The typed forms of REDIS_URL (see `TracepropConfig.redisUrl`). */
export { parseRedisTarget, redactRedisUrl } from './services/redis-target.js';

/** Reads the configuration from an environment (default `process.env`). */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): TracepropConfig {
  const home = env.TRACEPROP_HOME ? path.resolve(env.TRACEPROP_HOME) : path.join(packageRoot, '.traceprop');
  const localNeo4jPort = parsePort(env.TRACEPROP_NEO4J_PORT, defaults.localNeo4jPort);
  return {
    neo4jUri: env.NEO4J_URI || `bolt://127.0.0.1:${localNeo4jPort}`,
    neo4jUriExplicit: Boolean(env.NEO4J_URI),
    neo4jUser: env.NEO4J_USER || defaults.neo4jUser,
    neo4jPassword: env.NEO4J_PASSWORD ?? '',
    neo4jDatabase: env.NEO4J_DATABASE || defaults.neo4jDatabase,
    redisUrl: parseRedisTarget(env.REDIS_URL || defaults.redisUrl).url,
    redisUrlExplicit: Boolean(env.REDIS_URL),
    home,
    datasetsDir: env.TRACEPROP_DATASETS ? path.resolve(env.TRACEPROP_DATASETS) : defaultDatasetsDir(),
    logLevel: env.TRACEPROP_LOG_LEVEL || env.LOG_LEVEL || defaults.logLevel,
    localNeo4jPort,
    localNeo4jHeap: parseSize('TRACEPROP_NEO4J_HEAP', env.TRACEPROP_NEO4J_HEAP, defaults.localNeo4jHeap),
    localNeo4jPagecache: parseSize(
      'TRACEPROP_NEO4J_PAGECACHE',
      env.TRACEPROP_NEO4J_PAGECACHE,
      defaults.localNeo4jPagecache,
    ),
    localNeo4jCheckpointVolume: parseSize(
      'TRACEPROP_NEO4J_CHECKPOINT_VOLUME',
      env.TRACEPROP_NEO4J_CHECKPOINT_VOLUME,
      defaults.localNeo4jCheckpointVolume,
    ),
    queuePrefix: env.TRACEPROP_QUEUE_PREFIX ?? '',
    javaHome: env.JAVA_HOME || undefined,
    runLeaseSeconds: parseSeconds(
      'TRACEPROP_RUN_LEASE_SECONDS',
      env.TRACEPROP_RUN_LEASE_SECONDS,
      defaults.runLeaseSeconds,
    ),
    erasureSalt: parseErasureSalt(env.TRACEPROP_ERASURE_SALT),
    signingKey: env.TRACEPROP_SIGNING_KEY || undefined,
    openLineage: parseOpenLineage(env, home),
    artifacts: parseArtifacts(env, home),
    retention: {
      logsDays: parseAtLeast(
        'TRACEPROP_RETAIN_LOGS_DAYS',
        env.TRACEPROP_RETAIN_LOGS_DAYS,
        defaults.retainLogsDays,
        'days',
      ),
      docsYears: parseAtLeast(
        'TRACEPROP_RETAIN_DOCS_YEARS',
        env.TRACEPROP_RETAIN_DOCS_YEARS,
        defaults.retainDocsYears,
        'years',
      ),
    },
  };
}

/** Shortest TRACEPROP_ERASURE_SALT accepted: a short salt makes key hashes guessable. */
const minErasureSaltLength = 16;

function parseErasureSalt(value: string | undefined): string | undefined {
  if (!value) return undefined;
  if (value.length < minErasureSaltLength) {
    // The value itself is never echoed: it is a secret.
    throw new UsageError(
      'config.shortSalt',
      `TRACEPROP_ERASURE_SALT must be at least ${minErasureSaltLength} characters (a random secret, e.g. \`openssl rand -hex 32\`), got ${value.length}`,
    );
  }
  return value;
}

/** `../shared/datasets` beside the checkout, where the team keeps the real data sets. */
function defaultDatasetsDir(): string {
  return path.resolve(packageRoot, '..', 'shared', 'datasets');
}

function parsePort(value: string | undefined, fallback: number): number {
  if (!value) return fallback;
  const port = Number(value);
  if (!Number.isInteger(port) || port <= 0 || port > 65535) {
    throw new UsageError(
      'config.badPort',
      `TRACEPROP_NEO4J_PORT must be a port number (1-65535), got "${value}": set it to a free port such as ${defaults.localNeo4jPort}, or unset it`,
    );
  }
  return port;
}

/** A memory size such as `512m` or `4g` (a JVM or Neo4j size). */
function parseSize(name: string, value: string | undefined, fallback: string): string {
  if (!value) return fallback;
  if (!/^[1-9][0-9]*[kmgKMG]$/.test(value)) {
    throw new UsageError(
      'config.badSize',
      `${name} must be a size such as 512m or 4g, got "${value}": fix it, or unset it for the default ${fallback}`,
    );
  }
  return value.toLowerCase();
}

function parseSeconds(name: string, value: string | undefined, fallback: number): number {
  if (!value) return fallback;
  const seconds = Number(value);
  if (!Number.isFinite(seconds) || seconds < 1) {
    throw new UsageError(
      'config.badSeconds',
      `${name} must be a number of seconds (at least 1), got "${value}": set it to e.g. ${fallback}, or unset it for that default`,
    );
  }
  return seconds;
}

function parseOpenLineage(env: NodeJS.ProcessEnv, home: string): OpenLineageConfig {
  const url = env.OPENLINEAGE_URL || undefined;
  const named = env.TRACEPROP_OPENLINEAGE_TRANSPORT || (url ? 'http' : 'none');
  if (!(openLineageTransports as readonly string[]).includes(named))
    throw new UsageError(
      'config.badOpenLineage',
      `TRACEPROP_OPENLINEAGE_TRANSPORT must be one of ${openLineageTransports.join(', ')}, got "${named}"`,
    );
  const transport = named as OpenLineageConfig['transport'];
  if (transport === 'http') {
    if (!url)
      throw new UsageError(
        'config.badOpenLineage',
        'TRACEPROP_OPENLINEAGE_TRANSPORT=http needs OPENLINEAGE_URL (e.g. http://localhost:5000 for Marquez)',
      );
    if (!/^https?:\/\/[^\s]+$/.test(url))
      throw new UsageError(
        'config.badOpenLineage',
        'OPENLINEAGE_URL must be an http(s) URL such as http://localhost:5000 (the value is not shown: it may hold credentials)',
      );
  }
  return {
    transport,
    ...(url ? { url: url.replace(/\/+$/, '') } : {}),
    ...(env.OPENLINEAGE_API_KEY ? { apiKey: env.OPENLINEAGE_API_KEY } : {}),
    namespace: env.OPENLINEAGE_NAMESPACE || defaults.openLineageNamespace,
    file: env.TRACEPROP_OPENLINEAGE_FILE
      ? path.resolve(env.TRACEPROP_OPENLINEAGE_FILE)
      : path.join(home, 'openlineage', 'events.jsonl'),
    spool: path.join(home, 'openlineage', 'spool.jsonl'),
  };
}

/**
 * TRACEPROP_ARTIFACTS: unset (or TRACEPROP_HOME itself) keeps artifacts under the home only; a
 * path names a shared folder; `s3://bucket/prefix` a bucket, reached with the AWS SDK's standard
 * variables. No value that may hold a secret is ever echoed in an error.
 */
function parseArtifacts(env: NodeJS.ProcessEnv, home: string): ArtifactsConfig {
  const value = env.TRACEPROP_ARTIFACTS?.trim();
  if (!value) return { kind: 'home' };
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) {
    const dir = path.resolve(value);
    return dir === home ? { kind: 'home' } : { kind: 'folder', dir };
  }
  const s3 = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(?:\/(.*))?$/.exec(value);
  if (!s3)
    throw new UsageError(
      'config.badArtifacts',
      'TRACEPROP_ARTIFACTS must be a folder path or s3://bucket/prefix (a bucket name of 3-63 lower-case letters, digits, dots and hyphens; no credentials in the URL: use AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY); the value is not shown',
    );
  const endpoint = env.AWS_ENDPOINT_URL_S3 || env.AWS_ENDPOINT_URL || undefined;
  if (endpoint && !/^https?:\/\/[^\s/@]+(\/[^\s@]*)?$/.test(endpoint))
    throw new UsageError(
      'config.badArtifacts',
      'AWS_ENDPOINT_URL_S3 (or AWS_ENDPOINT_URL) must be an http(s) URL such as http://127.0.0.1:9000, without credentials (the value is not shown)',
    );
  const pathStyle = (env.TRACEPROP_S3_FORCE_PATH_STYLE ?? '').toLowerCase();
  if (!['', 'true', 'false', '1', '0'].includes(pathStyle))
    throw new UsageError(
      'config.badArtifacts',
      `TRACEPROP_S3_FORCE_PATH_STYLE must be true or false, got "${env.TRACEPROP_S3_FORCE_PATH_STYLE}"`,
    );
  const accessKeyId = env.AWS_ACCESS_KEY_ID || undefined;
  const secretAccessKey = env.AWS_SECRET_ACCESS_KEY || undefined;
  if (Boolean(accessKeyId) !== Boolean(secretAccessKey))
    throw new UsageError(
      'config.badArtifacts',
      "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY must be set together (or neither, for the SDK's default credentials chain)",
    );
  return {
    kind: 's3',
    bucket: s3[1],
    prefix: (s3[2] ?? '').replace(/^\/+|\/+$/g, ''),
    ...(endpoint ? { endpoint: endpoint.replace(/\/+$/, '') } : {}),
    region: env.AWS_REGION || env.AWS_DEFAULT_REGION || defaults.s3Region,
    // An explicit endpoint (MinIO, s3rver, Ceph) mostly serves path-style requests only.
    forcePathStyle: pathStyle === '' ? Boolean(endpoint) : pathStyle === 'true' || pathStyle === '1',
    ...(accessKeyId && secretAccessKey
      ? {
          credentials: {
            accessKeyId,
            secretAccessKey,
            ...(env.AWS_SESSION_TOKEN ? { sessionToken: env.AWS_SESSION_TOKEN } : {}),
          },
        }
      : {}),
  };
}

/**
 * A retention period that may only be raised: a whole number ≥ `minimum` (the statutory minimum,
 * also the default). A lower value is refused rather than clamped, so no one believes it applies.
 */
function parseAtLeast(name: string, value: string | undefined, minimum: number, unit: string): number {
  if (!value) return minimum;
  const n = Number(value);
  if (!Number.isInteger(n) || n < minimum) {
    throw new UsageError(
      'config.retentionBelowMinimum',
      `${name} must be a whole number of ${unit} of at least ${minimum} (retention is configurable upward only, docs/retention.md), got "${value}": raise it or unset it for ${minimum}`,
    );
  }
  return n;
}

/** The current environment plus `extra`, for child processes that need one more variable. */
export function childEnvironment(extra: Record<string, string>): NodeJS.ProcessEnv {
  return { ...process.env, ...extra };
}
