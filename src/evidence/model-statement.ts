import type { EventStatement } from './record-statement.js';

/** The facts of a trained model that its `model` statement records. */
export interface ModelFacts {
  modelId: string;
  runId: string;
  version: number;
  kind: string;
  lambda: number;
  trainedAt: string;
  /** sha256 (hex) of the saved parameters file. */
  paramsSha256: string;
  /** sha256 (hex) of the run matrix it was trained on. */
  runMatrixSha256: string;
  metrics: object;
  /** The model version this one supersedes. */
  supersedes?: string;
}

/**
 * The `model` statement of a training (predicate type `https://traceprop.dev/model/v1`):
 * subjects are the model's parameters and the run matrix it was fitted on, by sha256; the
 * predicate holds ids, the training parameters and the metrics.
 */
export function modelStatement(facts: ModelFacts): EventStatement {
  return {
    kind: 'model',
    ref: facts.modelId,
    subject: [
      { name: `model:${facts.modelId}/params`, digest: { sha256: facts.paramsSha256 } },
      { name: `run:${facts.runId}/matrix`, digest: { sha256: facts.runMatrixSha256 } },
    ],
    predicate: {
      modelId: facts.modelId,
      runId: facts.runId,
      version: facts.version,
      kind: facts.kind,
      parameters: { lambda: facts.lambda },
      trainedAt: facts.trainedAt,
      metrics: facts.metrics,
      ...(facts.supersedes ? { supersedes: facts.supersedes } : {}),
    },
  };
}
