import { NotFoundError } from '../errors.js';
import type { GraphClient } from '../graph/connection.js';
import { cypherText } from '../graph/cypher-library.js';
import { runReadQuery } from '../graph/read-query.js';
import { parsePipelineSpec } from '../pipeline-spec/load-pipeline-spec.js';
import { type IngestEventContext, ingestCompleteEvent, ingestStartEvent } from './ingest-events.js';
import { ingestJobName } from './lineage-facts.js';
import { fileDataset, openLineageRunId, tracepropDataset } from './lineage-names.js';
import { type RunEvent, runEvent } from './run-event.js';
import { jobTypeFacet, outputStatisticsFacet, processingEngineFacet } from './standard-facets.js';
import { tracepropRunFacet } from './traceprop-facet.js';
import { trainEvent } from './train-events.js';

/** Which history to replay. */
export interface ExportOptions {
  namespace: string;
  /** One ingest run (and its models) only. */
  runId?: string;
  /** Runs started at or after this time only. */
  since?: Date;
}

/** One complete run as cypher/openlineage/export-runs.cypher returns it. */
interface ExportedRun {
  runId: string;
  pipeline: string;
  mode: 'row' | 'op';
  startedAt: string;
  finishedAt?: string;
  samples: number;
  sourceRows: number;
  provenanceEdges: number;
  ops: number;
  pipelineSha256?: string;
  pipelineText?: string;
  files: { id: string; name: string; path?: string; table: string; rows: number }[];
  models: { id: string; trainedAt: string }[];
}

/**
 * Replays the graph's history as OpenLineage events, oldest run first: per complete ingest run
 * its START and COMPLETE (at its recorded start and finish times; the source files it read, the
 * samples with their counts, and the column lineage of every feature when the run's `Pipeline`
 * node is recorded), then START and COMPLETE of each model a train job fitted on it (at its
 * training time, `parent` = the run). Read-only.
 *
 * @throws NotFoundError `openlineage.unknownRun` when `runId` names no complete run.
 */
export async function exportLineageEvents(client: GraphClient, options: ExportOptions): Promise<RunEvent[]> {
  const rows = await runReadQuery(client, cypherText('openlineage', 'export-runs'), {
    runId: options.runId ?? null,
    since: options.since ? options.since.toISOString() : null,
  });
  if (options.runId !== undefined && rows.length === 0)
    throw new NotFoundError(
      'openlineage.unknownRun',
      `no complete ingest run "${options.runId}" (see \`traceprop runs list\`)`,
    );
  return rows.flatMap((row) => runEvents(options.namespace, row as unknown as ExportedRun));
}

function runEvents(namespace: string, run: ExportedRun): RunEvent[] {
  const started = new Date(run.startedAt);
  const finished = run.finishedAt ? new Date(run.finishedAt) : started;
  const events = ingestEvents(namespace, run, started, finished);
  for (const m of run.models) {
    const at = new Date(m.trainedAt);
    const ref = { namespace, modelId: m.id, runId: run.runId, pipeline: run.pipeline, eventTime: at };
    const facet = tracepropRunFacet({ kind: 'train', id: m.id });
    events.push(trainEvent({ ...ref, eventType: 'START', runFacets: { traceprop: facet } }));
    events.push(
      trainEvent({
        ...ref,
        eventType: 'COMPLETE',
        runFacets: { traceprop: facet },
        outputs: [tracepropDataset(namespace, `models/${m.id}`)],
      }),
    );
  }
  return events;
}

/** The ingest's START and COMPLETE: from its recorded pipeline when there is one, else from its files. */
function ingestEvents(namespace: string, run: ExportedRun, started: Date, finished: Date): RunEvent[] {
  const pathOf = (f: ExportedRun['files'][number]) => fileDataset(f.path ?? f.name).name;
  const counts = {
    samples: Number(run.samples),
    sourceRows: Number(run.sourceRows),
    provenanceEdges: Number(run.provenanceEdges),
    ops: Number(run.ops),
  };
  if (run.pipelineText && run.pipelineSha256) {
    const pipeline = parsePipelineSpec(run.pipelineText, `Pipeline ${run.pipelineSha256}`);
    const byTable = new Map(run.files.map((f) => [f.table, pathOf(f)]));
    const ctx: IngestEventContext = {
      namespace,
      pipeline,
      runId: run.runId,
      mode: run.mode,
      sourcePaths: Object.fromEntries(
        pipeline.spec.sources.map((s) => [s.name, byTable.get(s.name) ?? fileDataset(s.path).name]),
      ),
    };
    return [
      ingestStartEvent(ctx, started),
      ingestCompleteEvent(ctx, { ...counts, pipelineSha256: run.pipelineSha256 }, finished),
    ];
  }
  // A run without a declared pipeline: its files and samples, no column lineage.
  const common = {
    runId: openLineageRunId(run.runId),
    job: {
      namespace,
      name: ingestJobName(run.pipeline),
      facets: { jobType: jobTypeFacet('INGEST') },
    },
    inputs: run.files.map((f) => fileDataset(pathOf(f))),
  };
  const facet = (extra = {}) =>
    tracepropRunFacet({ kind: 'ingest', id: run.runId, mode: run.mode, ...extra });
  return [
    runEvent({
      ...common,
      eventType: 'START',
      eventTime: started,
      runFacets: { processing_engine: processingEngineFacet(), traceprop: facet() },
    }),
    runEvent({
      ...common,
      eventType: 'COMPLETE',
      eventTime: finished,
      runFacets: { processing_engine: processingEngineFacet(), traceprop: facet({ counts }) },
      outputs: [
        {
          ...tracepropDataset(namespace, `runs/${run.runId}/samples`),
          outputFacets: { outputStatistics: outputStatisticsFacet(counts.samples) },
        },
      ],
    }),
  ];
}
