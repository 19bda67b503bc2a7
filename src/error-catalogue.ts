/**
 * Every error code Traceprop throws, in one typed table: code → the {@link TracepropError}
 * subclass that carries it, the CLI exit code, whether retrying may help, and a one-line meaning.
 * The error constructors take only these codes (`ErrorCode`) and read `exitCode` and `retriable`
 * from here, so a throw site cannot disagree with the table. `docs/errors.md` is generated from it
 * (`npm run docs:errors`); `test/foundation/error-catalogue.test.ts` checks that every code thrown
 * under `src/` is listed, and every listed code is thrown.
 *
 * No imports: the maths layers may use it.
 */

/** Exit codes of the CLI. */
export const ExitCode = {
  failure: 1,
  usage: 2,
  unavailable: 3,
  /** Interrupted by the user (Ctrl-C), as shells report SIGINT: 128 + 2. */
  interrupted: 130,
} as const;

/** The subclasses of `TracepropError` (and the base class itself). */
type ErrorClassName =
  | 'TracepropError'
  | 'UsageError'
  | 'ServiceUnavailableError'
  | 'InputError'
  | 'NotFoundError';

/** One row of the catalogue. */
export interface ErrorEntry {
  /** The class every throw site uses for this code. */
  readonly class: ErrorClassName;
  /** Process exit code of the CLI when this error ends a command. */
  readonly exitCode: number;
  /** True when the same call may succeed later (the queue retries it; the CLI says so). */
  readonly retriable: boolean;
  /**
   * True when the error wraps another one and takes its exit code and retriable flag from its
   * `cause` when that is a Traceprop error (the values above apply otherwise).
   */
  readonly fromCause?: boolean;
  /**
   * True when the CLI also raises this code as a usage error (exit 2) while checking an argument
   * before any work (`asUsageError` in src/cli/options.ts).
   */
  readonly alsoUsage?: boolean;
  /** What went wrong, in one line. */
  readonly meaning: string;
}

type Extra = Partial<Pick<ErrorEntry, 'retriable' | 'exitCode' | 'fromCause' | 'alsoUsage'>>;

/** Bad arguments or options given by the user: exit 2, not retriable. */
const usage = (meaning: string) =>
  ({ class: 'UsageError', exitCode: ExitCode.usage, retriable: false, meaning }) as const;
/** Input data that cannot be used as given: exit 1, not retriable. */
const input = (meaning: string, extra: Extra = {}) => ({
  class: 'InputError' as const,
  exitCode: ExitCode.failure as number,
  retriable: false,
  ...extra,
  meaning,
});
/** Something asked for by id does not exist: exit 1, not retriable. */
const notFound = (meaning: string) =>
  ({ class: 'NotFoundError', exitCode: ExitCode.failure, retriable: false, meaning }) as const;
/** A service cannot be reached or started: exit 3, retriable. */
const unavailable = (meaning: string) =>
  ({ class: 'ServiceUnavailableError', exitCode: ExitCode.unavailable, retriable: true, meaning }) as const;
/** Any other failure: exit 1, not retriable unless `extra` says so. */
const failure = (meaning: string, extra: Extra = {}) => ({
  class: 'TracepropError' as const,
  exitCode: ExitCode.failure as number,
  retriable: false,
  ...extra,
  meaning,
});

/**
 * The catalogue. Keys are `<area>.<camelCaseName>`; the area is the layer or command that throws.
 *
 * @example
 * errorCatalogue['ingest.badCsv'] // { class: 'InputError', exitCode: 1, retriable: false, meaning: … }
 */
export const errorCatalogue = {
  // access: the workbench's API tokens and roles (src/access, checked by src/serve)
  'access.badName': usage('An API token was given no name, or a name over 200 characters.'),
  'access.badRole': usage('A token role other than auditor, operator or admin was given.'),
  'access.forbidden': failure("The caller's token has a role below the one the route needs (HTTP 403)."),
  'access.unauthorized': failure(
    'A route was called without a bearer token, or with an unknown, malformed or revoked one (HTTP 401).',
  ),
  'access.unknownToken': notFound('No API token has this id.'),
  // artifacts: the artifact store (TRACEPROP_ARTIFACTS: a shared folder or an S3 bucket)
  'artifacts.badKey': input('An artifact key is absolute or has an empty, . or .. part.'),
  'artifacts.digestMismatch': input(
    'An object read from the artifact store does not match the sha256 its key or manifest names.',
  ),
  'artifacts.notFound': notFound('An artifact is not in the artifact store.'),
  'artifacts.refused': failure(
    'The artifact store refused a request (credentials, permissions, missing bucket, bad request).',
  ),
  'artifacts.unavailable': unavailable(
    'The artifact store cannot be reached or failed transiently (network, throttling, 5xx).',
  ),
  // attribution: the influence-scoring maths and the attribution job
  'attribution.backendUnavailable': failure('The tfjs wasm backend failed to initialise.'),
  'attribution.badAlpha': input('The LDS subset fraction alpha is outside (0, 1] or selects no row.'),
  'attribution.badDtype': input('A gradient store dtype other than float32, float16 or int8 was asked for.'),
  'attribution.badK': input('A neighbour or projection count k is not a positive integer.'),
  'attribution.badLambda': input('The L2 penalty lambda of logistic regression is negative.'),
  'attribution.badMethod': usage('An attribution method name that does not exist was given.'),
  'attribution.badRange': input('A row range outside the gradient store was read.'),
  'attribution.badShape': input(
    'A matrix or gradient store got values that do not match its declared shape.',
  ),
  'attribution.badStore': input('A gradient store file is not one, or is truncated.'),
  'attribution.badSubsets': input('Fewer than two LDS subsets were asked for, so there is nothing to rank.'),
  'attribution.badTestPoints': input('The LDS harness was asked for no test points.'),
  'attribution.diverged': failure('Training logistic regression diverged (non-finite objective).'),
  'attribution.emptyEnsemble': input('A TRAK ensemble was given no model.'),
  'attribution.erasedSample': input(
    'Samples whose data was erased by an unlearning request were asked to be scored.',
  ),
  'attribution.noPath': input('An in-memory gradient store was asked to save without a path.'),
  'attribution.notPositiveDefinite': failure('The Hessian is not positive definite (increase lambda).'),
  'attribution.poolDisposed': failure('The score worker pool was used after it was disposed.'),
  'attribution.projectUp': input('A JL projection to more dimensions than its input was asked for.'),
  'attribution.storeOverCap': failure(
    'An in-memory gradient store would exceed its memory cap (give it a path).',
  ),
  'attribution.unknownModel': notFound('The model to attribute is not in the graph.'),
  'attribution.unknownSample': notFound('Samples to score are not in the run the model was trained on.'),
  'attribution.workerFailed': failure('A score worker thread failed.'),

  // cli: option parsing shared by the commands
  'cli.badKey': usage('A --key option is not COLUMN=VALUE.'),
  'cli.badOption': usage('An option value has the wrong form.'),
  'cli.missingOption': usage('An option that another option needs is missing.'),
  'cli.optionNeedsOption': usage('An option was given without the option it only applies with.'),

  // config: the environment (src/config.ts)
  'config.badArtifacts': usage(
    'TRACEPROP_ARTIFACTS, the S3 endpoint, the path-style flag or the S3 credentials are malformed.',
  ),
  'config.badOpenLineage': usage(
    'TRACEPROP_OPENLINEAGE_TRANSPORT is unknown, or the http transport has no valid OPENLINEAGE_URL.',
  ),
  'config.badPort': usage('TRACEPROP_NEO4J_PORT is not a port number (1-65535).'),
  'config.badQueuePrefix': usage(
    'A queue prefix holds a character a Redis Cluster hash tag cannot carry (`{` or `}`).',
  ),
  'config.badRedisUrl': usage(
    'REDIS_URL is not a redis://, rediss://, redis+cluster:// or rediss+cluster:// URL.',
  ),
  'config.badSize': usage(
    'TRACEPROP_NEO4J_HEAP, TRACEPROP_NEO4J_PAGECACHE or TRACEPROP_NEO4J_CHECKPOINT_VOLUME is not a size such as 512m or 4g.',
  ),
  'config.badSeconds': usage(
    'A duration variable such as TRACEPROP_RUN_LEASE_SECONDS is not a number of seconds ≥ 1.',
  ),
  'config.retentionBelowMinimum': usage(
    'TRACEPROP_RETAIN_LOGS_DAYS or TRACEPROP_RETAIN_DOCS_YEARS is below its statutory minimum (retention is configurable upward only).',
  ),
  'config.shortSalt': usage('TRACEPROP_ERASURE_SALT is shorter than the minimum length of a secret salt.'),

  // cypher: auditors' queries (`traceprop cypher`) and the Cypher file library
  'cypher.badParam': usage(
    'A --param is not name=value or name:type=value, or its value does not parse as the type.',
  ),
  'cypher.commandRefused': usage(
    'An audit query is a schema or admin command (or has no plan); auditors may only read.',
  ),
  'cypher.failed': usage('Neo4j refused the query (any other statement or procedure error).'),
  // Was `cypher.unknownFile` (NotFoundError) too: the library's miss is now its own code; the CLI
  // turns it into the usage error `cypher.unknownFile` as before.
  'cypher.fileNotFound': notFound(
    'A Cypher file of the library (cypher/<folder>/<name>.cypher) is missing or unreadable.',
  ),
  'cypher.functionRefused': usage('An audit query calls a function that is not a Neo4j built-in.'),
  'cypher.loadCsvRefused': usage('An audit query uses LOAD CSV (it could fetch URLs or read files).'),
  'cypher.missingParameter': usage('A query uses a parameter that was not given with --param.'),
  'cypher.noFile': usage('`traceprop cypher` was given neither a query name nor a .cypher file.'),
  'cypher.procedureRefused': usage(
    "An audit query calls a procedure that is not on the auditors' allowlist.",
  ),
  'cypher.syntax': usage('The Cypher text is not valid.'),
  'cypher.unknownFile': usage('The query to run is neither a readable .cypher file nor a query name.'),
  'cypher.unknownProcedure': usage('A query calls a procedure Neo4j does not know.'),
  'cypher.writeRefused': usage('An audit query tries to write; queries run in read access mode.'),

  // datasets: the tabular CSV loader of the attribution benches and `traceprop lds`
  'datasets.badCsv': input('A CSV file does not parse or has no header row.'),
  'datasets.badNumber': input('A numeric column holds a value that is not a number.'),
  'datasets.badPositive': input('The positive class named is not a value of the label column.'),
  'datasets.badSplit': input('The test fraction is outside (0, 1).'),
  'datasets.labelNotBinary': input('The label column does not take exactly two values.'),
  'datasets.missingColumn': input('A column the encoder needs is missing from the CSV.'),
  'datasets.tooSmall': input('The CSV has too few data rows to split.'),
  'datasets.unreadable': input('A CSV file cannot be read.'),

  // demo: `traceprop demo`
  'demo.noBureauRows': failure('The demo found no top training sample with bureau rows to erase.'),
  'demo.noTrace': failure('The demo found no prediction with attribution edges to trace.'),
  'demo.stepFailed': failure('A step of the demo (a traceprop command) failed.'),

  // erasure: tombstones and their salt
  'erasure.saltMismatch': failure('Erasure tombstones were hashed with another salt than this process uses.'),
  'erasure.saltUnreadable': failure('The erasure salt file cannot be read or created.'),

  // evidence: signed statements, the signing key and the transparency log (src/evidence)
  'evidence.badEnvelope': input('A DSSE envelope is not JSON with payloadType, payload and signatures.'),
  'evidence.badKey': input('A signing key is not an Ed25519 key in PKCS8 PEM or base64 PKCS8 DER form.'),
  'evidence.badSignature': failure(
    "A statement's signature does not verify, or was made outside its key's validity.",
  ),
  'evidence.badStatement': input(
    'An envelope payload is not an in-toto Statement v1, or a subject lacks a sha256.',
  ),
  'evidence.badTreeHead': failure(
    "A signed tree head's signature does not verify: its size, root or time was changed.",
  ),
  'evidence.badTreeHeadFile': input('A kept tree head file is not JSON of format traceprop.tree-head/1.'),
  'evidence.bundleExists': usage(
    '`export evidence` was given a directory that is not empty: give a new one, or --force to replace the bundle in it.',
  ),
  'evidence.bundleInvalid': failure(
    'An evidence bundle fails a check (manifest digest, signature, inclusion proof, tree head, key): each failing file, statement and check is named.',
  ),
  'evidence.emptyLog': notFound('The transparency log has no entry and no signed tree head yet.'),
  'evidence.graphMismatch': failure(
    'The graph (or a model artifact) no longer says what a logged statement recorded: it was changed after the fact.',
  ),
  'evidence.inconsistent': failure(
    'The log is not an extension of a kept tree head: entries it covered were changed.',
  ),
  'evidence.keyConflict': failure('The graph publishes another public key under a signing key id.'),
  'evidence.keyExists': usage('`keys init` found a signing key file already.'),
  'evidence.keyFilePermissions': failure(
    'The signing key file can be read by others than its owner (it must be 0600).',
  ),
  'evidence.keyFromEnv': usage('`keys rotate` cannot replace a key given by TRACEPROP_SIGNING_KEY.'),
  'evidence.keyRetired': failure('A statement was to be signed by a key a rotation retired.'),
  'evidence.leafMismatch': failure(
    "A log entry's envelope does not hash to the leaf hash it records: it was changed.",
  ),
  'evidence.logGap': failure('A log entry below the signed tree size is missing: it was deleted.'),
  'evidence.logShrunk': failure('The log is smaller than a tree head kept earlier: entries were removed.'),
  'evidence.logStateCorrupt': failure("The log's stored right edge does not match its size."),
  'evidence.noKey': usage('A key operation needs a signing key and there is none (`traceprop keys init`).'),
  'evidence.noStatements': notFound(
    'The model has no signed statement: it was trained without a signing key (`traceprop keys init`, then train again).',
  ),
  'evidence.notIncluded': failure(
    "A statement's inclusion proof does not verify against the signed tree head.",
  ),
  'evidence.orphanStatement': failure(
    'A Statement records a log index that has no log entry: the entry was deleted.',
  ),
  'evidence.rootMismatch': failure("The log's entries do not hash to the signed tree head's root."),
  'evidence.unknownKey': failure('A signature or tree head names a key id the graph does not publish.'),
  'evidence.unknownModel': notFound(
    'No Model has this id in the graph (give the modelId that `traceprop train --json` printed).',
  ),
  'evidence.unknownOwner': notFound(
    'No model, run or erasure request has this id, so it has no statements to list (workbench `/api/statements`).',
  ),
  'evidence.unknownStatement': notFound(
    'No logged statement has this id, or the envelope file is not in the log.',
  ),

  // generate: `traceprop generate` (synthetic credit-risk data)
  'generate.badApplicants': usage('--applicants is not a positive integer.'),
  'generate.badSeed': usage('--seed is not an integer.'),

  // graph: Neo4j access and the lineage writer
  'graph.auth': unavailable('Neo4j refused the credentials (NEO4J_USER, NEO4J_PASSWORD).'),
  'graph.badDepth': usage('An ancestors depth is not a whole number in the allowed range.'),
  'graph.badLineage': input('A lineage run to write is inconsistent (counts, lengths or references).'),
  'graph.badName': input(
    'A name used as a graph identifier or label holds characters that are not allowed.',
    {
      alsoUsage: true,
    },
  ),
  'graph.erasedSourceRow': failure(
    'A run derives samples from erased source rows; build it with the tombstones applied.',
  ),
  'graph.ingestFailed': failure(
    'Writing a run to the graph failed; its partial writes were cleaned up (or not, as said).',
    {
      fromCause: true,
    },
  ),
  'graph.missingSourceRow': failure(
    'A batch created fewer DERIVED_FROM edges than samples: rows of the run are missing.',
  ),
  'graph.noSubject': usage(
    "The run's pipeline declares no data subject (`subject:` in its file), so a subject names no rows of it.",
  ),
  'graph.notFound': notFound('A Run or Op asked for by id is not in the graph.'),
  'graph.pipelineConflict': failure(
    "The graph holds another pipeline text under the sha256 of a run's pipeline definition.",
  ),
  // Was a plain TracepropError (exit 1) when the id clashed only at the write (a race); now a
  // UsageError (exit 2) like the check before the ingest.
  'graph.runExists': usage(
    'A Run with this id exists already (or its artifacts do); each ingest needs a new id.',
  ),
  'graph.runLeaseLost': failure(
    'A running ingest lost its Run: another process failed it after its lease expired.',
  ),
  'graph.subjectConflict': failure(
    "A run gives a file's rows another data subject than the graph holds for them (another pipeline declared it).",
  ),
  'graph.unavailable': unavailable('Neo4j cannot be reached.'),
  'graph.unknownSubject': notFound('No source row (live or erased) belongs to this data subject.'),

  // ingest: reading CSV files (`traceprop ingest`, the sources of a pipeline file)
  'ingest.badBoolean': input(
    'A boolean CSV column holds a text that is none of its true or false spellings.',
  ),
  'ingest.badCsv': input(
    'A CSV file is malformed: repeated header names or rows with the wrong number of fields.',
  ),
  'ingest.badDate': input('A date CSV column holds a text that is not a valid date of its pattern.'),
  'ingest.badDialect': usage(
    'A CSV dialect or column declaration cannot be used: a delimiter or quote that is not one allowed character (or the same for both), a text spelled both true and false, or header and column names that do not go together.',
  ),
  'ingest.badEncoding': input('A CSV file read as UTF-8 is not valid UTF-8.'),
  'ingest.badInteger': input(
    'An integer CSV column holds a value that is not a whole number (within ±2^53).',
  ),
  'ingest.badMaxBadLabels': usage('maxBadLabels is not a fraction between 0 and 1.'),
  'ingest.badMode': usage('The lineage mode is neither "row" nor "op".'),
  'ingest.badNumber': input('A numeric CSV column holds a value that is not a number.'),
  'ingest.duplicateKey': input('A key column holds the same key twice.'),
  'ingest.emptyFile': input('A CSV file has no header or no data rows.'),
  'ingest.interrupted': failure('The ingest was interrupted (Ctrl-C); the Run is failed and cleaned up.', {
    exitCode: ExitCode.interrupted,
  }),
  'ingest.missingColumn': input('A CSV file lacks a column the pipeline needs.'),
  'ingest.missingFile': input('A CSV file does not exist, is not a regular file or cannot be read.'),
  'ingest.unknownSource': usage(
    'A source-path override (--source NAME=PATH) names no source of the pipeline.',
  ),

  // lineage: the dataframe pipeline that records provenance
  'lineage.badAggregate': usage('An aggregate step has no key column or an aggregation without input.'),
  'lineage.badConcat': usage('A concat step has no frame or frames with different columns.'),
  'lineage.badJoin': usage('A join step has no keys or different numbers of left and right keys.'),
  'lineage.badMask': usage('A filter or fit mask, or a derived column, does not have one entry per row.'),
  'lineage.badOutput': usage('A pipeline finished with keys, labels or split of the wrong length.'),
  'lineage.badSplit': usage('A train-test split has a bad test fraction or a preset of the wrong length.'),
  'lineage.badStatistics': usage('A column cannot be standardised (non-finite mean or zero spread).'),
  'lineage.columnType': usage(
    'A step got a categorical column where it needs a numeric one, or mixed kinds.',
  ),
  'lineage.duplicateColumn': usage(
    'A join (even with the suffix) or a one-hot encoding would produce the same column twice.',
  ),
  'lineage.emptyDerive': usage('A derive step has no column spec.'),
  'lineage.foreignFrame': usage('A step combines frames of different pipelines.'),
  'lineage.noProvenance': usage('Row provenance was asked for outside "row" mode.'),
  'lineage.tooManyRows': usage('A run has more than 2^32 source rows.'),
  'lineage.undeclaredInput': usage('A derive step read a column it did not declare as an input.'),
  'lineage.unknownColumn': usage('A step names a column the frame does not have.'),
  'lineage.untracked': usage('Lineage was asked of a pipeline that runs in mode "none".'),

  // models: training, model artifacts and their graph records
  'models.badLambda': input('--lambda is not > 0.'),
  'models.badMatrix': input(
    'A model matrix has rows, labels or ids of different lengths, or non-finite values.',
  ),
  'models.corruptArtifact': input('A model or matrix artifact does not match its recorded sha256.'),
  'models.noArtifact': notFound('A model has no saved parameters under TRACEPROP_HOME.'),
  'models.noRunMatrix': notFound('A run has no saved model matrix under TRACEPROP_HOME.'),
  'models.noTrainRows': input('A run has no labelled train samples to train on.'),
  'models.predictionsPending': notFound(
    "A model version's test predictions are not written yet: an erasure's follow-up `predictions` job writes them after the request (`traceprop worker`, or `unlearn --local`).",
  ),
  'models.predictionsNotFound': notFound('A predictions job names a model version that is not in the graph.'),
  'models.queueOnly': usage('--wait or --request-id was given without --queue.'),
  'models.rederivedRowMissing': failure(
    'A sample re-derived without erased rows cannot be matched to its model rows.',
  ),
  'models.scrubbedRowRead': failure(
    'A model asked the run matrix for a row an erasure scrubbed (its features come from its own artifact, or it is erased).',
  ),
  'models.shredded': notFound(
    "A model version's parameters were deleted by an erasure; its hashes and metadata are kept for the record.",
  ),
  'models.runNotComplete': input('A model was asked of a run that is not complete.'),
  'models.runNotFound': notFound('The run to train on is not in the graph.'),
  'models.supersededMeanwhile': failure(
    'The model was superseded while a result was computed from it; compute again.',
    {
      retriable: true,
    },
  ),
  'models.unknownKind': input('A model kind that cannot be trained was asked for.'),
  'models.writeMismatch': failure(
    'Writing a model found its run or the model it supersedes missing from the graph.',
  ),

  // neo4j: the local Neo4j launcher (`traceprop db start`)
  'neo4j.buildFailed': failure('Maven could not build the local Neo4j launcher.'),
  'neo4j.noJava': unavailable('The local Neo4j needs Java 17 or newer and none was found.'),
  'neo4j.noMaven': unavailable('Building the local Neo4j launcher needs Maven and it was not found.'),
  'neo4j.portInUse': unavailable('The port of the local Neo4j is taken by another process.'),
  'neo4j.startFailed': failure('The local Neo4j could not be started or exited during start-up.'),
  'neo4j.startTimeout': unavailable('The local Neo4j did not accept Bolt connections in time.'),

  // pipelines: the credit-risk pipeline (and the re-run options of pipeline files)
  'pipelines.badExcludeRows': usage(
    'excludeRows (or onlyRows) names rows outside the table, or a table that does not exist.',
  ),
  'pipelines.reuseMismatch': usage('A re-run does not match the run whose fitted state it reuses.'),

  // pipeline: pipeline files (format traceprop.pipeline/1), read and validated before any write
  'openlineage.badEvent': input(
    'A line of an OpenLineage import is not JSON or not a RunEvent, JobEvent or DatasetEvent (nothing was imported).',
  ),
  'openlineage.noFile': notFound('`openlineage import` was given a file that does not exist.'),
  'openlineage.unknownRun': notFound(
    '`openlineage export --run` named no complete ingest run: see `traceprop runs list` for the run ids.',
  ),
  'pipeline.badFormat': usage(
    'The pipeline file is empty, not a mapping, or does not declare `format: traceprop.pipeline/1`.',
  ),
  'pipeline.badYaml': usage(
    'The pipeline file is not valid YAML or JSON (bad indentation, duplicate keys, …).',
  ),
  'pipeline.columnCollision': usage(
    'A join or aggregate of the pipeline would produce two columns with one name.',
  ),
  'pipeline.columnType': usage('A column has the wrong type for a step, a join key pair or a feature.'),
  'pipeline.cycle': usage('Steps of the pipeline read each other, or a step reads itself.'),
  'pipeline.duplicateId': usage('Two sources or steps of the pipeline share an id.'),
  'pipeline.expressionSyntax': usage(
    'An expression does not parse, or uses something the expression language lacks.',
  ),
  'pipeline.expressionType': usage(
    'An expression has operands or arguments of the wrong type, or a condition or label of the wrong type.',
  ),
  'pipeline.invalidValue': usage(
    'A field of the pipeline file has the wrong type or a value that is not allowed.',
  ),
  'pipeline.missingField': usage('A required field of the pipeline file is absent.'),
  'pipeline.unknownColumn': usage('A column the table does not have at that point of the pipeline.'),
  'pipeline.unknownField': usage(
    'A field the pipeline format does not have (the message lists the allowed ones).',
  ),
  'pipeline.unknownFunction': usage('An expression calls a function that does not exist.'),
  'pipeline.unknownInput': usage('A step or the sample reads an id that is no source or step.'),
  'pipeline.unreadable': usage('The pipeline file cannot be read.'),
  // pipeline runs: a pipeline file executed on its data (src/pipeline-run)
  'pipeline.badLabel': input(
    'The label expression gives a sample something other than 0 or 1 (the message names the sample key).',
  ),
  'pipeline.joinCardinality': input(
    'A join step declared many-to-one or one-to-one meets a key more than once (the message names the step and the first such key).',
  ),
  'pipeline.missingFeatureValues': input(
    'A feature is missing (or infinite) for some samples after the pipeline: add an impute step for it, or coalesce it in a derive step (the message names the features).',
  ),
  'pipeline.onlyRowsWithoutReuse': usage(
    "onlyRows was given without the earlier run's fitted state and split (reuse).",
  ),
  'pipeline.tooManyLeftOut': input(
    'A filter step with max_left_out leaves out a larger fraction of its input rows (the message names the step and a few of the rows).',
  ),
  'pipeline.sampleKey': input(
    'A sample key is missing, or occurs twice among the samples or at a split step.',
  ),
  'pipeline.subjectVia': input(
    'A subject `via` is not many-to-one on the data: a row matches several rows of the via source (the message names the key).',
  ),
  'pipeline.sourceMismatch': input(
    'The parsed tables lack a declared source, or a declared column, or hold a column as the other kind.',
  ),

  // queue: BullMQ transport, jobs and workers
  'queue.badKind': usage('A queue name that does not exist was given.'),
  'queue.badPayload': input('A job payload does not match its schema.', { alsoUsage: true }),
  'queue.badState': usage('A job state that does not exist was given.'),
  'queue.jobFailed': failure('A job the CLI waited for failed.'),
  'queue.jobNotFound': notFound('A job id is in no queue (never submitted, or removed by retention).'),
  'queue.noProcessor': usage('A queue has no built processor file; run the build.'),
  'queue.noRedis': unavailable('No Redis answers and redis-server is not installed.'),
  'queue.redisStart': unavailable('The local redis-server could not be started or did not answer in time.'),
  'queue.redisUnavailable': unavailable('Redis cannot be reached.'),
  'queue.waitTimeout': failure('A job did not finish within the time the caller waited.', {
    retriable: true,
  }),

  // runs: `traceprop runs`
  'report.unknownId': notFound(
    'No Model, UnlearningRequest or Run has the id a report was asked for (`traceprop report list model|erasure|run` lists them).',
  ),
  'report.pdfFailed': unavailable('Chromium could not be started or could not print the report to PDF.'),
  'runs.complete': usage('A complete Run cannot be failed (its models were trained on it).'),
  'runs.leaseLive': usage('A running Run still holds a live lease; its ingest may still be writing.'),

  // trace: `traceprop trace` (the audit trace of a prediction)
  'trace.ambiguousKey': usage(
    'Several models hold a prediction for the sample with this key; name one with --model.',
  ),
  'trace.badKey': usage('A trace by key lacks the key column or the value.'),
  'trace.badTarget': usage('Neither or both of a prediction id and --key were given.'),
  'trace.noPrediction': notFound('No prediction has this id, or none matches the key (and model).'),
  'trace.unknownKeyColumn': usage('Samples are not keyed by the column given in --key.'),

  // serve: the workbench's HTTP server (src/serve)
  'serve.badJson': usage('A request body is not valid JSON (HTTP 400).'),
  'serve.badRequest': usage("A request's body or parameters do not match the route's schema (HTTP 400)."),
  'serve.bodyTooLarge': failure(
    'A request body is larger than the server accepts (HTTP 413; `--body-limit`).',
  ),
  'serve.internal': failure('The server failed on a request; the details are in its log (HTTP 500).'),
  'serve.notFound': notFound('No route has this method and path (HTTP 404).'),
  'serve.notLoopback': usage(
    '`traceprop serve` was asked to listen beyond loopback while no API token exists.',
  ),
  'serve.queryTimeout': usage(
    'A POST /api/cypher query ran longer than its timeout and was stopped (HTTP 400).',
  ),
  'serve.requestIdConflict': failure(
    'A client-supplied request id was used before for a request with another body (HTTP 409).',
  ),
  'serve.unsupportedMediaType': failure('A request body is not JSON (HTTP 415).'),

  // unlearning: the removal maths and the unlearning job (`traceprop unlearn`)
  'unlearning.ambiguousFile': usage('--file matches several source files; name it by path or content id.'),
  'unlearning.ambiguousModel': usage('Several active models use the rows; name one with --model.'),
  'unlearning.badBudget': usage('--budget is not a number ≥ 0.'),
  'unlearning.badForgetSet': input('A forget index is out of range or repeated.'),
  'unlearning.badLambda': input('The L2 penalty lambda is not > 0, so the optimum is not unique.'),
  'unlearning.badMode': usage('--mode is neither drop nor recompute.'),
  'unlearning.badModel': usage('--model is empty.'),
  // Was `unlearning.badBudget` (InputError) in the maths; that code stays the CLI's usage error.
  'unlearning.badCertification': usage(
    'Certified removal was asked for with ε ≤ 0, δ outside (0, 1) or a residual budget ε′ ≤ 0 (e.g. --certify 1,1e-5).',
  ),
  'unlearning.badRemovalBudget': input('The Newton removal was given a negative gradient-norm budget.'),
  'unlearning.badRows': usage('--rows is not a list of numbers and ranges, or a range runs backwards.'),
  'unlearning.badShape': input('Matrices or labels of the removal problem have inconsistent shapes.'),
  'unlearning.badSteps': input('The Newton removal was given a step count that is not a whole number ≥ 1.'),
  'unlearning.badTarget': usage('The rows to erase are not named by exactly one of --file/--rows and --key.'),
  'unlearning.degenerateModel': input('The update would leave too few training rows, or one class only.'),
  'unlearning.failed': failure(
    'An unlearning request failed, or an earlier request it depends on is not complete.',
  ),
  'unlearning.modelNotActive': input('The model named is not active and no active version descends from it.'),
  'unlearning.noRecipe': input(
    'The run was saved without its pipeline recipe, so its samples cannot be re-derived.',
  ),
  'unlearning.nothingLeft': input('Removing the rows would leave no training row.'),
  'unlearning.rowsOutOfRange': usage('--rows names data rows beyond the end of the file.'),
  'unlearning.pipelineChanged': input(
    "A run's saved pipeline text no longer reads as the same pipeline (its canonical hash differs), so its samples cannot be re-derived.",
  ),
  'unlearning.sourceChanged': input(
    "A run's source file changed or vanished, so its samples cannot be re-derived.",
  ),
  'unlearning.unknownFile': notFound('No source file (of the model) has this name, path or content id.'),
  'unlearning.unknownModel': notFound(
    'No active model uses the rows, or the model named is not in the graph.',
  ),
  'unlearning.unknownRequest': notFound(
    'No unlearning request with that id is in the graph (`traceprop query erasures` lists them).',
  ),
  'unlearning.unknownRows': notFound('Rows or keys to erase are not in the source file.'),
  'unlearning.unsupportedModel': input(
    'The model is of a kind that cannot be unlearned (only logistic regression).',
  ),

  // workbench: the read-only queries behind the workbench's GET routes (src/workbench)
  'workbench.badInput': usage(
    'A workbench query was given parameters its schema refuses (the message lists them).',
  ),
  'workbench.unknownErasure': notFound('No unlearning (erasure) request has this id.'),
  'workbench.unknownFile': notFound(
    'The run read no source file with this id (the lineage DAG cannot expand it).',
  ),
  'workbench.unknownModel': notFound('No Model has this id.'),
  'workbench.unknownPrediction': notFound('No Prediction has this id.'),
  'workbench.unknownRun': notFound('No Run has this id.'),
  'workbench.unknownSample': notFound('No Sample has this id.'),
  'workbench.unknownSourceRow': notFound('No SourceRow has this id.'),
} as const satisfies Record<string, ErrorEntry>;

/** Every error code (a key of {@link errorCatalogue}). */
export type ErrorCode = keyof typeof errorCatalogue;

/** The codes a given class may carry, e.g. `ErrorCodeOf<'UsageError'>`. */
export type ErrorCodeOf<C extends ErrorClassName> = {
  [K in ErrorCode]: (typeof errorCatalogue)[K]['class'] extends C ? K : never;
}[ErrorCode];

/** The catalogue entry of `code`, or undefined for a string that is not a code. */
export function errorEntry(code: string): ErrorEntry | undefined {
  return Object.hasOwn(errorCatalogue, code)
    ? (errorCatalogue as Record<string, ErrorEntry>)[code]
    : undefined;
}
