import type { RemovalCertificate } from '../../unlearning/removal-certificate.js';
import type { UnlearningMetrics } from '../../unlearning/unlearning-metrics.js';
import type { CertifiedRemovalOutcome } from './compute-unlearning.js';
import type { DerivedStoresScrub } from './scrub-derived-stores.js';
import type { CompletedRequestRecord } from './unlearning-request-store.js';
import { type EncoderDriftEntry, encoderDriftOfLine } from './write-encoder-drift.js';
import type { ScrubbedAttributions } from './write-unlearning-result.js';

/** The outcome of an unlearning request (what `--json` prints). */
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
  /** Attribution edges (INFLUENCED_BY, SOURCE_SHARE) the request removed, on every line of the run. */
  scrubbed?: ScrubbedAttributions;
  /**
   * What the request's scrub of the derived stores on disk did, per run: run-matrix rows scrubbed,
   * model versions whose parameters were deleted (absent on a repeat).
   */
  stores?: DerivedStoresScrub[];
  /**
   * `--reattribute`: the attribution jobs queued to explain again, with the new version(s), the
   * predictions whose attribution the request removed (one per line that had any; empty: none had).
   */
  reattributionJobs?: string[];
  /** A certified model line ((ε, δ), `--certify` at training): the budget this removal charged and what is left. */
  certified?: CertifiedRemovalOutcome;
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
  /**
   * How far the line's kept encoder and scaler state (fitted with the erased rows) is from what a
   * refit on the rows the line now holds would learn; Traceprop keeps the fitted state.
   */
  encoderDrift?: EncoderDriftEntry;
  /**
   * Where the time went, seconds per phase (the job's progress stages): `lineage` (the read
   * transaction: rows, model line, affected samples), `load` (run matrix and model artifact),
   * `recompute` (recompute mode: the affected samples re-derived from the source files), `update`
   * (the Newton step, the Hessian kept, metrics), `save` (the new version's artifact and encoder
   * drift), `write` (the exactly-once write-back; the new version's predictions are not in it, see
   * {@link predictions}), `scrub`
   * (the derived stores on disk). A request over several lines: summed over them (each line's
   * outcome has its own). Absent when nothing was computed (a redelivery answered from its record).
   */
  seconds?: Record<string, number>;
  /**
   * The new version's test predictions: not written by the request but by its follow-up
   * `predictions` job (`queued`, with the job id) or, in process, by the caller after the request
   * (`pending`). Absent when the request made no new version (or answered from its record).
   */
  predictions?: PendingPredictions;
  /** False when an earlier attempt had already committed this request, or when it repeats one. */
  committed: boolean;
  /** A request that reached several model lines: each line's outcome, in the order updated. */
  lines?: UnlearningOutcome[];
  /** Lines an earlier attempt of the request had already updated (skipped now). */
  linesAlreadyDone?: string[];
}

/** Where a new model version's test predictions stand when the request returns. */
export interface PendingPredictions {
  modelId: string;
  /**
   * `queued`: its `predictions` job is queued; `pending`: nobody queued it (in process: the caller
   * writes them); `written`: the caller wrote them before answering (`unlearn --local`).
   */
  state: 'queued' | 'pending' | 'written';
  /** Test predictions the version owes (written: how many were). */
  count: number;
  /** The `predictions` job (when queued). */
  jobId?: string;
}

/**
 * The new versions of a request (and of its lines) whose test predictions nobody queued (`pending`:
 * run in process): the caller writes them (`writePendingPredictions`).
 */
export function pendingPredictionModels(outcome: UnlearningOutcome): string[] {
  const ids = new Set<string>();
  for (const o of [outcome, ...(outcome.lines ?? [])])
    if (o.predictions?.state === 'pending') ids.add(o.predictions.modelId);
  return [...ids];
}

/**
 * The outcome of a request that had already completed (a redelivered job), from what its node
 * recorded: nothing is redone, so `committed` is false.
 */
export function outcomeOfCompleted(requestId: string, done: CompletedRequestRecord): UnlearningOutcome {
  const s = done.summary;
  const num = (k: string) => Number(s[k] ?? 0);
  const drift = encoderDriftOfLine(
    s.encoderDrift,
    typeof s.requestedModelId === 'string' ? s.requestedModelId : String(s.previousModelId),
  );
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
    ...(typeof s.certifiedEpsilon === 'number' ? { certified: certifiedOfSummary(s) } : {}),
    ...(typeof s.scrubbedInfluences === 'number'
      ? {
          scrubbed: {
            influences: num('scrubbedInfluences'),
            shares: num('scrubbedShares'),
            predictionEdges: num('scrubbedPredictionEdges'),
            predictions: num('scrubbedPredictions'),
          },
        }
      : {}),
    ...(Array.isArray(s.reattributionJobs) ? { reattributionJobs: s.reattributionJobs as string[] } : {}),
    ...(num('alreadyErasedRows') > 0
      ? { alreadyErased: { rows: num('alreadyErasedRows'), requestIds: s.alreadyErasedBy as string[] } }
      : {}),
    ...(drift ? { encoderDrift: drift } : {}),
    committed: false,
  };
}

/** A certified removal's outcome from the properties its request node keeps. */
function certifiedOfSummary(s: Record<string, unknown>): CertifiedRemovalOutcome {
  return {
    epsilon: Number(s.certifiedEpsilon),
    delta: Number(s.certifiedDelta),
    sigma: Number(s.certifiedSigma),
    budget: Number(s.removalBudget),
    charged: Number(s.budgetCharged),
    spent: Number(s.budgetSpent),
    left: Number(s.budgetLeft),
    retrainedFromScratch: s.certifiedRetrain === true,
  };
}
