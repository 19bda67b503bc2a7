import type { ManagedTransaction } from 'neo4j-driver';
import { type ErasureSalt, resolveErasureSalt } from '../../erasure/erasure-salt.js';
import { TracepropError } from '../../errors.js';
import type { CommitOutcome } from '../../graph/commit-job-result.js';
import { type GraphClient, withSession } from '../../graph/connection.js';
import { loadModelArtifact, saveModelArtifact } from '../../models/model-artifact-store.js';
import { loadRunMatrix } from '../../models/run-matrix-store.js';
import { scoreRows } from '../../models/score-rows.js';
import type { RemovalCertificate } from '../../unlearning/removal-certificate.js';
import type { UnlearningMetrics } from '../../unlearning/unlearning-metrics.js';
import { computeUnlearning } from './compute-unlearning.js';
import { findAffectedSamples } from './find-affected-samples.js';
import { findErasedOnModelLine } from './find-erased-on-model-line.js';
import { findErasedRows } from './find-erased-rows.js';
import { type RecomputedSamples, recomputeSamples } from './recompute-samples.js';
import type { UnlearningTarget } from './resolve-target-rows.js';
import { resolveUnlearningRequest } from './resolve-unlearning-request.js';
import {
  type CompletedRequestRecord,
  completeRepeatedRequest,
  markRequestFailed,
  readCompletedRequest,
  readRequestOptions,
} from './unlearning-request-store.js';
import { writeUnlearningResult } from './write-unlearning-result.js';

/** One unlearning request, as the queue payload carries it. */
export interface UnlearningJobInput {
  requestId: string;
  target: UnlearningTarget;
  mode: 'drop' | 'recompute';
  modelId?: string;
}

/** What the job needs from its host (the sandboxed processor, or the CLI in process). */
export interface UnlearningJobDeps {
  client: GraphClient;
  /** TRACEPROP_HOME (run matrices, model artifacts). */
  home: string;
  /** Exactly-once write-back (`commitJobResult` bound to the job id). */
  commit<T>(write: (tx: ManagedTransaction) => Promise<T>): Promise<CommitOutcome<T>>;
  progress?(percent: number, stage: string): Promise<void> | void;
  /** The deployment's erasure salt (tombstone key hashes); default: the one under `home`. */
  erasureSalt?: ErasureSalt;
}

/** The outcome `--json` prints. */
export interface UnlearningOutcome {
  requestId: string;
  status: 'complete';
  /** The new model version (the old one when no training sample was affected). */
  modelId: string;
  previousModelId: string;
  /** The model the request named, when it had been superseded and its active successor was updated. */
  requestedModelId?: string;
  version: number;
  sourceRows: number;
  affectedSamples: number;
  forgottenTrainSamples: number;
  /** Recompute mode: affected samples re-derived (train and test) and training rows replaced. */
  recomputedSamples: number;
  recomputedTrainSamples: number;
  /** Affected samples dropped (all of them in drop mode; those whose application row was erased in recompute). */
  droppedSamples: number;
  fallback: boolean;
  certificate: RemovalCertificate | null;
  /** With `--verify`: the comparison against the gold retrain. */
  metrics?: UnlearningMetrics;
  /**
   * Rows of this request that earlier completed requests on the same model line had already
   * erased (left out of this one), and those requests (oldest first).
   */
  alreadyErased?: { rows: number; requestIds: string[] };
  /**
   * Set when every row had been erased before: the earlier request whose result this answer
   * repeats (its model, version and counts); nothing was computed or written but this request's
   * completion.
   */
  repeatOf?: string;
  /** False when an earlier attempt had already committed this request, or when it repeats one. */
  committed: boolean;
}

/**
 * Runs an unlearning request: resolves the source rows, finds the model and, by forward lineage,
 * the affected samples of its run (rows that earlier requests on the model line already erased
 * are left out; when that is all of them, the request is a no-op answered with the earlier
 * result); in `recompute` mode re-derives them without the erased rows
 * (and those erased earlier), re-using the run's recipe; updates the model by a certified
 * Newton step (remove the affected rows; in `recompute` mode add their re-derived rows), saves
 * the new version's parameters, and writes everything in one exactly-once transaction.
 * A permanent failure (unknown model or rows, changed source file, a degenerate remaining
 * training set) is recorded on the UnlearningRequest (`failed`, with the error) and nothing else
 * changes; it is then rethrown.
 */
export async function runUnlearning(
  deps: UnlearningJobDeps,
  input: UnlearningJobInput,
): Promise<UnlearningOutcome> {
  try {
    return await unlearn(deps, input);
  } catch (err) {
    if (!(err instanceof TracepropError) || err.retriable) throw err;
    await deps.commit((tx) => markRequestFailed(tx, input.requestId, input.mode, err));
    throw err;
  }
}

async function unlearn(deps: UnlearningJobDeps, input: UnlearningJobInput): Promise<UnlearningOutcome> {
  const progress = async (p: number, stage: string) => {
    await deps.progress?.(p, stage);
  };
  await progress(5, 'lineage');
  const salt = deps.erasureSalt ?? resolveErasureSalt({ home: deps.home });
  const done = await withSession(
    deps.client,
    (s) => s.executeRead((tx) => readCompletedRequest(tx, input.requestId)),
    'READ',
  );
  if (done) {
    await progress(100, 'done');
    if (typeof done.summary.repeatOf === 'string') return answerRepeated(deps, input.requestId, done.summary);
    return outcomeOfCompleted(input.requestId, done);
  }
  const found = await withSession(
    deps.client,
    (s) =>
      s.executeRead(async (tx) => {
        const options = await readRequestOptions(tx, input.requestId);
        const resolved = await resolveUnlearningRequest(tx, input.target, input.modelId, salt);
        const erasedBefore = await findErasedOnModelLine(tx, resolved.rowIds, resolved.model.id);
        const before = new Set(erasedBefore.rowIds);
        const rowIds = resolved.rowIds.filter((id) => !before.has(id));
        const affected = rowIds.length ? await findAffectedSamples(tx, resolved.model.runId, rowIds) : [];
        return { options, rowIds, model: resolved.model, affected, erasedBefore };
      }),
    'READ',
  );
  const { model, rowIds, affected, options, erasedBefore } = found;
  if (rowIds.length === 0) {
    // Every row was erased by earlier requests on this model line: a repeat, answered with the
    // earlier result; only this request's completion is written.
    await progress(80, 'write');
    await deps.commit((tx) =>
      completeRepeatedRequest(tx, {
        id: input.requestId,
        mode: input.mode,
        modelId: model.id,
        ...(model.requestedId ? { requestedModelId: model.requestedId } : {}),
        sourceRows: erasedBefore.rowIds.length,
        alreadyErasedBy: erasedBefore.requestIds,
      }),
    );
    await progress(100, 'done');
    return answerRepeated(deps, input.requestId, {
      repeatOf: erasedBefore.requestIds[erasedBefore.requestIds.length - 1],
      alreadyErasedBy: erasedBefore.requestIds,
      alreadyErasedRows: erasedBefore.rowIds.length,
    });
  }
  const alreadyErased =
    erasedBefore.rowIds.length > 0
      ? { rows: erasedBefore.rowIds.length, requestIds: erasedBefore.requestIds }
      : undefined;
  await progress(20, 'load');
  const [matrix, artifact] = await Promise.all([
    loadRunMatrix(deps.home, model.runId),
    loadModelArtifact(deps.home, model.id, model.paramsSha256),
  ]);
  let recomputed: RecomputedSamples | undefined;
  if (input.mode === 'recompute' && affected.length > 0) {
    await progress(25, 'recompute');
    const fileIds = (matrix.sourceFiles ?? []).map((f) => f.id);
    const earlier = await withSession(
      deps.client,
      (s) => s.executeRead((tx) => findErasedRows(tx, fileIds)),
      'READ',
    );
    const sampleRow = new Map<string, number>();
    for (let i = 0; i < matrix.sampleIds.length; i++) sampleRow.set(matrix.sampleIds[i], i);
    const rows = affected.map((id) => sampleRow.get(id)).filter((i): i is number => i !== undefined);
    recomputed = await recomputeSamples(matrix, rows, {
      tombstones: earlier,
      pending: { requestId: input.requestId, rowIds },
      salt,
    });
  }
  await progress(35, 'update');
  const result = computeUnlearning({
    matrix,
    artifact,
    affectedSampleIds: affected,
    verify: options.verify,
    budget: options.budget,
    minTrainingRows: options.minTrainingRows,
    ...(recomputed ? { recomputed } : {}),
  });
  // Recompute mode also re-scores re-derived test samples, so any re-derived sample makes a new version.
  const changed = result.forgotten > 0 || result.recomputedSamples > 0;
  const newId = changed ? `model-u-${input.requestId}` : model.id;
  const version = changed ? model.version + 1 : model.version;
  let paramsSha256 = model.paramsSha256;
  let artifactPath = artifact.dir;
  if (changed) {
    await progress(70, 'save');
    const saved = await saveModelArtifact(deps.home, {
      ...artifact,
      modelId: newId,
      theta: result.theta,
      hessianSum: result.hessianSum,
      trainRows: result.trainRows,
      testRows: result.testRows,
      replaced: result.replaced,
    });
    paramsSha256 = saved.paramsSha256;
    artifactPath = saved.dir;
  }
  const summary = {
    previousModelId: model.id,
    requestedModelId: model.requestedId ?? null,
    modelId: newId,
    sourceRows: rowIds.length,
    affectedSamples: affected.length,
    forgottenTrainSamples: result.forgotten,
    recomputedSamples: result.recomputedSamples,
    recomputedTrainSamples: result.added,
    droppedSamples: result.droppedSamples,
    fallback: result.fallback,
    gradientResidual: result.certificate.gradientResidual,
    updateSeconds: result.seconds,
    paramGapClosed: result.verification?.paramGapClosed ?? null,
    alreadyErasedRows: alreadyErased?.rows ?? 0,
    alreadyErasedBy: alreadyErased?.requestIds ?? [],
  };
  await progress(80, 'write');
  const outcome = await deps.commit((tx) =>
    writeUnlearningResult(tx, {
      requestId: input.requestId,
      mode: input.mode,
      sourceRowIds: rowIds,
      affectedSampleIds: affected,
      ...(recomputed
        ? { rederivedSampleIds: Array.from(recomputed.samples, (i) => matrix.sampleIds[i]) }
        : {}),
      model: changed
        ? {
            id: newId,
            runId: model.runId,
            version,
            kind: 'logistic-regression',
            lambda: artifact.lambda,
            trainedAt: new Date().toISOString(),
            metrics: result.modelMetrics,
            paramsSha256,
            runMatrixSha256: artifact.runMatrixSha256,
            artifactPath,
            supersedes: model.id,
          }
        : undefined,
      predictions: changed ? scoreRows(newId, result.theta, matrix, result.testRows, result.replaced) : [],
      summary,
      metricsJson: JSON.stringify({
        model: result.modelMetrics,
        ...(result.verification ? { verification: result.verification } : {}),
        ...(recomputed
          ? {
              recompute: {
                excludedRows: recomputed.excludedRows,
                recomputedSamples: result.recomputedSamples,
                droppedSamples: result.droppedSamples,
                seconds: recomputed.seconds,
                ops: recomputed.ops.filter((o) => o.kind === 'filter').map((o) => o.name),
              },
            }
          : {}),
      }),
      certificateJson: changed ? JSON.stringify(result.certificate) : null,
      erasureSalt: salt,
    }),
  );
  await progress(100, 'done');
  return {
    requestId: input.requestId,
    status: 'complete',
    modelId: newId,
    previousModelId: model.id,
    ...(model.requestedId ? { requestedModelId: model.requestedId } : {}),
    version,
    sourceRows: rowIds.length,
    affectedSamples: affected.length,
    forgottenTrainSamples: result.forgotten,
    recomputedSamples: result.recomputedSamples,
    recomputedTrainSamples: result.added,
    droppedSamples: result.droppedSamples,
    fallback: result.fallback,
    certificate: changed ? result.certificate : null,
    ...(result.verification ? { metrics: result.verification } : {}),
    ...(alreadyErased ? { alreadyErased } : {}),
    committed: outcome.committed,
  };
}

/**
 * The answer to a request whose rows earlier requests had all erased: the latest earlier
 * request's outcome (read from its node), naming this request and what it repeats.
 */
async function answerRepeated(
  deps: UnlearningJobDeps,
  requestId: string,
  repeat: Record<string, unknown>,
): Promise<UnlearningOutcome> {
  const earlierId = String(repeat.repeatOf);
  const earlier = await withSession(
    deps.client,
    (s) => s.executeRead((tx) => readCompletedRequest(tx, earlierId)),
    'READ',
  );
  if (!earlier)
    throw new TracepropError('unlearning.failed', `request ${earlierId} is not complete any more`);
  const requestIds = (repeat.alreadyErasedBy as string[] | undefined) ?? [earlierId];
  return {
    ...outcomeOfCompleted(requestId, earlier),
    alreadyErased: { rows: Number(repeat.alreadyErasedRows ?? 0), requestIds },
    repeatOf: earlierId,
    committed: false,
  };
}

/** The outcome of a request that had already completed (a redelivered job): nothing is redone. */
function outcomeOfCompleted(requestId: string, done: CompletedRequestRecord): UnlearningOutcome {
  const s = done.summary;
  const num = (k: string) => Number(s[k] ?? 0);
  const verification = done.metrics ? (JSON.parse(done.metrics) as { verification?: UnlearningMetrics }) : {};
  return {
    requestId,
    status: 'complete',
    modelId: String(s.modelId),
    previousModelId: String(s.previousModelId),
    ...(typeof s.requestedModelId === 'string' ? { requestedModelId: s.requestedModelId } : {}),
    version: done.version ?? 0,
    sourceRows: num('sourceRows'),
    affectedSamples: num('affectedSamples'),
    forgottenTrainSamples: num('forgottenTrainSamples'),
    recomputedSamples: num('recomputedSamples'),
    recomputedTrainSamples: num('recomputedTrainSamples'),
    droppedSamples: num('droppedSamples'),
    fallback: s.fallback === true,
    certificate: done.certificate ? (JSON.parse(done.certificate) as RemovalCertificate) : null,
    ...(verification.verification ? { metrics: verification.verification } : {}),
    ...(num('alreadyErasedRows') > 0
      ? { alreadyErased: { rows: num('alreadyErasedRows'), requestIds: s.alreadyErasedBy as string[] } }
      : {}),
    committed: false,
  };
}
