import { certificationProperties } from '../../models/model-certification.js';
import { coarseDrift } from './coarse-drift.js';
import type { CertifiedRemovalOutcome, UnlearningComputeOutput } from './compute-unlearning.js';
import { encoderDrift } from './encoder-drift.js';
import type { UpdateUnlearningInputs } from './read-unlearning-inputs.js';
import type { UnlearnedModel } from './save-unlearned-model.js';
import type { UnlearningOutcome } from './unlearning-outcome.js';
import type { UnlearningResultRecord } from './write-unlearning-result.js';

/**
 * What a computed update writes (the record for `writeUnlearningResult`) and answers (the
 * outcome, before the commit says whether it wrote): the request's summary properties, the new
 * model version (when it changed; its test predictions are left to the follow-up `predictions`
 * job, the record only counts them), the metrics and certificate as JSON, and
 * how far the line's kept encoder state is from a refit on its rows ({@link encoderDrift}, recorded
 * coarsened: {@link coarseDrift}).
 */
export function unlearningResult(
  request: { requestId: string; mode: 'drop' | 'recompute'; status?: 'complete' | 'partial' },
  inputs: UpdateUnlearningInputs,
  result: UnlearningComputeOutput,
  model: UnlearnedModel,
): { record: UnlearningResultRecord; outcome: Omit<UnlearningOutcome, 'committed'> } {
  const { model: previous, rowIds, affected, erasedBefore, matrix, artifact, recomputed } = inputs;
  const alreadyErased =
    erasedBefore.rowIds.length > 0
      ? { rows: erasedBefore.rowIds.length, requestIds: erasedBefore.requestIds }
      : undefined;
  const line = previous.requestedId ?? previous.id;
  const drift = { line, ...coarseDrift(encoderDrift(matrix, result)) };
  const summary = {
    previousModelId: previous.id,
    requestedModelId: previous.requestedId ?? null,
    modelId: model.id,
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
    ...(result.certified && model.changed ? certifiedSummary(result.certified) : {}),
  };
  const record: UnlearningResultRecord = {
    requestId: request.requestId,
    mode: request.mode,
    sourceRowIds: rowIds,
    affectedSampleIds: affected,
    ...(recomputed ? { rederivedSampleIds: Array.from(recomputed.samples, (i) => matrix.sampleIds[i]) } : {}),
    model: model.changed
      ? {
          id: model.id,
          runId: previous.runId,
          version: model.version,
          kind: 'logistic-regression',
          lambda: artifact.lambda,
          trainedAt: model.trainedAt,
          metrics: result.modelMetrics,
          paramsSha256: model.paramsSha256,
          runMatrixSha256: artifact.runMatrixSha256,
          artifactPath: model.artifactPath,
          supersedes: previous.id,
          ...(result.certification ? { certification: certificationProperties(result.certification) } : {}),
        }
      : undefined,
    pendingPredictions: model.changed ? result.testRows.length : 0,
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
              ...(recomputed.skipped ? { skipped: recomputed.skipped } : {}),
            },
          }
        : {}),
    }),
    certificateJson: model.changed ? JSON.stringify(result.certificate) : null,
    erasureSalt: inputs.salt,
    line,
    status: request.status ?? 'complete',
    encoderDrift: drift,
    erasure: {
      requestId: request.requestId,
      line,
      mode: request.mode,
      status: request.status ?? 'complete',
      runId: previous.runId,
      previousModel: { id: previous.id, paramsSha256: previous.paramsSha256 },
      ...(model.changed
        ? { newModel: { id: model.id, version: model.version, paramsSha256: model.paramsSha256 } }
        : {}),
      affectedSampleIds: affected,
      counts: {
        sourceRows: rowIds.length,
        affectedSamples: affected.length,
        forgottenTrainSamples: result.forgotten,
        recomputedSamples: result.recomputedSamples,
        recomputedTrainSamples: result.added,
        droppedSamples: result.droppedSamples,
        alreadyErasedRows: alreadyErased?.rows ?? 0,
      },
      certificate: model.changed ? certificateSummary(result) : null,
      metrics: {
        model: result.modelMetrics,
        ...(result.verification ? { verification: result.verification } : {}),
      },
      completedAt: new Date().toISOString(),
    },
  };
  const outcome: Omit<UnlearningOutcome, 'committed'> = {
    requestId: request.requestId,
    status: 'complete',
    modelId: model.id,
    previousModelId: previous.id,
    ...(previous.requestedId ? { requestedModelId: previous.requestedId } : {}),
    version: model.version,
    sourceRows: rowIds.length,
    affectedSamples: affected.length,
    forgottenTrainSamples: result.forgotten,
    recomputedSamples: result.recomputedSamples,
    recomputedTrainSamples: result.added,
    droppedSamples: result.droppedSamples,
    fallback: result.fallback,
    certificate: model.changed ? result.certificate : null,
    ...(result.verification ? { metrics: result.verification } : {}),
    ...(result.certified && model.changed ? { certified: result.certified } : {}),
    ...(alreadyErased ? { alreadyErased } : {}),
    encoderDrift: drift,
  };
  return { record, outcome };
}

/** What an erasure statement says of the update's certificate (and of a certified line's (ε, δ) budget). */
function certificateSummary(result: UnlearningComputeOutput): Record<string, number | boolean> {
  const c = result.certificate;
  return {
    gradientResidual: c.gradientResidual,
    budget: c.budget,
    withinBudget: c.withinBudget,
    fallback: result.fallback,
    ...(result.certified
      ? {
          epsilon: result.certified.epsilon,
          delta: result.certified.delta,
          budgetCharged: result.certified.charged,
          budgetLeft: result.certified.left,
          retrainedFromScratch: result.certified.retrainedFromScratch,
        }
      : {}),
  };
}

/** The request's properties of a certified removal (read back by `certifiedOfSummary`). */
function certifiedSummary(c: CertifiedRemovalOutcome): Record<string, number | boolean> {
  return {
    certifiedEpsilon: c.epsilon,
    certifiedDelta: c.delta,
    certifiedSigma: c.sigma,
    removalBudget: c.budget,
    budgetCharged: c.charged,
    budgetSpent: c.spent,
    budgetLeft: c.left,
    certifiedRetrain: c.retrainedFromScratch,
  };
}
