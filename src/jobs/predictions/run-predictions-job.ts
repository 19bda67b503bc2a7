import type { ArtifactHome } from '../../artifacts/artifact-home.js';
import { commitJobResult, type JobCommit } from '../../graph/commit-job-result.js';
import type { GraphClient } from '../../graph/connection.js';
import { computePredictions } from './compute-predictions.js';
import { readPredictionInputs } from './read-prediction-inputs.js';
import { writePredictionsResult } from './write-predictions-result.js';

/** What a `predictions` job needs from its host (the sandboxed processor, or the CLI in process). */
export interface PredictionsJobDeps {
  client: GraphClient;
  /** TRACEPROP_HOME (run matrices, model artifacts). */
  home: ArtifactHome;
  /** Exactly-once write-back; default: under the JobRun {@link predictionsJobRunId} of the model. */
  commit?: JobCommit;
  progress?(percent: number, stage: string): Promise<void> | void;
}

/** The outcome of a `predictions` job (what its queue result and `--json` carry). */
export interface PredictionsOutcome {
  modelId: string;
  /** The version's `predictionsState` after the job: `written` (or `unavailable`). */
  state: string | null;
  /** Predictions this job wrote (0 on a redelivery, or when they were written before). */
  predictions: number;
  /** False when nothing was written now (an earlier attempt had, or the version was not pending). */
  committed: boolean;
}

/** The JobRun id of a model version's predictions write-back: the same for the queue and in process. */
export function predictionsJobRunId(modelId: string): string {
  return `predictions-${modelId}`;
}

/**
 * The follow-up job of an erasure's new model version: writes the version's test predictions
 * (`computePredictions`: its test rows scored with its θ, samples erased since left out) in one
 * exactly-once write-back (`writePredictionsResult`), then the version says `predictionsState:
 * 'written'`. Idempotent: a redelivered job, or a second job for the same version, finds it no
 * longer `pending` and writes nothing. A version whose parameters a later erasure shredded first
 * is marked `unavailable` (its predictions cannot be computed any more). Progress `read` (10),
 * `score` (40), `write` (60), `done` (100).
 */
export async function runPredictionsJob(
  deps: PredictionsJobDeps,
  modelId: string,
): Promise<PredictionsOutcome> {
  const commit: JobCommit =
    deps.commit ??
    ((write) =>
      commitJobResult(deps.client, { jobId: predictionsJobRunId(modelId), kind: 'predictions' }, write));
  await deps.progress?.(10, 'read');
  const inputs = await readPredictionInputs(deps.client, deps.home, modelId);
  if (inputs.kind === 'done') {
    await deps.progress?.(100, 'done');
    return { modelId, state: inputs.state, predictions: 0, committed: false };
  }
  await deps.progress?.(40, 'score');
  const record =
    inputs.kind === 'shredded'
      ? { modelId, state: 'unavailable' as const, note: inputs.note }
      : {
          modelId,
          state: 'written' as const,
          predictions: computePredictions(modelId, inputs.artifact, inputs.matrix, inputs.dropped),
        };
  await deps.progress?.(60, 'write');
  const outcome = await writePredictionsResult(commit, record);
  await deps.progress?.(100, 'done');
  return {
    modelId,
    state: outcome.result?.state ?? 'written',
    predictions: outcome.result?.written ?? 0,
    committed: outcome.committed && outcome.result?.changed === true,
  };
}
