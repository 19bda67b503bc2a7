import { codeVersion } from '../util/code-version.js';

/** URI of the OpenLineage core schema version Traceprop's events follow. */
const openLineageSchemaUrl = 'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent';

/** `producer` / `_producer` of everything Traceprop emits: the project at its version. */
export function producerUri(): string {
  return `https://traceprop.dev/producer/traceprop/${codeVersion()}`;
}

/** A facet: its own fields plus the producer and the schema it follows. */
export interface Facet {
  _producer: string;
  _schemaURL: string;
  [field: string]: unknown;
}

/** A dataset as OpenLineage names it (`Naming.md`): namespace = the data source, name = the path. */
interface DatasetRef {
  namespace: string;
  name: string;
  facets?: Record<string, Facet>;
}

/** An input dataset of a run. */
export interface InputDataset extends DatasetRef {
  inputFacets?: Record<string, Facet>;
}

/** An output dataset of a run. */
interface OutputDataset extends DatasetRef {
  outputFacets?: Record<string, Facet>;
}

/** The state transitions Traceprop reports. */
type RunEventType = 'START' | 'COMPLETE' | 'FAIL';

/** An OpenLineage RunEvent (spec 2-0-2). */
export interface RunEvent {
  eventTime: string;
  producer: string;
  schemaURL: string;
  eventType: RunEventType;
  run: { runId: string; facets?: Record<string, Facet> };
  job: { namespace: string; name: string; facets?: Record<string, Facet> };
  inputs: InputDataset[];
  outputs: OutputDataset[];
}

/** The parts of a {@link RunEvent} a caller supplies. */
export interface RunEventParts {
  eventType: RunEventType;
  runId: string;
  job: RunEvent['job'];
  runFacets?: Record<string, Facet>;
  inputs?: InputDataset[];
  outputs?: OutputDataset[];
  /** Default: now. */
  eventTime?: Date;
}

/** Builds a RunEvent with the producer, schema URL and time filled in. */
export function runEvent(parts: RunEventParts): RunEvent {
  return {
    eventTime: (parts.eventTime ?? new Date()).toISOString(),
    producer: producerUri(),
    schemaURL: openLineageSchemaUrl,
    eventType: parts.eventType,
    run: { runId: parts.runId, ...(parts.runFacets ? { facets: parts.runFacets } : {}) },
    job: parts.job,
    inputs: parts.inputs ?? [],
    outputs: parts.outputs ?? [],
  };
}
