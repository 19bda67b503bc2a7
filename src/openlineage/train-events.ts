import type { GraphClient } from '../graph/connection.js';
import type { JobRunEvents } from './job-run-events.js';
import { ingestJobName, runPipelineName, statementsOf, trainJobName } from './lineage-facts.js';
import { openLineageRunId, tracepropDataset } from './lineage-names.js';
import { type Facet, type RunEvent, runEvent } from './run-event.js';
import { errorMessageFacet, jobTypeFacet, parentRunFacet, processingEngineFacet } from './standard-facets.js';
import { tracepropRunFacet } from './traceprop-facet.js';

/** Which training a train job's events are about. */
export interface TrainEventRef {
  /** The model the job makes (its id is the OpenLineage run id). */
  modelId: string;
  /** The ingest run it trains on. */
  runId: string;
}

/** What a completed training reports (a `TrainedRunModel`'s fields the events use). */
interface TrainCompletion {
  predictions: number;
  metrics: { trainRows: number; testRows: number };
}

/**
 * The events of one train job: job `train.<pipeline>` (the ingest run's pipeline name; the run
 * id when the run is unknown), reading the run's samples (`runs/<runId>/samples`) and, on
 * COMPLETE, writing the model (`models/<modelId>`); run
 * facet `parent` = the ingest's run (job `ingest.<pipeline>`), `traceprop` = the model id,
 * counts and the model's signed statement.
 */
export function trainRunEvents(
  client: GraphClient,
  namespace: string,
  ref: TrainEventRef,
): JobRunEvents<TrainCompletion> {
  let pipeline: Promise<string | undefined> | undefined;
  const pipelineName = () => {
    pipeline ??= runPipelineName(client, ref.runId);
    return pipeline;
  };
  const build = async (
    eventType: RunEvent['eventType'],
    extra: Record<string, Facet>,
    outputs: RunEvent['outputs'] = [],
  ): Promise<RunEvent> =>
    trainEvent({ namespace, ...ref, pipeline: await pipelineName(), eventType, runFacets: extra, outputs });
  return {
    start: () => build('START', { traceprop: tracepropRunFacet({ kind: 'train', id: ref.modelId }) }),
    complete: async (done) => {
      const [statement] = await statementsOf(client, ref.modelId);
      return build(
        'COMPLETE',
        {
          traceprop: tracepropRunFacet({
            kind: 'train',
            id: ref.modelId,
            counts: {
              trainRows: done.metrics.trainRows,
              testRows: done.metrics.testRows,
              predictions: done.predictions,
            },
            ...(statement ? { statement } : {}),
          }),
        },
        [tracepropDataset(namespace, `models/${ref.modelId}`)],
      );
    },
    fail: (error) =>
      build('FAIL', {
        errorMessage: errorMessageFacet(error instanceof Error ? error.message : String(error)),
        traceprop: tracepropRunFacet({ kind: 'train', id: ref.modelId }),
      }),
  };
}

/** The parts of one train event (see {@link trainEvent}). */
interface TrainEventParts extends TrainEventRef {
  namespace: string;
  /** The ingest run's pipeline name (undefined: job `train.<runId>`, no `parent` facet). */
  pipeline: string | undefined;
  eventType: RunEvent['eventType'];
  /** Facets besides `processing_engine` and `parent`. */
  runFacets: Record<string, Facet>;
  outputs?: RunEvent['outputs'];
  /** Default: now. */
  eventTime?: Date;
}

/**
 * One event of a train run: job `train.<pipeline>` with facet `jobType` TRAIN, run id = the
 * model id, facet `parent` = the ingest run (job `ingest.<pipeline>`), input the run's samples.
 */
export function trainEvent(parts: TrainEventParts): RunEvent {
  const { namespace, pipeline } = parts;
  return runEvent({
    eventType: parts.eventType,
    ...(parts.eventTime ? { eventTime: parts.eventTime } : {}),
    runId: openLineageRunId(parts.modelId),
    job: {
      namespace,
      name: trainJobName(pipeline ?? parts.runId),
      facets: { jobType: jobTypeFacet('TRAIN') },
    },
    runFacets: {
      processing_engine: processingEngineFacet(),
      ...(pipeline
        ? {
            parent: parentRunFacet({
              runId: openLineageRunId(parts.runId),
              job: { namespace, name: ingestJobName(pipeline) },
            }),
          }
        : {}),
      ...parts.runFacets,
    },
    inputs: [tracepropDataset(namespace, `runs/${parts.runId}/samples`)],
    outputs: parts.outputs ?? [],
  });
}
