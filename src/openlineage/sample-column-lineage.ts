import {
  type DirectInput,
  type IndirectInput,
  sampleColumnLineage,
} from '../pipeline-spec/column-lineage.js';
import type { ValidatedPipeline } from '../pipeline-spec/validate-pipeline.js';
import { fileDataset } from './lineage-names.js';
import type { Facet } from './run-event.js';
import { columnLineageFacet, type LineageInputField, type LineageTransformation } from './standard-facets.js';

/**
 * The `columnLineage` facet of an ingest's samples: for every feature one input field per source
 * column it depends on, with every way it does (DIRECT and INDIRECT transformations, see
 * `sampleColumnLineage`), and the dataset-level JOIN, FILTER and GROUP_BY inputs. Source columns
 * are named by their file dataset (namespace `file`, the absolute path); a source without a path
 * is left out.
 */
export function sampleColumnLineageFacet(
  pipeline: ValidatedPipeline,
  sourcePaths: Readonly<Record<string, string>>,
): Facet {
  const lineage = sampleColumnLineage(pipeline);
  const fields: Record<string, LineageInputField[]> = {};
  for (const [feature, f] of Object.entries(lineage.features))
    fields[feature] = inputFields(f.direct.map(direct).concat(f.indirect.map(indirect)), sourcePaths);
  return columnLineageFacet(fields, inputFields(lineage.dataset.map(indirect), sourcePaths));
}

type Used = { source: string; transformation: LineageTransformation };

const direct = (d: DirectInput): Used => ({
  source: d.source,
  transformation: { type: 'DIRECT', subtype: d.subtype },
});

const indirect = (i: IndirectInput): Used => ({
  source: i.source,
  transformation: { type: 'INDIRECT', subtype: i.subtype, description: `${i.step}: ${i.description}` },
});

/** One input field per source column, in first-use order, with its transformations. */
function inputFields(
  used: readonly Used[],
  sourcePaths: Readonly<Record<string, string>>,
): LineageInputField[] {
  const bySource = new Map<string, LineageInputField>();
  for (const u of used) {
    let field = bySource.get(u.source);
    if (!field) {
      const dot = u.source.indexOf('.');
      const file = dot < 0 ? undefined : sourcePaths[u.source.slice(0, dot)];
      if (!file) continue;
      field = { ...fileDataset(file), field: u.source.slice(dot + 1), transformations: [] };
      bySource.set(u.source, field);
    }
    field.transformations.push(u.transformation);
  }
  return [...bySource.values()];
}
