/**
 * Every default value of Traceprop in one place: services, timeouts, batch sizes, job retries and
 * the model and data-quality knobs. `src/config.ts` (the only module that reads the environment)
 * applies the environment on top of the first group; the others are the values a caller gets when
 * it leaves an option out. `docs/configuration.md` lists them (a test keeps it complete).
 *
 * No imports: the maths layers (attribution, lineage, unlearning) may use it.
 */
export const defaults = {
  // Services (environment variables override these; see src/config.ts)
  /** Bolt URI of Neo4j (NEO4J_URI); unset, Traceprop uses the local Neo4j on `localNeo4jPort`. */
  neo4jUri: 'bolt://127.0.0.1:7687',
  /** Neo4j user (NEO4J_USER). */
  neo4jUser: 'neo4j',
  /** Neo4j database (NEO4J_DATABASE); Community edition has one user database. */
  neo4jDatabase: 'neo4j',
  /** Redis URL of the job queues (REDIS_URL). */
  redisUrl: 'redis://127.0.0.1:6379',
  /** Bolt port of the local Neo4j Traceprop starts (TRACEPROP_NEO4J_PORT). */
  localNeo4jPort: 7687,
  /** Heap of the local Neo4j JVM (TRACEPROP_NEO4J_HEAP). */
  localNeo4jHeap: '1g',
  /** Page cache of the local Neo4j (TRACEPROP_NEO4J_PAGECACHE). */
  localNeo4jPagecache: '256m',
  /** Region of the artifacts' S3 bucket when AWS_REGION and AWS_DEFAULT_REGION are unset. */
  s3Region: 'us-east-1',
  /** Part size of multipart uploads of artifacts to S3, in bytes (the S3 minimum is 5 MiB). */
  s3PartBytes: 8 * 1024 * 1024,
  /**
   * Seconds between a worker's sweeps of its artifact cache against the shared store
   * (TRACEPROP_ARTIFACTS): bytes an erasure elsewhere deleted leave this host's cache within it.
   */
  artifactCacheSweepSeconds: 300,
  /**
   * Transaction log written between two checkpoints of the local Neo4j
   * (TRACEPROP_NEO4J_CHECKPOINT_VOLUME): checkpoints by volume keep the logs pruned during bulk
   * ingests (with `keep_logical_logs 256M size`, files of 64m).
   */
  localNeo4jCheckpointVolume: '256m',
  /** Level of the pino logger on stderr (TRACEPROP_LOG_LEVEL, LOG_LEVEL). */
  logLevel: 'info',

  // Timeouts
  /** Seconds the local Neo4j may take to accept Bolt connections at start-up. */
  localNeo4jStartSeconds: 180,
  /** Milliseconds a stopping local Neo4j gets to exit before it is killed. */
  localNeo4jStopMs: 60_000,
  /** Milliseconds a redis-server started by Traceprop may take to answer. */
  localRedisStartMs: 10_000,
  /** Milliseconds the CLI's graph client waits to open a connection to Neo4j. */
  graphConnectionTimeoutMs: 5_000,
  /** Milliseconds the CLI's graph client waits for a free connection of its pool. */
  graphAcquisitionTimeoutMs: 20_000,
  /** Milliseconds the CLI's graph client retries a transaction that failed transiently. */
  graphRetryMs: 15_000,
  /** Milliseconds a queue worker's graph client waits to open a connection (fails fast: BullMQ retries). */
  workerGraphConnectionTimeoutMs: 3_000,
  /** Milliseconds a queue worker's graph client waits for a free connection of its pool. */
  workerGraphAcquisitionTimeoutMs: 10_000,
  /**
   * Milliseconds a queue worker's graph client retries a transaction (deadlock, leader switch,
   * lost routing) before the job fails (retriable): long enough for a cluster to elect a new
   * leader, short enough that BullMQ's backoff takes over an outage.
   */
  workerGraphRetryMs: 10_000,
  /**
   * Lease of a running ingest in seconds (TRACEPROP_RUN_LEASE_SECONDS), renewed every third of it;
   * a `running` Run whose lease expired is presumed dead and recovered by the next ingest or db start.
   */
  runLeaseSeconds: 60,
  /** Milliseconds between two looks at a job the CLI waits for (`--wait`, `jobs watch`). */
  waitForJobPollMs: 200,
  /** Seconds `traceprop worker` waits for active jobs on SIGINT/SIGTERM before forcing (`--shutdown-timeout`). */
  workerShutdownSeconds: 30,

  // Batch sizes and parallelism
  /** Source rows, samples and provenance edges per ingest write transaction. */
  ingestBatchRows: 20_000,
  /** Ingest write transactions in flight at once. */
  ingestWriteConcurrency: 2,
  /** Predictions per write of a trained model. */
  predictionBatchSize: 5000,
  /** INFLUENCED_BY edges per write of an attribution job. */
  attributionBatchSize: 5000,
  /** Jobs a worker runs at once per queue (`traceprop worker --concurrency`). */
  workerConcurrency: 1,

  // Jobs (BullMQ)
  /** Attempts of a job before it fails for good (retriable errors only; others fail at once). */
  jobAttempts: 5,
  /** Milliseconds before the first retry of a job; each further retry waits twice as long. */
  jobBackoffMs: 1000,
  /** Seconds a completed job is kept in Redis. */
  keepCompletedJobSeconds: 24 * 3600,
  /** Completed jobs kept in Redis at most, per queue. */
  keepCompletedJobs: 1000,
  /** Seconds a failed job is kept in Redis. */
  keepFailedJobSeconds: 7 * 24 * 3600,
  /** Failed jobs kept in Redis at most, per queue. */
  keepFailedJobs: 5000,

  // OpenLineage events (docs/openlineage.md)
  /** Job namespace of Traceprop's OpenLineage events (OPENLINEAGE_NAMESPACE). */
  openLineageNamespace: 'traceprop',
  /** Milliseconds one HTTP delivery of an OpenLineage event may take before it is retried. */
  openLineageTimeoutMs: 5_000,
  /** Attempts of one HTTP delivery (exponential backoff from `openLineageBackoffMs`); then it is kept in the spool. */
  openLineageAttempts: 3,
  /** Milliseconds before the first retry of an OpenLineage delivery; each further retry waits twice as long. */
  openLineageBackoffMs: 200,
  /** Milliseconds a command waits at its end for events still being delivered; the rest is spooled. */
  openLineageFlushMs: 10_000,

  // Retention (docs/retention.md): configurable upward only; these are also the minimums
  /**
   * Days the transparency log and its signed statements are kept at least (TRACEPROP_RETAIN_LOGS_DAYS):
   * the AI Act's six months (Art. 19, 26(6)). Traceprop itself never deletes a log entry.
   */
  retainLogsDays: 183,
  /**
   * Years the technical documentation (Run and Model nodes, `model.json`, reports) is kept at least
   * (TRACEPROP_RETAIN_DOCS_YEARS): the AI Act's ten years (Art. 18).
   */
  retainDocsYears: 10,
  /** Attempts of an in-process unlearning whose model was superseded meanwhile (`models.supersededMeanwhile`). */
  unlearningInProcessAttempts: 3,

  // Models, attribution and unlearning
  /** L2 strength λ on the mean logistic loss: training, attribution retrains and LDS (`--lambda`). */
  lambda: 1e-3,
  /** Training samples kept per prediction by an attribution job (`traceprop attribute --top`). */
  attributionTop: 10,
  /**
   * Fewest training rows an unlearning update may leave (`traceprop unlearn --min-training-rows`);
   * below it, or with one class left, the request fails and the previous version stays active.
   */
  minTrainingRows: 100,
  /** Gradient-norm budget of the certified Newton removal; above it the model is refitted. */
  removalBudget: 1e-5,
  /**
   * ε′ of certified removal (`--removal-budget`): the total sum-form gradient residual the
   * removals of a certified model line may spend before it is retrained from scratch. σ = c·ε′/ε.
   */
  certifiedResidualBudget: 1,

  // The workbench server (`traceprop serve`)
  /** Address `traceprop serve` listens on (`--host`); beyond loopback it needs an API token to exist. */
  serveHost: '127.0.0.1',
  /** Port of `traceprop serve` (`--port`). */
  servePort: 7475,
  /** Largest request body `traceprop serve` accepts, in bytes (larger: 413). */
  serveBodyLimitBytes: 1_048_576,
  /** Rows `POST /api/cypher` returns at most (`truncated` says when there were more). */
  serveCypherRowLimit: 10_000,
  /** Milliseconds a `POST /api/cypher` query may run (its read transaction's timeout). */
  serveCypherTimeoutMs: 10_000,
  /** Milliseconds between two writes of the access log's batched `AccessEvent`s. */
  serveAccessLogFlushMs: 500,
  /** Milliseconds a bearer token's lookup is reused (a token revoked by the CLI stops within this). */
  serveTokenCacheMs: 1_000,
  /** Seconds a client-supplied request id of `POST /api/erasures|attributions` is remembered. */
  serveRequestIdSeconds: 7 * 24 * 3600,

  // Reports (`traceprop report`)
  /** Chromium that prints `report --format pdf` (`--chromium`). */
  reportChromiumPath: '/usr/bin/chromium',
  /** Milliseconds Chromium may take to start and print a report. */
  reportPdfTimeoutMs: 60_000,
} as const;
