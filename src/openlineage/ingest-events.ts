import type { ValidatedPipeline } from '../pipeline-spec/validate-pipeline.js';
import { fileDataset, openLineageRunId, tracepropDataset } from './lineage-names.js';
import { type Facet, type InputDataset, type RunEvent, runEvent } from './run-event.js';
import { sampleColumnLineageFacet } from './sample-column-lineage.js';
import {
  errorMessageFacet,
  jobTypeFacet,
  outputStatisticsFacet,
  processingEngineFacet,
  schemaFacet,
} from './standard-facets.js';
import { tracepropRunFacet } from './traceprop-facet.js';

/** What the events of one ingest are about. */
export interface IngestEventContext {
  /** Job namespace (OPENLINEAGE_NAMESPACE), also the namespace of Traceprop's own datasets. */
  namespace: string;
  pipeline: ValidatedPipeline;
  /** The Traceprop run id. */
  runId: string;
  mode: 'row' | 'op';
  /** Absolute path of each source's file, by source name. */
  sourcePaths: Readonly<Record<string, string>>;
}

/** When an event happened (default: now; the export replays history with the recorded times). */
type At = Date | undefined;

/** What a completed ingest wrote. */
export interface IngestCompletion {
  samples: number;
  sourceRows: number;
  provenanceEdges: number;
  ops: number;
  pipelineSha256: string;
  statement?: { id: string; logIndex: number };
}

/** The OpenLineage job of an ingest: `ingest.<pipeline name>` in the deployment's namespace. */
function ingestJob(ctx: IngestEventContext): RunEvent['job'] {
  return {
    namespace: ctx.namespace,
    name: `ingest.${ctx.pipeline.spec.name}`,
    facets: { jobType: jobTypeFacet('INGEST') },
  };
}

/** The declared source files with their columns. */
function inputs(ctx: IngestEventContext): InputDataset[] {
  return ctx.pipeline.spec.sources.map((s) => ({
    ...fileDataset(ctx.sourcePaths[s.name]),
    facets: {
      schema: schemaFacet(
        Object.entries(s.columns).map(([name, spec]) => ({
          name,
          type: typeof spec === 'string' ? spec : spec.type,
        })),
      ),
    },
  }));
}

function runFacets(extra: Record<string, Facet> = {}): Record<string, Facet> {
  return { processing_engine: processingEngineFacet(), ...extra };
}

/** START: the run began, reading these files. */
export function ingestStartEvent(ctx: IngestEventContext, eventTime?: At): RunEvent {
  return runEvent({
    eventTime,
    eventType: 'START',
    runId: openLineageRunId(ctx.runId),
    job: ingestJob(ctx),
    runFacets: runFacets({ traceprop: tracepropRunFacet({ kind: 'ingest', id: ctx.runId, mode: ctx.mode }) }),
    inputs: inputs(ctx),
  });
}

/**
 * COMPLETE: the run's samples as an output dataset with their schema (key, label, features),
 * the column lineage of every feature (each source column it is computed from, DIRECT, and the
 * join keys, filter and group-by columns and conditions that shape it, INDIRECT; the dataset-level
 * JOIN/FILTER/GROUP_BY inputs) and the row count; the row-level counts and the signed statement in the `traceprop` facet.
 */
export function ingestCompleteEvent(
  ctx: IngestEventContext,
  done: IngestCompletion,
  eventTime?: At,
): RunEvent {
  const { sample } = ctx.pipeline.spec;
  return runEvent({
    eventTime,
    eventType: 'COMPLETE',
    runId: openLineageRunId(ctx.runId),
    job: ingestJob(ctx),
    runFacets: runFacets({
      traceprop: tracepropRunFacet({
        kind: 'ingest',
        id: ctx.runId,
        mode: ctx.mode,
        pipelineSha256: done.pipelineSha256,
        counts: {
          samples: done.samples,
          sourceRows: done.sourceRows,
          provenanceEdges: done.provenanceEdges,
          ops: done.ops,
        },
        ...(done.statement ? { statement: done.statement } : {}),
      }),
    }),
    inputs: inputs(ctx),
    outputs: [
      {
        ...tracepropDataset(ctx.namespace, `runs/${ctx.runId}/samples`),
        facets: {
          schema: schemaFacet([
            { name: sample.key, type: 'key' },
            { name: 'label', type: 'integer' },
            ...sample.features.map((name) => ({ name, type: 'feature' })),
          ]),
          columnLineage: sampleColumnLineageFacet(ctx.pipeline, ctx.sourcePaths),
        },
        outputFacets: { outputStatistics: outputStatisticsFacet(done.samples) },
      },
    ],
  });
}

/** FAIL: the run stopped with this error (its message only). */
export function ingestFailEvent(ctx: IngestEventContext, error: unknown): RunEvent {
  const message = error instanceof Error ? error.message : String(error);
  return runEvent({
    eventType: 'FAIL',
    runId: openLineageRunId(ctx.runId),
    job: ingestJob(ctx),
    runFacets: runFacets({
      errorMessage: errorMessageFacet(message),
      traceprop: tracepropRunFacet({ kind: 'ingest', id: ctx.runId, mode: ctx.mode }),
    }),
    inputs: inputs(ctx),
  });
}
