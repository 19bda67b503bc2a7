import neo4j, { type ManagedTransaction, type Record as Neo4jRecord, type Session } from 'neo4j-driver';
import { defaults } from '../defaults.js';
import { hasCode, TracepropError, UsageError } from '../errors.js';
import type { LineageRun, LineageSourceFile, PipelineDefinition } from '../lineage/lineage-run.js';
import { pipelineFormat } from '../pipeline-spec/pipeline-schema.js';
import { type GraphClient, openSession, toGraphError } from './connection.js';
import { cypherText } from './cypher-library.js';
import { failRun } from './fail-run.js';
import {
  type DerivedFromBatch,
  derivedFromBatches,
  fileSlots,
  provenanceEdgeCount,
  provenanceFileCounts,
  type SampleBatch,
  type SourceRowBatch,
  sampleBatches,
  sourceRowBatches,
  splitCounts,
} from './lineage-batches.js';
import { keepRunLease, type RunLeaseKeeper, renewRunLease } from './run-lease.js';
import { validateLineageRun } from './validate-lineage-run.js';
import { writeRowSubjects } from './write-row-subjects.js';

/** What the writer reports after each committed batch (for a progress bar). */
export interface IngestProgress {
  /** `rows` (SourceRows), `samples` (Samples), `provenance` (DERIVED_FROM edges). */
  phase: 'rows' | 'samples' | 'provenance';
  /** Items written so far: SourceRows + Samples + DERIVED_FROM edges. */
  written: number;
  /** Items to write in all. */
  total: number;
  /** Batches committed so far (1-based count). */
  batch: number;
}

/** Options of {@link writeLineageRun}. */
export interface WriteLineageOptions {
  /** SourceRows per transaction (default 20,000). */
  rowBatchSize?: number;
  /** Samples per transaction (default 20,000). */
  sampleBatchSize?: number;
  /** DERIVED_FROM edges per transaction (default 20,000). */
  edgeBatchSize?: number;
  /** Transactions in flight at once (default 2). */
  concurrency?: number;
  /** Called after each committed batch. */
  onProgress?: (progress: IngestProgress) => void;
  /**
   * Called after each committed batch; a throw (or rejection) aborts the ingest as any failure
   * does: the Run is marked failed and what it wrote is removed. Tests use it to fail an ingest
   * half-way.
   */
  afterBatch?: (progress: IngestProgress) => void | Promise<void>;
  /** Aborts the ingest between batches (then it fails and cleans up as any failure does). */
  signal?: AbortSignal;
  /**
   * Lease of the Run while it is written, in seconds (default 60, TRACEPROP_RUN_LEASE_SECONDS in
   * the CLI): renewed every third of it on a timer; once it expires, another process may fail the
   * Run as dead (see `recoverExpiredRuns`).
   */
  leaseSeconds?: number;
  /**
   * Runs inside the last transaction, the one that marks the Run `complete`, after it did: what
   * it writes lands with the completion or not at all (a throw fails the ingest as any failure
   * does). The ingest records the run's signed statement here.
   */
  onComplete?: (tx: ManagedTransaction, completion: RunCompletion) => Promise<void>;
}

/** The counts and time the last transaction of {@link writeLineageRun} records on the Run. */
interface RunCompletion {
  finishedAt: string;
  counts: { files: number; ops: number; samples: number; sourceRows: number; provenanceEdges: number };
}

/** What {@link writeLineageRun} wrote. */
export interface IngestResult {
  runId: string;
  status: 'complete';
  mode: 'op' | 'row';
  /** Distinct SourceFiles of the run, and how many of them this ingest created. */
  files: number;
  filesCreated: number;
  ops: number;
  /**
   * SourceRows of the run's files; how many of them this ingest created; how many were in the
   * graph already (written by an earlier or concurrent ingest of the same file).
   */
  sourceRows: number;
  sourceRowsWritten: number;
  sourceRowsPresent: number;
  samples: number;
  /** DERIVED_FROM edges (0 in op mode). */
  provenanceEdges: number;
  /** Transactions committed. */
  batches: number;
  /** Wall time of the write. */
  seconds: number;
}

interface FileState {
  id: string;
  created: boolean;
  rows: number;
  rowsPresent: number;
}

/**
 * Writes a {@link LineageRun} to Neo4j as DESIGN §2 lays it out, in four phases:
 * 1. one transaction creates the Run (`running`), MERGEs its declared Pipeline (when the run has
 *    a `definition`) with USES, MERGEs its SourceFiles, CREATEs its Ops (with their `step`) with
 *    HAS_OP, AFTER and READ;
 * 2. batched UNWIND transactions write the SourceRows with IN_FILE (with their business key and
 *    data subject): CREATE for a file that has none yet, MERGE for one that has some, nothing
 *    for one that has all (a re-ingest); rows written before without the subject this run
 *    declares for them get it (`writeRowSubjects`);
 * 3. batched transactions CREATE the Samples with OUTPUT_OF;
 * 4. (row mode) batched transactions CREATE the DERIVED_FROM edges, looking both ends up by the
 *    internal node ids phases 2 and 3 returned (no index look-ups);
 * then a last transaction marks the Run `complete` with its counts. Batches are plain parallel
 * lists (numbers travel as floats, the driver's fastest), `concurrency` of them in flight.
 *
 * On any failure the Run is marked `failed` and what the ingest wrote is removed (its Samples and
 * Ops, its USES edge and a Pipeline no other run uses, and the SourceFiles and SourceRows it
 * created that no other run reads); the error is rethrown. The schema (uniqueness constraints)
 * must be applied first.
 *
 * @example
 * const { lineage } = runDeclaredPipeline(pipeline, tables, { mode: 'row', definition });
 * const result = await writeLineageRun(client, lineage, { onProgress: (p) => bar.update(p.written) });
 */
export async function writeLineageRun(
  client: GraphClient,
  run: LineageRun,
  options: WriteLineageOptions = {},
): Promise<IngestResult> {
  validateLineageRun(run);
  const started = performance.now();
  const rowMode = run.mode === 'row';
  const slots = fileSlots(run);
  const edgesTotal = provenanceEdgeCount(run, slots);
  const rowBatchSize = options.rowBatchSize ?? defaults.ingestBatchRows;
  const sampleBatchSize = options.sampleBatchSize ?? defaults.ingestBatchRows;
  const edgeBatchSize = options.edgeBatchSize ?? defaults.ingestBatchRows;
  const concurrency = Math.max(1, options.concurrency ?? defaults.ingestWriteConcurrency);
  const sourceRows = slots.files.reduce((sum, f) => sum + f.rows, 0);

  const sessions: Session[] = [];
  const session = (k: number): Session => {
    sessions[k] ??= openSession(client, 'WRITE');
    return sessions[k];
  };
  const leaseSeconds = options.leaseSeconds ?? defaults.runLeaseSeconds;
  let lease: RunLeaseKeeper | undefined;
  let runCreated = false;
  let batches = 0;
  let written = 0;
  let total = 0;
  const committed = async (phase: IngestProgress['phase'], items: number) => {
    batches++;
    written += items;
    const progress = { phase, written, total, batch: batches };
    options.onProgress?.(progress);
    await options.afterBatch?.(progress);
    options.signal?.throwIfAborted();
    const lost = lease?.lost();
    if (lost) throw lost;
  };

  try {
    options.signal?.throwIfAborted();
    // Phase 1: Run, SourceFiles, Ops.
    const states = await session(0).executeWrite(async (tx) => {
      await tx.run(cypherText('ingest', 'create-run'), { run: runProperties(run, sourceRows, edgesTotal) });
      runCreated = true;
      await renewRunLease(tx, run.runId, leaseSeconds);
      if (run.definition) await writeDefinition(tx, run.runId, run.definition);
      const merged = await tx.run(cypherText('ingest', 'merge-source-files'), {
        runId: run.runId,
        files: slots.files.map((f) => ({
          id: f.id,
          name: f.name,
          path: f.path,
          table: f.table,
          rows: neo4j.int(f.rows),
          keyColumn: f.keyColumn ?? null,
          subjectName: f.subjectName ?? null,
        })),
      });
      assertSameSubjects(merged.records, slots.files);
      await tx.run(cypherText('ingest', 'create-ops'), {
        runId: run.runId,
        ops: run.ops.map((op) => ({
          id: op.id,
          seq: neo4j.int(op.seq),
          kind: op.kind,
          name: op.name,
          params: JSON.stringify(op.params ?? {}),
          columns: op.columns ? JSON.stringify(op.columns) : null,
          step: op.step ?? null,
        })),
      });
      const from: string[] = [];
      const to: string[] = [];
      const positions: number[] = [];
      for (const op of run.ops) {
        for (const [position, input] of op.inputs.entries()) {
          from.push(op.id);
          to.push(input);
          positions.push(position);
        }
      }
      if (from.length) await tx.run(cypherText('ingest', 'link-op-inputs'), { from, to, positions });
      const readers = run.ops.filter((op) => op.fileId);
      if (readers.length) {
        await tx.run(cypherText('ingest', 'link-op-reads'), {
          ops: readers.map((op) => op.id),
          files: readers.map((op) => op.fileId),
        });
      }
      return merged.records.map(
        (r): FileState => ({
          id: r.get('id'),
          created: r.get('created'),
          rows: r.get('rows'),
          rowsPresent: r.get('rowsPresent'),
        }),
      );
    });
    batches++;
    lease = keepRunLease(client, run.runId, leaseSeconds);

    const stateOf = new Map(states.map((s) => [s.id, s]));
    const toWrite = slots.files.filter((f) => (stateOf.get(f.id)?.rowsPresent ?? 0) < f.rows);
    const rowsToWrite = toWrite.reduce((sum, f) => sum + f.rows, 0);
    let sourceRowsWritten = 0;
    total = rowsToWrite + run.samples.count + edgesTotal;

    // Phase 2: SourceRows (internal ids kept in row mode for phase 4).
    const rowNodeIds = rowMode ? slots.files.map((f) => new Float64Array(f.rows)) : [];
    const mergeFile = new Set(
      toWrite.filter((f) => (stateOf.get(f.id)?.rowsPresent ?? 0) > 0).map((f) => f.id),
    );
    await inParallel(
      interleave(toWrite.map((f) => sourceRowBatches(f, rowBatchSize))),
      concurrency,
      async (batch, k) => {
        let ids: RowBatchIds;
        try {
          ids = await writeRowBatch(session(k), batch, mergeFile.has(batch.fileId));
        } catch (err) {
          // Another ingest of the same new file got there first: fall back to MERGE.
          if (
            mergeFile.has(batch.fileId) ||
            (err as { code?: string }).code !== 'Neo.ClientError.Schema.ConstraintValidationFailed'
          )
            throw err;
          mergeFile.add(batch.fileId);
          ids = await writeRowBatch(session(k), batch, true);
        }
        sourceRowsWritten += ids.created;
        if (rowMode) place(rowNodeIds[slots.ids.indexOf(batch.fileId)], batch.start, ids);
        await committed('rows', batch.count);
      },
    );
    // Rows written before without their subject (the same bytes read by a pipeline without one).
    for (const file of slots.files) {
      if (file.subjects && (stateOf.get(file.id)?.rowsPresent ?? 0) > 0)
        await writeRowSubjects(session(0), file, rowBatchSize);
    }
    if (rowMode && edgesTotal > 0) {
      for (const [slot, file] of slots.files.entries()) {
        if (toWrite.includes(file)) continue;
        const out = rowNodeIds[slot];
        await session(0).executeRead(async (tx) => {
          const result = await tx.run(cypherText('ingest', 'source-row-ids'), { fileId: file.id });
          for (const record of result.records) out[record.get('row')] = record.get('nodeId');
        });
      }
    }

    // Phase 3: Samples.
    const sampleNodeIds = new Float64Array(rowMode ? run.samples.count : 0);
    await inParallel(sampleBatches(run, sampleBatchSize), concurrency, async (batch, k) => {
      const ids = await writeSampleBatch(session(k), run.runId, batch);
      if (rowMode) place(sampleNodeIds, batch.start, ids);
      await committed('samples', batch.count);
    });

    // Phase 4: DERIVED_FROM.
    let edgesWritten = 0;
    await inParallel(
      derivedFromBatches(run, slots, sampleNodeIds, rowNodeIds, edgeBatchSize),
      concurrency,
      async (batch, k) => {
        const edges = await writeDerivedFromBatch(session(k), batch);
        edgesWritten += edges;
        await committed('provenance', edges);
      },
    );

    const perFile = provenanceFileCounts(run, slots);
    const splits = splitCounts(run);
    const counts = {
      files: neo4j.int(slots.files.length),
      ops: neo4j.int(run.ops.length),
      samples: neo4j.int(run.samples.count),
      sourceRows: neo4j.int(sourceRows),
      provenanceEdges: neo4j.int(edgesWritten),
      trainSamples: neo4j.int(splits.trainSamples),
      testSamples: neo4j.int(splits.testSamples),
      // Per file (parallel lists, by file id): what the provenance links, for the workbench's DAG.
      provenanceFileIds: slots.ids,
      provenanceFileRowsUsed: perFile.rowsUsed.map((n) => neo4j.int(n)),
      provenanceFileSamples: perFile.samples.map((n) => neo4j.int(n)),
    };
    await lease.stop();
    const finishedAt = new Date().toISOString();
    const completed = await session(0).executeWrite(async (tx) => {
      const done = await tx.run(cypherText('ingest', 'complete-run'), {
        runId: run.runId,
        finishedAt,
        counts,
      });
      // OpenLineage datasets imported before this ingest that name its files (docs/openlineage.md).
      if (done.records.length > 0)
        await tx.run(cypherText('openlineage', 'link-files-to-datasets'), { fileIds: slots.ids });
      if (done.records.length > 0 && options.onComplete)
        await options.onComplete(tx, {
          finishedAt,
          counts: {
            files: slots.files.length,
            ops: run.ops.length,
            samples: run.samples.count,
            sourceRows,
            provenanceEdges: edgesWritten,
          },
        });
      return done;
    });
    // No row: the Run is no longer running (another process failed it when its lease expired).
    if (completed.records.length === 0)
      throw lease.lost() ?? new TracepropError('graph.runLeaseLost', `run ${run.runId} is no longer running`);
    batches++;
    return {
      runId: run.runId,
      status: 'complete',
      mode: run.mode,
      files: slots.files.length,
      filesCreated: states.filter((s) => s.created).length,
      ops: run.ops.length,
      sourceRows,
      sourceRowsWritten,
      sourceRowsPresent: sourceRows - sourceRowsWritten,
      samples: run.samples.count,
      provenanceEdges: edgesWritten,
      batches,
      seconds: (performance.now() - started) / 1000,
    };
  } catch (raw) {
    await lease?.stop();
    const err = toGraphError(raw, client.uri);
    await Promise.allSettled(sessions.map((s) => s.close()));
    sessions.length = 0;
    if (!runCreated) throw runExists(err, run.runId);
    let cleanupError: unknown;
    let rolledBack = false;
    try {
      await failRun(client, run.runId, errorText(err));
    } catch (cleanup) {
      // No Run: the first transaction (which creates it) failed and rolled back, nothing was written.
      if (hasCode(cleanup, 'graph.notFound')) rolledBack = true;
      else cleanupError = cleanup;
    }
    throw ingestFailed(err, run.runId, batches, cleanupError, rolledBack);
  } finally {
    await lease?.stop();
    await Promise.allSettled(sessions.map((s) => s.close()));
  }
}

/** Positions in a batch and the internal node ids written for them. */
interface BatchIds {
  positions: number[];
  nodeIds: number[];
}

/** A SourceRow batch's ids and how many of its rows it created (a MERGE finds some existing). */
interface RowBatchIds extends BatchIds {
  created: number;
}

function place(out: Float64Array, start: number, ids: BatchIds): void {
  for (let k = 0; k < ids.positions.length; k++) out[start + ids.positions[k]] = ids.nodeIds[k];
}

/** Yields one item of each generator in turn (batches of different files side by side). */
function* interleave<T>(generators: Generator<T>[]): Generator<T> {
  let live = generators;
  while (live.length > 0) {
    const next: Generator<T>[] = [];
    for (const g of live) {
      const step = g.next();
      if (!step.done) {
        yield step.value;
        next.push(g);
      }
    }
    live = next;
  }
}

/**
 * Links the Run to its declared pipeline: MERGEs the `Pipeline` by `sha256` (format
 * `traceprop.pipeline/1`) and CREATEs `USES`. A node under that hash with another name or text
 * fails the ingest (`graph.pipelineConflict`).
 */
async function writeDefinition(
  tx: ManagedTransaction,
  runId: string,
  definition: PipelineDefinition,
): Promise<void> {
  const result = await tx.run(cypherText('ingest', 'merge-pipeline'), {
    runId,
    sha256: definition.sha256,
    name: definition.name,
    format: pipelineFormat,
    text: definition.text,
  });
  if (result.records[0]?.get('same') !== true)
    throw new TracepropError(
      'graph.pipelineConflict',
      `the graph holds another pipeline under sha256 ${definition.sha256} (name or canonical text differ from run ${runId}'s "${definition.name}"): the Pipeline node was not written by Traceprop's canonical form`,
    );
}

/**
 * Refuses a run that gives a file another subject name than the graph holds for it (phase 1
 * rolls back): one file's rows belong to one kind of data subject.
 */
function assertSameSubjects(records: Neo4jRecord[], files: LineageSourceFile[]): void {
  for (const r of records) {
    if (r.get('subjectConflict') !== true) continue;
    const file = files.find((f) => f.id === r.get('id'));
    throw new TracepropError(
      'graph.subjectConflict',
      `${file?.name ?? r.get('id')} (content id ${r.get('id')}): the graph holds its rows as belonging to subject "${r.get('subjectNameBefore')}", this run declares "${file?.subjectName}": one file's rows belong to one kind of data subject`,
    );
  }
}

function runProperties(run: LineageRun, sourceRows: number, edges: number): Record<string, unknown> {
  const now = new Date().toISOString();
  return {
    id: run.runId,
    pipeline: run.pipeline,
    mode: run.mode,
    startedAt: run.startedAt ?? now,
    ingestStartedAt: now,
    files: neo4j.int(new Set(run.files.map((f) => f.id)).size),
    ops: neo4j.int(run.ops.length),
    samples: neo4j.int(run.samples.count),
    sourceRows: neo4j.int(sourceRows),
    provenanceEdges: neo4j.int(edges),
    featureNames: run.featureNames ?? null,
    sampleKeyColumn: run.samples.keyColumn ?? null,
    featureColumns: run.featureColumns ? JSON.stringify(run.featureColumns) : null,
  };
}

async function writeRowBatch(session: Session, batch: SourceRowBatch, merge: boolean): Promise<RowBatchIds> {
  const text = cypherText('ingest', merge ? 'merge-source-rows' : 'create-source-rows');
  const params = {
    fileId: batch.fileId,
    start: neo4j.int(batch.start),
    count: neo4j.int(batch.count),
    keys: batch.keys,
    subjects: batch.subjects,
  };
  const result = await session.executeWrite((tx) => tx.run(text, params));
  const record = result.records[0];
  return {
    positions: record.get('positions'),
    nodeIds: record.get('nodeIds'),
    created: merge ? Number(record.get('created')) : batch.count,
  };
}

async function writeSampleBatch(session: Session, runId: string, batch: SampleBatch): Promise<BatchIds> {
  const params = {
    runId,
    start: neo4j.int(batch.start),
    count: neo4j.int(batch.count),
    index: batch.index,
    split: batch.split,
    keys: batch.keys,
    labels: batch.labels,
  };
  const result = await session.executeWrite((tx) => tx.run(cypherText('ingest', 'create-samples'), params));
  return { positions: result.records[0].get('positions'), nodeIds: result.records[0].get('nodeIds') };
}

async function writeDerivedFromBatch(session: Session, batch: DerivedFromBatch): Promise<number> {
  return session.executeWrite(async (tx) => {
    const result = await tx.run(cypherText('ingest', 'link-derived-from'), batch);
    const edges = result.records[0]?.get('edges') ?? 0;
    const erased = result.records[0]?.get('erased') ?? 0;
    if (erased > 0) {
      // Throwing rolls the batch back; the ingest then fails and cleans up.
      throw new TracepropError(
        'graph.erasedSourceRow',
        `the run derives ${erased} sample link(s) in a batch from erased source rows: build runs with the erasure tombstones applied (ingestPipelineFile leaves tombstoned rows out), never from erased data`,
      );
    }
    if (edges !== batch.samples.length) {
      // Throwing rolls the batch back.
      throw new TracepropError(
        'graph.missingSourceRow',
        `expected ${batch.samples.length} DERIVED_FROM edges in a batch, created ${edges}: some Samples or SourceRows of the run are missing (a concurrent clean-up?)`,
      );
    }
    return edges;
  });
}

/** Runs `work` on every item, with at most `width` running at once (`k` is the worker slot). */
async function inParallel<T>(
  items: Iterable<T>,
  width: number,
  work: (item: T, k: number) => Promise<void>,
): Promise<void> {
  const iterator = items[Symbol.iterator]();
  let failed = false;
  const worker = async (k: number) => {
    while (!failed) {
      const next = iterator.next();
      if (next.done) return;
      try {
        await work(next.value, k);
      } catch (err) {
        failed = true;
        throw err;
      }
    }
  };
  const results = await Promise.allSettled(Array.from({ length: width }, (_, k) => worker(k)));
  const rejected = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (rejected) throw rejected.reason;
}

function errorText(err: unknown): string {
  const e = err as { code?: string; message?: string };
  return `${e.code ? `[${e.code}] ` : ''}${(e.message ?? String(err)).split('\n')[0]}`.slice(0, 1000);
}

function runExists(err: unknown, runId: string): unknown {
  if ((err as { code?: string }).code === 'Neo.ClientError.Schema.ConstraintValidationFailed') {
    return new UsageError(
      'graph.runExists',
      `a Run with id ${runId} exists already: each ingest needs a new run id`,
      { cause: err },
    );
  }
  return err;
}

function ingestFailed(
  err: unknown,
  runId: string,
  batches: number,
  cleanupError: unknown,
  rolledBack: boolean,
): unknown {
  const cleanup = rolledBack
    ? 'its first transaction rolled back: nothing was written'
    : cleanupError === undefined
      ? 'the Run is marked failed and what it wrote was removed'
      : `the clean-up failed too (${errorText(cleanupError)}); the Run may still read "running": remove it with \`traceprop runs fail ${runId}\` (or let the next ingest recover it once its lease expires)`;
  if (err instanceof TracepropError && cleanupError === undefined) {
    err.message = `${err.message} (ingest of run ${runId} stopped after ${batches} batches; ${cleanup})`;
    return err;
  }
  // The catalogue marks graph.ingestFailed `fromCause`: it keeps the exit code and retriable of `err`.
  return new TracepropError(
    'graph.ingestFailed',
    `ingest of run ${runId} failed after ${batches} batches: ${errorText(err)}; ${cleanup}`,
    { cause: err },
  );
}
