import { codeVersion } from '../util/code-version.js';
import { type Facet, producerUri } from './run-event.js';

/** Schema URL of a standard facet: its file's `$id` (the version Traceprop follows) and its definition. */
function standard(file: string, definition: string): string {
  return `https://openlineage.io/spec/facets/${file}#/$defs/${definition}`;
}

function facet(schemaUrl: string, fields: Record<string, unknown>): Facet {
  return { _producer: producerUri(), _schemaURL: schemaUrl, ...fields };
}

/** `schema`: the columns of a dataset, with their types. */
export function schemaFacet(fields: readonly { name: string; type?: string }[]): Facet {
  return facet(standard('1-2-0/SchemaDatasetFacet.json', 'SchemaDatasetFacet'), {
    fields: fields.map((f, i) => ({
      name: f.name,
      ...(f.type ? { type: f.type } : {}),
      ordinal_position: i + 1,
    })),
  });
}

/** How an output column (or the whole dataset) depends on an input column. */
export interface LineageTransformation {
  type: 'DIRECT' | 'INDIRECT';
  /** DIRECT: IDENTITY, TRANSFORMATION, AGGREGATION; INDIRECT: JOIN, FILTER, GROUP_BY, CONDITIONAL, … */
  subtype: string;
  description?: string;
}

/** One input column an output column (or the whole dataset) depends on, and every way it does. */
export interface LineageInputField {
  namespace: string;
  name: string;
  field: string;
  transformations: LineageTransformation[];
}

function inputField(f: LineageInputField) {
  return {
    namespace: f.namespace,
    name: f.name,
    field: f.field,
    transformations: f.transformations.map((t) => ({
      type: t.type,
      subtype: t.subtype,
      ...(t.description ? { description: t.description } : {}),
    })),
  };
}

/** `columnLineage`: each output column's input columns, and the inputs that shape the whole dataset. */
export function columnLineageFacet(
  fields: Readonly<Record<string, readonly LineageInputField[]>>,
  dataset: readonly LineageInputField[] = [],
): Facet {
  return facet(standard('1-2-0/ColumnLineageDatasetFacet.json', 'ColumnLineageDatasetFacet'), {
    fields: Object.fromEntries(
      Object.entries(fields).map(([column, inputs]) => [column, { inputFields: inputs.map(inputField) }]),
    ),
    ...(dataset.length ? { dataset: dataset.map(inputField) } : {}),
  });
}

/** `outputStatistics`: rows (and optionally bytes, files) written to an output dataset. */
export function outputStatisticsFacet(
  rowCount: number,
  extra: { size?: number; fileCount?: number } = {},
): Facet {
  return facet(
    standard('1-0-2/OutputStatisticsOutputDatasetFacet.json', 'OutputStatisticsOutputDatasetFacet'),
    {
      rowCount,
      ...extra,
    },
  );
}

/** `errorMessage`: why a run failed (the message only: no stack, which may name private paths). */
export function errorMessageFacet(message: string): Facet {
  return facet(standard('1-0-1/ErrorMessageRunFacet.json', 'ErrorMessageRunFacet'), {
    message,
    programmingLanguage: 'TypeScript',
  });
}

/** `processing_engine`: Traceprop itself, at its version. */
export function processingEngineFacet(): Facet {
  return facet(standard('1-1-1/ProcessingEngineRunFacet.json', 'ProcessingEngineRunFacet'), {
    name: 'traceprop',
    version: codeVersion(),
    openlineageAdapterVersion: codeVersion(),
  });
}

/** `jobType`: a batch job of Traceprop, of one kind (INGEST, TRAIN, ATTRIBUTION, ERASURE). */
export function jobTypeFacet(jobType: string): Facet {
  return facet(standard('2-0-4/JobTypeJobFacet.json', 'JobTypeJobFacet'), {
    processingType: 'BATCH',
    integration: 'TRACEPROP',
    jobType,
  });
}

/** The run a run was spawned from: its OpenLineage run id and its job. */
export interface ParentRun {
  runId: string;
  job: { namespace: string; name: string };
}

/** `parent`: the run this one derives from (train → its ingest, attribution/erasure → the model's run). */
export function parentRunFacet(parent: ParentRun): Facet {
  return facet(standard('1-2-0/ParentRunFacet.json', 'ParentRunFacet'), {
    run: { runId: parent.runId },
    job: { namespace: parent.job.namespace, name: parent.job.name },
  });
}
