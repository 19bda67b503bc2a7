import fs from 'node:fs';
import type { ErasureSalt } from '../erasure/erasure-salt.js';
import { UsageError } from '../errors.js';
import type { GraphClient } from '../graph/connection.js';
import { assertSafeName } from '../graph/identifiers.js';
import {
  type IngestProgress,
  type IngestResult,
  type WriteLineageOptions,
  writeLineageRun,
} from '../graph/lineage-writer.js';
import { applySchema } from '../graph/schema.js';
import type { LineageRun } from '../lineage/lineage-run.js';
import { runMatrixFromFeatures } from '../models/run-matrix-from-features.js';
import { runDir, saveRunMatrix } from '../models/run-matrix-store.js';
import {
  type CreditRiskFiles,
  type CreditRiskProgress,
  readCreditRiskTables,
  runCreditRiskTransforms,
} from '../pipelines/credit-risk-pipeline.js';
import { creditRiskTableNames } from '../pipelines/credit-risk-recipe.js';
import { type DroppedLabels, defaultMaxBadLabels } from '../pipelines/label-check.js';
import { assertNewRunId, type ErasedRowsLeftOut, findErasedRows, summariseLeftOut } from './ingest-guards.js';

/** Options of {@link ingestCreditRisk}. */
export interface IngestCreditRiskOptions {
  files: CreditRiskFiles;
  /** Label column of the application file (default `TARGET`; the Home Credit sample uses `DEFAULTED`). */
  labelColumn?: string;
  /**
   * Refuse the input when more than this fraction of the application rows has a label other than
   * 0/1 (default {@link defaultMaxBadLabels}, 1%); below it those rows are left out and reported.
   */
  maxBadLabels?: number;
  /** `row` (default): row provenance too; `op`: the op DAG only. */
  mode?: 'row' | 'op';
  /** Run id (default: a random UUID). */
  runId?: string;
  /** Apply cypher/schema before writing (default true). */
  applySchema?: boolean;
  /** Progress of reading and transforming the CSVs. */
  onPipelineProgress?: (event: CreditRiskProgress) => void;
  /** Progress of the Neo4j write. */
  onWriteProgress?: (progress: IngestProgress) => void;
  /** Aborts the write between batches (the Run is then marked failed and cleaned up). */
  signal?: AbortSignal;
  /**
   * TRACEPROP_HOME: when given, the run's model matrix (features, labels, split, recipe) is saved
   * under `<home>/runs/<runId>/` so `traceprop train` and unlearning can use it.
   */
  artifactsHome?: string;
  /** Writer tuning and test hooks. */
  writer?: Omit<WriteLineageOptions, 'onProgress' | 'signal'>;
  /**
   * The deployment's erasure salt (`resolveErasureSalt(config)`): tombstoned rows are matched by
   * file and row, and by the salted hash of their business key.
   */
  erasureSalt: ErasureSalt;
}

/** What {@link ingestCreditRisk} did. */
export interface IngestCreditRiskResult extends IngestResult {
  pipeline: string;
  /** Columns of the model matrix. */
  features: number;
  /** Application rows left out because their label is not 0 or 1. */
  droppedLabels: DroppedLabels;
  /** Seconds spent reading the CSVs and transforming (with lineage tracking). */
  pipelineSeconds: number;
  /** Seconds spent writing to Neo4j (= `seconds`). */
  writeSeconds: number;
  /** The lineage that was written (for callers that check or reuse it). */
  lineage: LineageRun;
  /** Erased rows left out (each table's `erased by <request ids>` filter op lists them). */
  erasedRowsLeftOut: ErasedRowsLeftOut;
}

/**
 * Runs the credit-risk pipeline on three CSV files with lineage tracking and writes the lineage
 * to Neo4j (schema first). Rows erased by earlier unlearning requests (their tombstones, matched
 * by file and row or by the salted hash of the table's business key) are left out right after
 * loading, by a `filter` op `erased by <request ids>` per table, and counted in
 * `erasedRowsLeftOut`. Bad input fails before anything is written (`ingest.*` errors naming
 * file, row and column); a failed write leaves its Run `failed` and cleaned up.
 *
 * @example
 * const r = await ingestCreditRisk(client, { files: creditRiskFiles(dir), labelColumn: 'DEFAULTED' });
 * console.log(r.runId, r.samples, r.sourceRows);
 */
export async function ingestCreditRisk(
  client: GraphClient,
  options: IngestCreditRiskOptions,
): Promise<IngestCreditRiskResult> {
  const mode = options.mode ?? 'row';
  if (mode !== 'row' && mode !== 'op')
    throw new UsageError('ingest.badMode', `mode must be "row" or "op", got ${JSON.stringify(mode)}`);
  if (options.labelColumn !== undefined) assertSafeName('label column', options.labelColumn);
  const maxBadLabels = options.maxBadLabels ?? defaultMaxBadLabels;
  if (!(maxBadLabels >= 0 && maxBadLabels <= 1))
    throw new UsageError(
      'ingest.badMaxBadLabels',
      `maxBadLabels must be a fraction between 0 and 1, got ${JSON.stringify(options.maxBadLabels)}`,
    );
  if (options.applySchema ?? true) await applySchema(client);
  if (options.runId !== undefined) await assertNewRunId(client, options.runId, options.artifactsHome);
  const started = performance.now();
  const tables = await readCreditRiskTables(options.files, {
    labelColumn: options.labelColumn,
    onProgress: options.onPipelineProgress,
  });
  const inputs = { application: tables.application, bureau: tables.bureau, previous: tables.previous };
  const erased = await findErasedRows(client, inputs, options.erasureSalt);
  const result = runCreditRiskTransforms(tables, {
    mode,
    maxBadLabels,
    runId: options.runId,
    onProgress: options.onPipelineProgress,
    excludeRows: Object.fromEntries(creditRiskTableNames.map((t) => [t, erased[t]?.rows ?? []])),
    excludedBy: Object.fromEntries(creditRiskTableNames.map((t) => [t, erased[t]?.requestIds ?? []])),
  });
  const pipelineSeconds = (performance.now() - started) / 1000;
  const lineage = result.lineage as LineageRun;
  // The matrix is saved first (local and cheap) and removed again if the graph write fails, so a
  // failed ingest leaves neither a half-written run nor an orphaned artifact.
  if (options.artifactsHome)
    await saveRunMatrix(options.artifactsHome, runMatrixFromFeatures(result, lineage.runId));
  let written: IngestResult;
  try {
    written = await writeLineageRun(client, lineage, {
      ...options.writer,
      onProgress: options.onWriteProgress,
      signal: options.signal,
    });
  } catch (err) {
    if (options.artifactsHome)
      fs.rmSync(runDir(options.artifactsHome, lineage.runId), { recursive: true, force: true });
    throw err;
  }
  return {
    ...written,
    pipeline: lineage.pipeline,
    features: result.featureNames.length,
    droppedLabels: result.droppedLabels,
    pipelineSeconds,
    writeSeconds: written.seconds,
    lineage,
    erasedRowsLeftOut: summariseLeftOut(inputs, erased),
  };
}
