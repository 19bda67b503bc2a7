import type { ArtifactHome } from '../../artifacts/artifact-home.js';
import type { ErasureSalt } from '../../erasure/erasure-salt.js';
import { TracepropError } from '../../errors.js';
import type { SigningKey } from '../../evidence/signing-key.js';
import type { JobCommit } from '../../graph/commit-job-result.js';
import { type GraphClient, withSession } from '../../graph/connection.js';
import { cypherText } from '../../graph/cypher-library.js';
import { runReadQuery } from '../../graph/read-query.js';
import type { ModelArtifact } from '../../models/model-artifact-store.js';
import type { LoadedRunMatrix } from '../../models/run-matrix-store.js';
import { computeUnlearning } from './compute-unlearning.js';
import { type EnqueueAttribution, enqueueReattributions } from './enqueue-reattribution.js';
import { PhaseClock, sumPhaseSeconds } from './phase-clock.js';
import {
  readCompletedRequestOf,
  readUnlearningInputs,
  type UnlearningReadRequest,
} from './read-unlearning-inputs.js';
import { saveUnlearnedModel } from './save-unlearned-model.js';
import { type DerivedStoresScrub, scrubDerivedStores } from './scrub-derived-stores.js';
import { outcomeOfCompleted, type PendingPredictions, type UnlearningOutcome } from './unlearning-outcome.js';
import { completeRepeatedRequest, markRequestFailed } from './unlearning-request-store.js';
import { unlearningResult } from './unlearning-result.js';
import { writeUnlearningResult } from './write-unlearning-result.js';

/** One unlearning request, as the queue payload carries it. */
export type UnlearningJobInput = UnlearningReadRequest & {
  /** Queue an attribution job per new version for the predictions the erasure stripped (`--reattribute`). */
  reattribute?: boolean;
};

/**
 * Queues the follow-up `predictions` job of a new model version and answers its (deterministic)
 * job id. The host provides it (`submitJob` on the `predictions` queue).
 */
type EnqueuePredictions = (modelId: string) => Promise<string>;

/** What the job needs from its host (the sandboxed processor, or the CLI in process). */
export interface UnlearningJobDeps {
  client: GraphClient;
  /** TRACEPROP_HOME (run matrices, model artifacts). */
  home: ArtifactHome;
  /** Exactly-once write-back (`commitJobResult` bound to the job id). */
  commit: JobCommit;
  /**
   * Exactly-once write-back of one model line of a request over several (`commitJobResult` bound
   * to `<jobId>#<modelId>`). Absent: a request updates its first line only.
   */
  commitLine?(modelId: string): JobCommit;
  progress?(percent: number, stage: string): Promise<void> | void;
  /** The deployment's erasure salt (tombstone key hashes); default: the one under `home`. */
  erasureSalt?: ErasureSalt;
  /** Queues an attribution job (`--reattribute`, see `enqueueReattributions`). Absent: none is queued. */
  enqueueAttribution?: EnqueueAttribution;
  /** Signs each line's `erasure` statement in its write-back (docs/evidence.md). Absent: nothing is signed. */
  signingKey?: SigningKey;
  /**
   * Queues the follow-up `predictions` job of a new model version (see `runPredictionsJob`), right
   * after its line commits. Absent (in process): the versions stay `pending` and the caller writes
   * them (`writePendingPredictions`).
   */
  enqueuePredictions?: EnqueuePredictions;
  /** Run matrices this request has loaded (see `UnlearningReadContext.runMatrices`); the job keeps its own. */
  runMatrices?: Map<string, Promise<LoadedRunMatrix>>;
  /**
   * Model artifacts this request has loaded or saved, by model id (each line's previous version
   * and its new one): the request's scrub reads them from here instead of from disk again.
   */
  artifacts?: Map<string, ModelArtifact>;
}

/**
 * Runs an unlearning request: reads its rows, model and affected samples
 * ({@link readUnlearningInputs}; rows that earlier requests on the model line already erased are
 * left out, and when that is all of them the request is a no-op answered with the earlier
 * result; in `recompute` mode the affected samples are re-derived without the erased rows),
 * updates the model by a certified Newton step ({@link computeUnlearning}), saves the new
 * version's parameters, and writes everything in one exactly-once transaction
 * ({@link writeUnlearningResult}; with `signingKey`, one signed `erasure` statement per line),
 * except the new version's test predictions: it is marked `predictionsState: 'pending'` and its
 * follow-up `predictions` job is queued after the commit (`enqueuePredictions`; in process the
 * caller writes them). A redelivered job whose request already completed answers
 * from its record. A permanent failure (unknown model or rows, changed source file, a degenerate
 * remaining training set) is recorded on the UnlearningRequest (`failed`, with the error) and
 * nothing else changes; it is then rethrown.
 */
export async function runUnlearningJob(
  jobDeps: UnlearningJobDeps,
  input: UnlearningJobInput,
): Promise<UnlearningOutcome> {
  // One load of each run matrix for the whole request: its lines and its scrub share it.
  const deps = {
    ...jobDeps,
    runMatrices: jobDeps.runMatrices ?? new Map(),
    artifacts: jobDeps.artifacts ?? new Map<string, ModelArtifact>(),
  };
  try {
    const lines = input.lines && input.lines.length > 1 && deps.commitLine ? input.lines : undefined;
    if (lines) return await unlearnLines(deps, input, lines);
    return await unlearn(deps, input, deps.commit, 'complete');
  } catch (err) {
    if (!(err instanceof TracepropError) || err.retriable) throw err;
    const done =
      input.lines && input.lines.length > 1
        ? await readLinesDone(deps.client, input.requestId)
        : { lines: [] as string[], status: null };
    if (done.lines.length > 0 && input.lines) {
      const left = input.lines.filter((l) => !done.lines.includes(l));
      await withSession(deps.client, (s) =>
        s.executeWrite((tx) =>
          tx.run(cypherText('write-back', 'unlearning-partial-request'), {
            id: input.requestId,
            code: err.code,
            message: err.message,
            linesLeft: left,
          }),
        ),
      );
    } else await deps.commit((tx) => markRequestFailed(tx, input.requestId, input.mode, err));
    throw err;
  }
}

/**
 * A request over several model lines: each line is updated as a request of its own would be
 * (read, compute, save, one exactly-once write-back keyed by the line), in order; the request is
 * `partial` until the last line commits. The derived stores are scrubbed once, after the last
 * line (or, when a line fails, after the lines committed before it). Lines a previous attempt committed are skipped, so a
 * retry finishes what is left. The outcome is the first updated line's, with `lines` for all.
 */
async function unlearnLines(
  deps: UnlearningJobDeps,
  input: UnlearningJobInput,
  lines: string[],
): Promise<UnlearningOutcome> {
  const commitLine = deps.commitLine as (line: string) => JobCommit;
  const before = await readLinesDone(deps.client, input.requestId);
  if (before.status === 'complete')
    return unlearn(deps, { ...input, modelId: lines[0] }, deps.commit, 'complete');
  const outcomes: UnlearningOutcome[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (before.lines.includes(lines[i])) continue;
    const last = i === lines.length - 1;
    // Line i's new version is model-u-<requestId>-<i+1>: one id per line, the same on a retry.
    try {
      outcomes.push(
        await unlearn(
          deps,
          { ...input, modelId: lines[i] },
          commitLine(lines[i]),
          last ? 'complete' : 'partial',
          `${input.requestId}-${i + 1}`,
          last,
        ),
      );
    } catch (err) {
      // Scrub what the lines committed so far allow (superseded versions' parameters; matrix rows
      // no active line reads); the retry that finishes the request scrubs the rest.
      if (outcomes.length > 0) await scrubStoresOf(deps, input.requestId).catch(() => {});
      throw err;
    }
  }
  if (outcomes.length === 0) return unlearn(deps, { ...input, modelId: lines[0] }, deps.commit, 'complete');
  // Each line answers the jobs queued so far for every line: the latest answer has them all.
  const reattributionJobs = outcomes
    .map((o) => o.reattributionJobs)
    .filter((j) => j !== undefined)
    .pop();
  return {
    ...outcomes[0],
    seconds: sumPhaseSeconds(outcomes.map((o) => o.seconds)),
    lines: outcomes,
    linesAlreadyDone: before.lines,
    ...(reattributionJobs ? { reattributionJobs } : {}),
  };
}

/** The lines a request over several model lines has updated, and its status (null: no such request). */
async function readLinesDone(
  client: GraphClient,
  requestId: string,
): Promise<{ lines: string[]; status: string | null }> {
  const [row] = await runReadQuery(client, cypherText('jobs/unlearning', 'lines-done'), { id: requestId });
  return {
    lines: (row?.lines as string[] | undefined) ?? [],
    status: (row?.status as string | null) ?? null,
  };
}

async function unlearn(
  deps: UnlearningJobDeps,
  input: UnlearningJobInput,
  commit: JobCommit,
  status: 'complete' | 'partial',
  /** One line of several: the tag of its new version's id (`model-u-<tag>`). */
  lineTag?: string,
  /**
   * Scrub the derived stores after the write-back (default). A request over several lines
   * scrubs once, after its last line: the rows stay in the run matrix while any line still
   * reads them, and one scrub after all of them does what one per line would.
   */
  scrubAfter = true,
): Promise<UnlearningOutcome> {
  const oneOfSeveralLines = lineTag !== undefined;
  const phases = new PhaseClock();
  const progress = async (p: number, stage: string) => {
    phases.mark(stage);
    await deps.progress?.(p, stage);
  };
  const inputs = await readUnlearningInputs({ ...deps, progress }, input);
  if (inputs.kind === 'completed') {
    await progress(100, 'done');
    const { summary } = inputs.completed;
    if (typeof summary.repeatOf === 'string') return answerRepeated(deps, input.requestId, summary);
    // A redelivery after the commit: finish the scrub a crash may have cut short (idempotent).
    const stores = await scrubStoresOf(deps, input.requestId);
    // …and queue the predictions jobs a crash may have kept from being queued (idempotent).
    const pending = await runReadQuery(
      deps.client,
      cypherText('jobs/unlearning', 'request-pending-predictions'),
      {
        id: input.requestId,
      },
    );
    for (const row of pending) await deps.enqueuePredictions?.(String(row.modelId));
    return {
      ...outcomeOfCompleted(input.requestId, inputs.completed),
      stores,
      ...(await reattribute(deps, input)),
    };
  }
  if (inputs.kind === 'repeat') {
    // Every row was erased by earlier requests on this model line: a repeat, answered with the
    // earlier result; only this request's completion is written.
    const { model, erasedBefore } = inputs;
    await progress(80, 'write');
    if (oneOfSeveralLines) {
      // One line of several, with nothing left to erase on it: only the line is marked done.
      await commit((tx) =>
        tx.run(cypherText('write-back', 'unlearning-line-done'), {
          id: input.requestId,
          line: model.requestedId ?? model.id,
          status,
        }),
      );
    } else
      await commit((tx) =>
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
  await progress(35, 'update');
  const result = computeUnlearning({
    matrix: inputs.matrix,
    artifact: inputs.artifact,
    affectedSampleIds: inputs.affected,
    droppedBefore: inputs.droppedBefore,
    verify: inputs.options.verify,
    budget: inputs.options.budget,
    minTrainingRows: inputs.options.minTrainingRows,
    ...(inputs.recomputed ? { recomputed: inputs.recomputed } : {}),
  });
  const model = await saveUnlearnedModel(deps.home, lineTag ?? input.requestId, inputs, result, progress);
  deps.artifacts?.set(inputs.artifact.modelId, inputs.artifact);
  if (model.artifact) deps.artifacts?.set(model.id, model.artifact);
  const { record, outcome } = unlearningResult({ ...input, status }, inputs, result, model);
  await progress(80, 'write');
  const written = await writeUnlearningResult(
    commit,
    { ...record, reattribute: input.reattribute },
    deps.signingKey,
  );
  // The new version's test predictions are written by a follow-up job, out of the request's path.
  const predictions = record.model
    ? await queuePredictions(deps, record.model.id, record.pendingPredictions)
    : undefined;
  // The stores on disk are scrubbed after the commit (a crash before it leaves them for the
  // retry, which answers from the record and scrubs; `erasure show` reports anything left).
  await progress(90, 'scrub');
  const stores = scrubAfter ? await scrubStoresOf(deps, input.requestId) : undefined;
  await progress(100, 'done');
  return {
    ...outcome,
    seconds: phases.seconds(),
    ...(predictions ? { predictions } : {}),
    committed: written.committed,
    ...(written.result ? { scrubbed: written.result } : {}),
    ...(stores ? { stores } : {}),
    ...(await reattribute(deps, input)),
  };
}

/** Queues the follow-up `predictions` job of a new version when the host can (else it stays `pending`). */
async function queuePredictions(
  deps: UnlearningJobDeps,
  modelId: string,
  count: number,
): Promise<PendingPredictions> {
  if (!deps.enqueuePredictions) return { modelId, state: 'pending', count };
  return { modelId, state: 'queued', count, jobId: await deps.enqueuePredictions(modelId) };
}

/** Scrubs the derived stores of every run the request affected ({@link scrubDerivedStores}). */
async function scrubStoresOf(deps: UnlearningJobDeps, requestId: string): Promise<DerivedStoresScrub[]> {
  const runs = await runReadQuery(deps.client, cypherText('jobs/unlearning', 'request-runs'), {
    id: requestId,
  });
  const out: DerivedStoresScrub[] = [];
  for (const r of runs)
    out.push(
      await scrubDerivedStores(
        deps.client,
        deps.home,
        String(r.runId),
        requestId,
        await deps.runMatrices?.get(String(r.runId))?.catch(() => undefined),
        deps.artifacts,
      ),
    );
  return out;
}

/** Queues the attribution jobs the request planned so far (`enqueueReattributions`), when the host can. */
async function reattribute(
  deps: UnlearningJobDeps,
  input: UnlearningJobInput,
): Promise<{ reattributionJobs?: string[] }> {
  if (!deps.enqueueAttribution) return {};
  const jobs = await enqueueReattributions(deps.client, input.requestId, deps.enqueueAttribution);
  return jobs ? { reattributionJobs: jobs } : {};
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
  const earlier = await readCompletedRequestOf(deps.client, earlierId);
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
