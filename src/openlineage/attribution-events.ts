import type { GraphClient } from '../graph/connection.js';
import type { JobRunEvents } from './job-run-events.js';
import { attributionJobName, modelFacts, producerOf, statementsOf } from './lineage-facts.js';
import { openLineageRunId, tracepropDataset } from './lineage-names.js';
import { type Facet, type RunEvent, runEvent } from './run-event.js';
import {
  errorMessageFacet,
  jobTypeFacet,
  outputStatisticsFacet,
  parentRunFacet,
  processingEngineFacet,
} from './standard-facets.js';
import { tracepropRunFacet } from './traceprop-facet.js';

/** Which attribution job the events are about. */
export interface AttributionEventRef {
  /** The attribution job id (the OpenLineage run id). */
  jobId: string;
  modelId: string;
  method: string;
}

/** What a completed attribution wrote (an `AttributionJobResult`'s fields the events use). */
interface AttributionCompletion {
  predictions: number;
  influencedBy: number;
  sourceShares: number;
  trainRows: number;
}

/**
 * The events of one attribution job: job `attribution`, reading the model (`models/<modelId>`)
 * and, on COMPLETE, writing its influence edges (`models/<modelId>/influences`, row count = the
 * `INFLUENCED_BY` edges written); run facet `parent` = the run that made the model version (its
 * train job, or the erasure that produced it), `traceprop` = the job id, method, counts and its
 * signed `attribution` statement.
 */
export function attributionRunEvents(
  client: GraphClient,
  namespace: string,
  ref: AttributionEventRef,
): JobRunEvents<AttributionCompletion> {
  let model: ReturnType<typeof modelFacts> | undefined;
  const build = async (
    eventType: RunEvent['eventType'],
    extra: Record<string, Facet>,
    outputs: RunEvent['outputs'] = [],
  ): Promise<RunEvent> => {
    model ??= modelFacts(client, ref.modelId);
    const facts = await model;
    return runEvent({
      eventType,
      runId: openLineageRunId(ref.jobId),
      job: { namespace, name: attributionJobName, facets: { jobType: jobTypeFacet('ATTRIBUTION') } },
      runFacets: {
        processing_engine: processingEngineFacet(),
        ...(facts ? { parent: parentRunFacet(producerOf(namespace, facts)) } : {}),
        ...extra,
      },
      inputs: [tracepropDataset(namespace, `models/${ref.modelId}`)],
      outputs,
    });
  };
  const facet = (extra: Record<string, unknown> = {}) =>
    tracepropRunFacet({ kind: 'attribution', id: ref.jobId, method: ref.method, ...extra });
  return {
    start: () => build('START', { traceprop: facet() }),
    complete: async (done) => {
      const [statement] = await statementsOf(client, ref.jobId);
      return build(
        'COMPLETE',
        {
          traceprop: facet({
            counts: {
              predictions: done.predictions,
              influencedBy: done.influencedBy,
              sourceShares: done.sourceShares,
              trainRows: done.trainRows,
            },
            ...(statement ? { statement } : {}),
          }),
        },
        [
          {
            ...tracepropDataset(namespace, `models/${ref.modelId}/influences`),
            outputFacets: { outputStatistics: outputStatisticsFacet(done.influencedBy) },
          },
        ],
      );
    },
    fail: (error) =>
      build('FAIL', {
        errorMessage: errorMessageFacet(error instanceof Error ? error.message : String(error)),
        traceprop: facet(),
      }),
  };
}
