import { createHash } from 'node:crypto';
import type { PipelineDefinition } from '../lineage/lineage-run.js';
import { type PipelineSpec, pipelineSchema } from './pipeline-schema.js';
import { type AnySchema, defOf, resolveSchema } from './schema-fields.js';

/**
 * The pipeline a run executed, as the graph records it (`(:Run)-[:USES]->(:Pipeline)`): the
 * canonical text of the parsed spec, its sha256 (hex, of the UTF-8 text) and the spec's name.
 *
 * The canonical text is the JSON of the parsed spec, defaults filled in, without whitespace:
 * - the fields of every fixed-shape mapping (the pipeline, a source, its `csv` dialect, a step, a
 *   measure, the sample, …) sorted by name (UTF-16 code-unit order), since their order never
 *   means anything;
 * - the entries of a name-keyed map (a source's `columns`, a derive's `columns`, an aggregate's
 *   `measures`) kept in the order written: it is the file's column order when `csv.header` is
 *   false, and the output column order of the step;
 * - lists kept in order.
 *
 * So the same pipeline written in YAML or JSON, with comments, another field order, or defaults
 * spelt out or left out, has the same hash; a change to anything the spec holds (an expression,
 * a default overridden, a description) changes it. Texts that differ only in spelling an
 * expression (`a>1` vs `a > 1`) or in the order of the `sources` or `steps` lists hash apart.
 *
 * @example
 * const { spec } = loadPipelineSpec('pipelines/berka-loans.yaml');
 * const definition = canonicalPipeline(spec); // { name: 'berka-loans', sha256: '3f…', text: '{"description":…' }
 */
export function canonicalPipeline(spec: PipelineSpec): PipelineDefinition {
  const text = canonicalJson(spec, pipelineSchema);
  return { name: spec.name, sha256: createHash('sha256').update(text, 'utf8').digest('hex'), text };
}

/** JSON text of `value` (walked beside `schema`, when known) in the canonical form above. */
function canonicalJson(value: unknown, schema: AnySchema | undefined): string {
  const resolved =
    schema && value !== null && typeof value === 'object' ? resolveSchema(schema, value) : schema;
  const def = resolved ? defOf(resolved) : undefined;
  if (Array.isArray(value)) {
    const element = def?.type === 'array' ? def.element : undefined;
    return `[${value.map((v) => canonicalJson(v === undefined ? null : v, element)).join(',')}]`;
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    if (def?.type === 'record')
      return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v, def.valueType)}`).join(',')}}`;
    entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v, def?.shape?.[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
