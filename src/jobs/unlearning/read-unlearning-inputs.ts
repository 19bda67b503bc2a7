import { type ArtifactHome, artifactDir } from '../../artifacts/artifact-home.js';
import { type ErasureSalt, resolveErasureSalt } from '../../erasure/erasure-salt.js';
import { type GraphClient, withSession } from '../../graph/connection.js';
import { cypherText } from '../../graph/cypher-library.js';
import {
  loadModelArtifact,
  type ModelArtifact,
  type SavedModelArtifact,
} from '../../models/model-artifact-store.js';
import type { RunMatrix } from '../../models/run-matrix.js';
import { type LoadedRunMatrix, loadRunMatrix } from '../../models/run-matrix-store.js';
import { sampleRowIndex } from '../../models/sample-row-index.js';
import { findAffectedSamples } from './find-affected-samples.js';
import { type ErasedOnModelLine, findErasedOnModelLine } from './find-erased-on-model-line.js';
import { findErasedRows } from './find-erased-rows.js';
import type { TargetModel } from './find-target-model.js';
import { type RecomputedSamples, recomputeSamples } from './recompute-samples.js';
import type { UnlearningTarget } from './resolve-target-rows.js';
import { resolveUnlearningRequest } from './resolve-unlearning-request.js';
import {
  type CompletedRequestRecord,
  readCompletedRequest,
  readRequestOptions,
  type UnlearningRequestOptions,
} from './unlearning-request-store.js';

/** What {@link readUnlearningInputs} needs. */
export interface UnlearningReadContext {
  client: GraphClient;
  /** TRACEPROP_HOME (run matrices, model artifacts). */
  home: ArtifactHome;
  /** The deployment's erasure salt; default: the one under `home`. */
  erasureSalt?: ErasureSalt;
  /** Reports progress (percent, stage). */
  progress(percent: number, stage: string): Promise<void>;
  /**
   * Run matrices loaded so far by this request, by run id: the lines of a request over several
   * model lines load each run's matrix once (it does not change before the request's scrub).
   */
  runMatrices?: Map<string, Promise<LoadedRunMatrix>>;
}

/** The request to read for (the job's payload, resolved). */
export interface UnlearningReadRequest {
  requestId: string;
  target: UnlearningTarget;
  mode: 'drop' | 'recompute';
  modelId?: string;
  /**
   * Every model line the request updates (the active models whose runs reach its rows, when the
   * caller named none); `modelId` is the first. Absent or one: that one line.
   */
  lines?: string[];
}

/** A request that already completed (a redelivered job): nothing is read or computed again. */
interface CompletedUnlearningInputs {
  kind: 'completed';
  completed: CompletedRequestRecord;
}

/** A request whose rows earlier requests on the model line had all erased (a no-op). */
interface RepeatedUnlearningInputs {
  kind: 'repeat';
  model: TargetModel;
  erasedBefore: ErasedOnModelLine;
}

/** Everything the model update needs. */
export interface UpdateUnlearningInputs {
  kind: 'update';
  salt: ErasureSalt;
  options: UnlearningRequestOptions;
  model: TargetModel;
  /** SourceRow ids this request erases (those erased before on the model line left out). */
  rowIds: string[];
  /** Sample ids of the model's run derived from them. */
  affected: string[];
  /** Rows of the request erased before on the model line (left out of `rowIds`). */
  erasedBefore: ErasedOnModelLine;
  /** Sample ids of the run that earlier requests dropped (on any line): never scored again. */
  droppedBefore: string[];
  matrix: RunMatrix;
  artifact: ModelArtifact & SavedModelArtifact;
  /** Recompute mode with affected samples: their re-derived rows. */
  recomputed?: RecomputedSamples;
}

/** What a request reads, by what it turns out to be. */
export type UnlearningInputs = CompletedUnlearningInputs | RepeatedUnlearningInputs | UpdateUnlearningInputs;

/**
 * Reads an unlearning request's inputs: whether it already completed; else, in one read
 * transaction, its options, its rows and model (`resolveUnlearningRequest`), the rows earlier
 * requests on the model line already erased, and the affected samples of the model's run
 * (forward lineage); then the run matrix and the model artifact; in `recompute` mode with
 * affected samples, the tombstones of the run's files and the re-derived samples
 * (`recomputeSamples`, which re-reads the source files). Reports progress `lineage` (5), `load`
 * (20) and `recompute` (25).
 *
 * @throws the errors of `resolveUnlearningRequest`, the artifact stores and `recomputeSamples`.
 */
export async function readUnlearningInputs(
  ctx: UnlearningReadContext,
  request: UnlearningReadRequest,
): Promise<UnlearningInputs> {
  await ctx.progress(5, 'lineage');
  const salt = ctx.erasureSalt ?? resolveErasureSalt({ home: artifactDir(ctx.home) });
  const completed = await readCompletedRequestOf(ctx.client, request.requestId);
  if (completed) return { kind: 'completed', completed };
  const found = await withSession(
    ctx.client,
    (s) =>
      s.executeRead(async (tx) => {
        const options = await readRequestOptions(tx, request.requestId);
        const resolved = await resolveUnlearningRequest(tx, request.target, request.modelId, salt);
        const erasedBefore = await findErasedOnModelLine(tx, resolved.rowIds, resolved.model.id);
        const before = new Set(erasedBefore.rowIds);
        const rowIds = resolved.rowIds.filter((id) => !before.has(id));
        const affected = rowIds.length ? await findAffectedSamples(tx, resolved.model.runId, rowIds) : [];
        const droppedBefore = rowIds.length
          ? (
              await tx.run(cypherText('jobs/unlearning', 'dropped-samples-of-run'), {
                runId: resolved.model.runId,
              })
            ).records.map((r) => r.get('id') as string)
          : [];
        return { options, rowIds, model: resolved.model, affected, erasedBefore, droppedBefore };
      }),
    'READ',
  );
  const { model, rowIds, affected, erasedBefore } = found;
  if (rowIds.length === 0) return { kind: 'repeat', model, erasedBefore };
  await ctx.progress(20, 'load');
  const [matrix, artifact] = await Promise.all([
    loadRunMatrixOnce(ctx, model.runId),
    loadModelArtifact(ctx.home, model.id, model.paramsSha256),
  ]);
  const inputs: UpdateUnlearningInputs = { kind: 'update', salt, ...found, matrix, artifact };
  if (request.mode === 'recompute' && affected.length > 0) {
    await ctx.progress(25, 'recompute');
    inputs.recomputed = await readRecomputedSamples(ctx.client, request.requestId, inputs);
  }
  return inputs;
}

/** The run's matrix, loaded once per request when the context keeps {@link UnlearningReadContext.runMatrices}. */
function loadRunMatrixOnce(ctx: UnlearningReadContext, runId: string): Promise<LoadedRunMatrix> {
  if (!ctx.runMatrices) return loadRunMatrix(ctx.home, runId);
  let loading = ctx.runMatrices.get(runId);
  if (!loading) {
    loading = loadRunMatrix(ctx.home, runId);
    // A failed load is not kept: a later line (or the retry) reads the file again.
    loading.catch(() => ctx.runMatrices?.delete(runId));
    ctx.runMatrices.set(runId, loading);
  }
  return loading;
}

/** The record of a completed request (`null` when it did not complete), in its own read session. */
export function readCompletedRequestOf(
  client: GraphClient,
  requestId: string,
): Promise<CompletedRequestRecord | null> {
  return withSession(client, (s) => s.executeRead((tx) => readCompletedRequest(tx, requestId)), 'READ');
}

/** The affected samples re-derived without this request's rows and those erased before. */
async function readRecomputedSamples(
  client: GraphClient,
  requestId: string,
  inputs: UpdateUnlearningInputs,
): Promise<RecomputedSamples> {
  const { matrix } = inputs;
  const fileIds = (matrix.sourceFiles ?? []).map((f) => f.id);
  const earlier = await withSession(
    client,
    (s) => s.executeRead((tx) => findErasedRows(tx, fileIds)),
    'READ',
  );
  const sampleRow = sampleRowIndex(matrix);
  const rows = inputs.affected.map((id) => sampleRow.get(id)).filter((i): i is number => i !== undefined);
  return recomputeSamples(matrix, rows, {
    tombstones: earlier,
    pending: { requestId, rowIds: inputs.rowIds },
    salt: inputs.salt,
  });
}
