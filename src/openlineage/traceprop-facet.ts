import type { ErasedRowRef } from './lineage-facts.js';
import { type Facet, producerUri } from './run-event.js';

/** Schema URL of Traceprop's custom run facet (its JSON Schema: docs/openlineage/TracepropRunFacet.json). */
const tracepropFacetSchemaUrl =
  'https://traceprop.dev/spec/facets/1-0-0/TracepropRunFacet.json#/$defs/TracepropRunFacet';

/** The fields of Traceprop's custom run facet `traceprop`. */
export interface TracepropFacetFields {
  kind: 'ingest' | 'train' | 'attribution' | 'erasure';
  /** The Traceprop id of the run, model or request. */
  id: string;
  mode?: string;
  /** Attribution: the scoring method. */
  method?: string;
  pipelineSha256?: string;
  counts?: Record<string, number>;
  erasedRows?: ErasedRowRef[];
  certificate?: Record<string, unknown>;
  statement?: { id: string; logIndex: number };
  /** Erasure: every line's signed statement (`statement` is the first). */
  statements?: { id: string; logIndex: number }[];
}

/** The `traceprop` run facet: what OpenLineage cannot carry (row-level counts, erasures, evidence). */
export function tracepropRunFacet(fields: TracepropFacetFields): Facet {
  return { _producer: producerUri(), _schemaURL: tracepropFacetSchemaUrl, ...fields };
}
