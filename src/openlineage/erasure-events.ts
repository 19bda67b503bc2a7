import type { GraphClient } from '../graph/connection.js';
import type { JobRunEvents } from './job-run-events.js';
import { erasureFacts, erasureJobName, modelFacts, producerOf } from './lineage-facts.js';
import { fileDataset, openLineageRunId, tracepropDataset } from './lineage-names.js';
import { type Facet, type RunEvent, runEvent } from './run-event.js';
import { errorMessageFacet, jobTypeFacet, parentRunFacet, processingEngineFacet } from './standard-facets.js';
import { tracepropRunFacet } from './traceprop-facet.js';

/** Which erasure the events are about. */
export interface ErasureEventRef {
  /** The UnlearningRequest id (the OpenLineage run id). */
  requestId: string;
  /** The model the request names, when it names one. */
  modelId?: string;
}

/** What a completed erasure reports (an `UnlearningOutcome`'s fields the events use). */
interface ErasureCompletion {
  affectedSamples: number;
  forgottenTrainSamples: number;
  droppedSamples: number;
  recomputedSamples: number;
  fallback: boolean;
  certificate: { gradientResidual: number; budget: number; withinBudget: boolean } | null;
  certified?: {
    epsilon: number;
    delta: number;
    charged: number;
    left: number;
    retrainedFromScratch: boolean;
  };
}

/**
 * The events of one erasure (an unlearning request): job `erasure`. START reads the model the
 * request names (when it names one); COMPLETE reads the files of the erased rows (namespace
 * `file`) and the model versions the request started from, and writes the versions it made
 * (`models/<modelId>`). Run facet `parent` = the run that made the model updated (its train job,
 * or an earlier erasure); `traceprop` = the request id, counts, the erased rows' ids (never their
 * content), the certificate's summary and the signed statement(s) of its lines.
 */
export function erasureRunEvents(
  client: GraphClient,
  namespace: string,
  ref: ErasureEventRef,
): JobRunEvents<ErasureCompletion> {
  const job: RunEvent['job'] = {
    namespace,
    name: erasureJobName,
    facets: { jobType: jobTypeFacet('ERASURE') },
  };
  const model = (id: string) => tracepropDataset(namespace, `models/${id}`);
  const parentOf = async (modelId: string | undefined): Promise<Record<string, Facet>> => {
    const facts = modelId ? await modelFacts(client, modelId) : undefined;
    return facts ? { parent: parentRunFacet(producerOf(namespace, facts)) } : {};
  };
  const facet = (extra: Record<string, unknown> = {}) =>
    tracepropRunFacet({ kind: 'erasure', id: ref.requestId, ...extra });
  return {
    start: async () =>
      runEvent({
        eventType: 'START',
        runId: openLineageRunId(ref.requestId),
        job,
        runFacets: {
          processing_engine: processingEngineFacet(),
          ...(await parentOf(ref.modelId)),
          traceprop: facet(),
        },
        inputs: ref.modelId ? [model(ref.modelId)] : [],
      }),
    complete: async (done) => {
      const facts = await erasureFacts(client, ref.requestId);
      const previous = facts?.previousModelIds ?? [];
      const made = (facts?.modelIds ?? []).filter((id) => !previous.includes(id));
      const statements = facts?.statements ?? [];
      return runEvent({
        eventType: 'COMPLETE',
        runId: openLineageRunId(ref.requestId),
        job,
        runFacets: {
          processing_engine: processingEngineFacet(),
          ...(await parentOf(previous[0] ?? ref.modelId)),
          traceprop: facet({
            counts: {
              erasedRows: facts?.rowIds.length ?? 0,
              affectedSamples: done.affectedSamples,
              forgottenTrainSamples: done.forgottenTrainSamples,
              droppedSamples: done.droppedSamples,
              recomputedSamples: done.recomputedSamples,
            },
            erasedRows: facts?.rows ?? [],
            certificate: certificateSummary(done),
            ...(statements.length ? { statement: statements[0], statements } : {}),
          }),
        },
        inputs: [...(facts?.files ?? []).map((f) => fileDataset(f.path ?? f.name)), ...previous.map(model)],
        outputs: made.map(model),
      });
    },
    fail: async (error) =>
      runEvent({
        eventType: 'FAIL',
        runId: openLineageRunId(ref.requestId),
        job,
        runFacets: {
          processing_engine: processingEngineFacet(),
          ...(await parentOf(ref.modelId)),
          errorMessage: errorMessageFacet(error instanceof Error ? error.message : String(error)),
          traceprop: facet(),
        },
        inputs: ref.modelId ? [model(ref.modelId)] : [],
      }),
  };
}

/** The certificate's summary: residual against its budget, whether it fell back, and (ε, δ). */
function certificateSummary(done: ErasureCompletion): Record<string, unknown> {
  const c = done.certificate;
  const e = done.certified;
  return {
    fallback: done.fallback,
    ...(c ? { gradientResidual: c.gradientResidual, budget: c.budget, withinBudget: c.withinBudget } : {}),
    ...(e
      ? {
          epsilon: e.epsilon,
          delta: e.delta,
          budgetCharged: e.charged,
          budgetLeft: e.left,
          retrainedFromScratch: e.retrainedFromScratch,
        }
      : {}),
  };
}
