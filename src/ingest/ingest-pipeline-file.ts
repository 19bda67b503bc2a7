import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { ArtifactHome } from '../artifacts/artifact-home.js';
import type { ErasureSalt } from '../erasure/erasure-salt.js';
import { UsageError } from '../errors.js';
import { recordStatement } from '../evidence/record-statement.js';
import { runStatement } from '../evidence/run-statement.js';
import type { SigningKey } from '../evidence/signing-key.js';
import type { GraphClient } from '../graph/connection.js';
import {
  type IngestProgress,
  type IngestResult,
  type WriteLineageOptions,
  writeLineageRun,
} from '../graph/lineage-writer.js';
import { applySchema } from '../graph/schema.js';
import type { LineageRun } from '../lineage/lineage-run.js';
import type { CsvTable } from '../lineage/read-csv.js';
import { runMatrixFromFeatures } from '../models/run-matrix-from-features.js';
import { removeRunArtifacts, saveRunMatrix } from '../models/run-matrix-store.js';
import {
  type IngestEventContext,
  ingestCompleteEvent,
  ingestFailEvent,
  ingestStartEvent,
} from '../openlineage/ingest-events.js';
import type { LineageEmitter } from '../openlineage/lineage-emitter.js';
import { declaredRecipeOf } from '../pipeline-run/declared-recipe.js';
import type { LeftOutReport } from '../pipeline-run/declared-run-types.js';
import { assertFiniteFeatures } from '../pipeline-run/finite-features.js';
import { checkSourcePaths, readPipelineSources } from '../pipeline-run/read-pipeline-sources.js';
import { runDeclaredPipeline } from '../pipeline-run/run-declared-pipeline.js';
import { attachSubjects, subjectIds } from '../pipeline-run/subject-ids.js';
import { canonicalPipeline } from '../pipeline-spec/canonical-pipeline.js';
import { loadPipelineSpec } from '../pipeline-spec/load-pipeline-spec.js';
import { loadPipelineSpecCached } from '../pipeline-spec/pipeline-spec-cache.js';
import type { ValidatedPipeline } from '../pipeline-spec/validate-pipeline.js';
import { assertNewRunId, type ErasedRowsLeftOut, findErasedRows, summariseLeftOut } from './ingest-guards.js';

/** A progress event of reading and running a pipeline file. */
interface PipelineProgress {
  stage: string;
  done: number;
  total: number;
}

/** Options of {@link ingestPipelineFile}. */
export interface IngestPipelineFileOptions {
  /** The pipeline file (`format: traceprop.pipeline/1`, YAML or JSON). */
  pipelineFile: string;
  /**
   * The pipeline of `pipelineFile` as already loaded, possibly edited (e.g. `traceprop ingest
   * credit-risk --label`): this effective pipeline is what runs, is hashed and is recorded on the
   * `Pipeline` node. Default: `loadPipelineSpec(pipelineFile)`.
   */
  pipeline?: ValidatedPipeline;
  /**
   * Where schema-checked pipeline files are cached (`pipelineSpecCacheDir(home)`): an unchanged
   * file is then loaded without the YAML parser and the schema check. Default: no cache.
   */
  pipelineCacheDir?: string;
  /** Directory the sources' paths are relative to (default: the pipeline file's folder). */
  dataDir?: string;
  /**
   * Files to read instead of the declared paths, by source name (`--source NAME=PATH`; relative
   * paths resolve against the working directory). A name that is no source is refused
   * (`ingest.unknownSource`) before any work. The recipe records the files actually read.
   */
  sources?: Readonly<Record<string, string>>;
  /** `row` (default): row provenance too; `op`: the op DAG only. */
  mode?: 'row' | 'op';
  /** Run id (default: a random UUID). */
  runId?: string;
  /** Apply cypher/schema before writing (default true). */
  applySchema?: boolean;
  onPipelineProgress?: (event: PipelineProgress) => void;
  onWriteProgress?: (progress: IngestProgress) => void;
  /** Aborts the write between batches (the Run is then marked failed and cleaned up). */
  signal?: AbortSignal;
  /** TRACEPROP_HOME: the run's model matrix and recipe are saved under `<home>/runs/<runId>/`. */
  artifactsHome?: ArtifactHome;
  writer?: Omit<WriteLineageOptions, 'onProgress' | 'signal'>;
  /** The deployment's erasure salt: tombstoned rows are left out. */
  erasureSalt: ErasureSalt;
  /**
   * The deployment's signing key, when it has one: the run's signed `run` statement is then
   * logged in the transaction that marks the Run complete. Without one nothing is signed.
   */
  signingKey?: SigningKey;
  /** Where the run's OpenLineage events (START, then COMPLETE or FAIL) go; none by default. */
  lineageEvents?: LineageEmitter;
}

/** The signed statement an ingest logged with its completion. */
interface RunStatementRef {
  /** Statement id (hex sha256 of the logged envelope): `traceprop verify statement ID`. */
  id: string;
  logIndex: number;
}

/** What {@link ingestPipelineFile} did. */
export interface IngestPipelineFileResult extends IngestResult {
  pipeline: string;
  /** sha256 of the pipeline's canonical text (its `Pipeline` node). */
  pipelineSha256: string;
  /** Columns of the model matrix. */
  features: number;
  pipelineSeconds: number;
  writeSeconds: number;
  lineage: LineageRun;
  erasedRowsLeftOut: ErasedRowsLeftOut;
  /** Data warnings (e.g. a constant feature, rows a filter with `max_left_out` left out). */
  warnings: string[];
  /** What each filter step with `max_left_out` left out, by step id. */
  leftOut: Record<string, LeftOutReport>;
  /** The run's signed statement, when a signing key was given. */
  statement?: RunStatementRef;
}

/**
 * Runs a pipeline file with lineage tracking and writes its lineage to Neo4j: the file is
 * validated, its sources read and the pipeline run (with rows erased by earlier requests left
 * out) before anything is written, so bad input (a malformed file, a missing source, a date that
 * does not parse, a join whose declared cardinality the data breaks, a label that is not 0/1, a
 * feature left missing for some sample: `pipeline.missingFeatureValues`) writes nothing. The Run
 * records its pipeline (`(:Run)-[:USES]->(:Pipeline)`) and every Op its step; the rows of the
 * sources the pipeline's `subject` lists carry their data subject's id (`SourceRow.subject`, in
 * `row` and `op` mode alike; erased rows left out get none). A failed write leaves its Run
 * `failed` and cleaned up, and no artifact. Sources are read from their declared paths under
 * `dataDir`, or from the files `sources` gives them.
 *
 * @example
 * const r = await ingestPipelineFile(client, { pipelineFile: 'pipelines/berka-loans.yaml',
 *   dataDir: '../shared/datasets/berka_czech_financial', erasureSalt });
 */
export async function ingestPipelineFile(
  client: GraphClient,
  options: IngestPipelineFileOptions,
): Promise<IngestPipelineFileResult> {
  const mode = options.mode ?? 'row';
  if (mode !== 'row' && mode !== 'op')
    throw new UsageError('ingest.badMode', `mode must be "row" or "op", got ${JSON.stringify(mode)}`);
  const pipeline =
    options.pipeline ??
    (options.pipelineCacheDir === undefined
      ? loadPipelineSpec(options.pipelineFile)
      : await loadPipelineSpecCached(options.pipelineFile, options.pipelineCacheDir));
  checkSourcePaths(pipeline, options.sources);
  const definition = canonicalPipeline(pipeline.spec);
  const dataDir = path.resolve(options.dataDir ?? path.dirname(options.pipelineFile));
  if (options.applySchema ?? true) await applySchema(client);
  if (options.runId !== undefined) await assertNewRunId(client, options.runId, options.artifactsHome);
  const runId = options.runId ?? randomUUID();
  const events = options.lineageEvents;
  const eventContext: IngestEventContext | undefined = events && {
    namespace: events.namespace,
    pipeline,
    runId,
    mode,
    sourcePaths: Object.fromEntries(
      pipeline.spec.sources.map((src) => [
        src.name,
        options.sources?.[src.name]
          ? path.resolve(options.sources[src.name])
          : path.resolve(dataDir, src.path),
      ]),
    ),
  };
  if (events && eventContext) events.emit(ingestStartEvent(eventContext));
  try {
    const result = await ingestDeclared(client, options, { pipeline, definition, dataDir, mode, runId });
    if (events && eventContext)
      events.emit(
        ingestCompleteEvent(eventContext, {
          samples: result.samples,
          sourceRows: result.sourceRows,
          provenanceEdges: result.provenanceEdges,
          ops: result.ops,
          pipelineSha256: result.pipelineSha256,
          ...(result.statement ? { statement: result.statement } : {}),
        }),
      );
    return result;
  } catch (err) {
    if (events && eventContext) events.emit(ingestFailEvent(eventContext, err));
    throw err;
  }
}

/** The ingest itself, once the pipeline is validated and the run id chosen. */
async function ingestDeclared(
  client: GraphClient,
  options: IngestPipelineFileOptions,
  run: {
    pipeline: ValidatedPipeline;
    definition: ReturnType<typeof canonicalPipeline>;
    dataDir: string;
    mode: 'row' | 'op';
    runId: string;
  },
): Promise<IngestPipelineFileResult> {
  const { pipeline, definition, dataDir, mode, runId } = run;
  const started = performance.now();
  const tables = await readPipelineSources(pipeline, dataDir, {
    onProgress: options.onPipelineProgress,
    paths: options.sources,
  });
  const inputs: Record<string, CsvTable> = Object.fromEntries(tables);
  const erased = await findErasedRows(client, inputs, options.erasureSalt);
  const excludeRows: Record<string, number[]> = {};
  const excludedBy: Record<string, string[]> = {};
  for (const [name, e] of Object.entries(erased)) {
    if (!e) continue;
    excludeRows[name] = e.rows;
    excludedBy[name] = e.requestIds;
  }
  const result = runDeclaredPipeline(pipeline, tables, {
    mode,
    runId,
    definition,
    excludeRows,
    excludedBy,
    onProgress: options.onPipelineProgress,
  });
  assertFiniteFeatures(result.matrix, result.keys, {
    pipeline: pipeline.spec.name,
    key: pipeline.spec.sample.key,
  });
  const pipelineSeconds = (performance.now() - started) / 1000;
  const lineage = result.lineage as LineageRun;
  attachSubjects(lineage, pipeline.spec.subject?.name, subjectIds(pipeline, tables, excludeRows));
  const recipe = declaredRecipeOf(definition, dataDir, tables, result);
  if (options.artifactsHome)
    await saveRunMatrix(options.artifactsHome, runMatrixFromFeatures({ ...result, recipe }, lineage.runId));
  let written: IngestResult;
  let statement: RunStatementRef | undefined;
  const key = options.signingKey;
  try {
    written = await writeLineageRun(client, lineage, {
      ...options.writer,
      onProgress: options.onWriteProgress,
      signal: options.signal,
      ...(key
        ? {
            onComplete: async (tx, completion) => {
              const appended = await recordStatement(
                tx,
                key,
                runStatement({
                  runId: lineage.runId,
                  pipeline: lineage.pipeline,
                  mode: lineage.mode,
                  files: lineage.files.map((f) => ({
                    name: f.name,
                    table: f.table,
                    sha256: f.id,
                    rows: f.rows,
                  })),
                  definition: { name: definition.name, sha256: definition.sha256 },
                  pipelineFileSha256: fileSha256(options.pipelineFile),
                  ...completion,
                }),
              );
              statement = { id: appended.id, logIndex: appended.logIndex };
            },
          }
        : {}),
    });
  } catch (err) {
    if (options.artifactsHome)
      await removeRunArtifacts(options.artifactsHome, lineage.runId).catch(() => undefined);
    throw err;
  }
  return {
    ...written,
    pipeline: pipeline.spec.name,
    pipelineSha256: definition.sha256,
    features: result.featureNames.length,
    pipelineSeconds,
    writeSeconds: written.seconds,
    lineage,
    erasedRowsLeftOut: summariseLeftOut(inputs, erased),
    warnings: result.warnings,
    leftOut: result.leftOut,
    ...(statement ? { statement } : {}),
  };
}

/** sha256 (hex) of a file's bytes; undefined when it cannot be read. */
function fileSha256(file: string): string | undefined {
  try {
    return createHash('sha256').update(fs.readFileSync(file)).digest('hex');
  } catch {
    return undefined;
  }
}
