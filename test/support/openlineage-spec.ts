import fs from 'node:fs';
import path from 'node:path';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { loadConfig, packageRoot } from '../../src/config.js';
import { openLineageRunId } from '../../src/openlineage/lineage-names.js';

// ajv-formats is CommonJS: from an ES module its function is the default export's `default`.
const addFormats = ((addFormatsModule as { default?: unknown }).default ?? addFormatsModule) as (
  ajv: Ajv2020,
) => void;

/** The OpenLineage specification shipped beside the checkout (../shared/openlineage/spec). */
function openLineageSpecDir(): string {
  return path.join(path.dirname(loadConfig().datasetsDir), 'openlineage', 'spec');
}

interface SpecValidator {
  /** Problems of one event (empty when it is valid): the core schema, then every facet by its key. */
  problems(event: unknown): string[];
}

let cached: SpecValidator | undefined;
let compiled: { ajv: Ajv2020; coreId: string; facetSchemas: Map<string, FacetSchema> } | undefined;

/** A facet schema file: its `$id`, the facet keys it declares and its definitions. */
interface FacetSchema {
  $id: string;
  properties?: Record<string, { $ref?: string; anyOf?: { $ref: string }[] }>;
  $defs: Record<
    string,
    { allOf?: { $ref?: string }[]; oneOf?: { $ref: string }[]; anyOf?: { $ref: string }[] }
  >;
}

/** ajv with the core schema and every facet schema (standard and Traceprop's) added by its `$id`. */
function specSchemas(): { ajv: Ajv2020; coreId: string; facetSchemas: Map<string, FacetSchema> } {
  if (compiled) return compiled;
  const dir = openLineageSpecDir();
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  const core = JSON.parse(fs.readFileSync(path.join(dir, 'OpenLineage.json'), 'utf8')) as { $id: string };
  ajv.addSchema(core);
  const files = fs
    .readdirSync(path.join(dir, 'facets'))
    .filter((f) => f.endsWith('.json'))
    .map((f) => path.join(dir, 'facets', f));
  files.push(path.join(packageRoot, 'docs', 'openlineage', 'TracepropRunFacet.json'));
  const facetSchemas = new Map<string, FacetSchema>();
  for (const file of files) {
    const schema = JSON.parse(fs.readFileSync(file, 'utf8')) as FacetSchema;
    ajv.addSchema(schema);
    facetSchemas.set(path.basename(file, '.json'), schema);
  }
  compiled = { ajv, coreId: core.$id, facetSchemas };
  return compiled;
}

/**
 * A validator of RunEvents against the OpenLineage JSON Schema (draft 2020-12, ajv's 2020
 * dialect with formats) and of each facet against its own schema, found by the facet's key in
 * the facet files' `properties` (every standard facet added by its `$id`, plus Traceprop's
 * `docs/openlineage/TracepropRunFacet.json`). A facet no schema declares is a problem.
 */
export function openLineageValidator(): SpecValidator {
  if (cached) return cached;
  const { ajv, coreId, facetSchemas } = specSchemas();
  const facetByKey = new Map<string, ValidateFunction>();
  for (const schema of facetSchemas.values()) {
    const validate = ajv.getSchema(schema.$id);
    if (!validate) throw new Error(`facet schema ${schema.$id} did not compile`);
    for (const key of Object.keys(schema.properties ?? {})) facetByKey.set(key, validate);
  }
  const runEvent = ajv.getSchema(`${coreId}#/$defs/RunEvent`);
  if (!runEvent) throw new Error('the RunEvent schema did not compile');
  const text = (errors: ErrorObject[] | null | undefined) =>
    (errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message}`).join('; ');

  cached = {
    problems(event) {
      const out: string[] = [];
      if (!runEvent(event)) out.push(`RunEvent: ${text(runEvent.errors)}`);
      const e = event as {
        run?: { facets?: object };
        job?: { facets?: object };
        inputs?: { facets?: object; inputFacets?: object }[];
        outputs?: { facets?: object; outputFacets?: object }[];
      };
      const groups: [string, object | undefined][] = [
        ['run', e.run?.facets],
        ['job', e.job?.facets],
        ...(e.inputs ?? []).flatMap((d, i): [string, object | undefined][] => [
          [`inputs[${i}]`, d.facets],
          [`inputs[${i}].inputFacets`, d.inputFacets],
        ]),
        ...(e.outputs ?? []).flatMap((d, i): [string, object | undefined][] => [
          [`outputs[${i}]`, d.facets],
          [`outputs[${i}].outputFacets`, d.outputFacets],
        ]),
      ];
      for (const [where, facets] of groups) {
        for (const [key, value] of Object.entries(facets ?? {})) {
          const validate = facetByKey.get(key);
          if (!validate) {
            out.push(`${where}.${key}: no facet schema declares this key`);
            continue;
          }
          if (!validate({ [key]: value })) out.push(`${where}.${key}: ${text(validate.errors)}`);
        }
      }
      return out;
    },
  };
  return cached;
}

/** Where a facet goes in a RunEvent, by the core definition its schema builds on. */
type FacetSlot = 'RunFacet' | 'JobFacet' | 'DatasetFacet' | 'InputDatasetFacet' | 'OutputDatasetFacet';
const slots: readonly FacetSlot[] = [
  'RunFacet',
  'JobFacet',
  'DatasetFacet',
  'InputDatasetFacet',
  'OutputDatasetFacet',
];

/**
 * The slot of an example facet of `spec/tests/<dir>/`: the facet schema `facets/<dir>.json`
 * declares its key; of the definitions the key may take (one, or the branches of an
 * anyOf/oneOf), the first the example is valid against (the one its `_schemaURL` names first);
 * its slot is the core definition it
 * extends (`allOf[0].$ref`). Undefined when the schema says nothing that fits.
 */
function slotOf(dir: string, key: string, value: unknown): FacetSlot | undefined {
  const { ajv, facetSchemas } = specSchemas();
  const schema = facetSchemas.get(dir);
  const declared = schema?.properties?.[key];
  if (!schema || !declared) return undefined;
  const expand = (ref: string): string[] => {
    const name = ref.split('/').pop() ?? '';
    const def = schema.$defs[name];
    const branches = def?.oneOf ?? def?.anyOf;
    return branches ? branches.flatMap((b) => expand(b.$ref)) : [name];
  };
  const names = (declared.$ref ? [declared.$ref] : (declared.anyOf ?? []).map((b) => b.$ref)).flatMap(expand);
  // The definition the example's own _schemaURL names comes first (LineageJobFacet or
  // LineageDatasetFacet: both shapes fit the same entries).
  const named = String((value as { _schemaURL?: unknown })?._schemaURL ?? '').split('#/$defs/')[1];
  if (named && names.includes(named)) names.unshift(named);
  for (const name of names) {
    const validate = ajv.getSchema(`${schema.$id}#/$defs/${name}`);
    if (!validate?.(value)) continue;
    const base = schema.$defs[name].allOf?.[0]?.$ref?.split('/').pop();
    if (slots.includes(base as FacetSlot)) return base as FacetSlot;
  }
  return undefined;
}

/** An example of `spec/tests` as a RunEvent. */
export interface SpecExample {
  /** Its path under spec/tests, e.g. `ColumnLineageDatasetFacet/1.json`. */
  file: string;
  /** True for a whole example event (used as it is), false for a facet wrapped into one. */
  whole: boolean;
  event: {
    eventType: string;
    eventTime: string;
    run: { runId: string; facets?: Record<string, unknown> };
    job: { namespace: string; name: string; facets?: Record<string, unknown> };
    dataset?: { namespace: string; name: string };
    inputs?: { namespace: string; name: string }[];
    outputs?: { namespace: string; name: string }[];
  };
}

/** Job and dataset namespace of the wrapped facet examples. */
export const specExampleNamespace = 'openlineage-spec-examples';

/**
 * Every example of the specification's `spec/tests` (read from ../shared, never copied): the
 * whole example events as they are, and each facet example (`<Facet>/<n>.json`, a fragment
 * `{ key: facet }`) wrapped into a COMPLETE RunEvent of its own job
 * (`openlineage-spec-examples`/`<Facet>/<n>`, a name-based run id) with one input and one
 * output dataset, the facet in the slot its schema builds on (run, job, dataset, input or
 * output facets). Throws for a facet example whose slot the schemas do not give.
 */
export function specExampleEvents(): SpecExample[] {
  const testsDir = path.join(openLineageSpecDir(), 'tests');
  const read = (file: string) => JSON.parse(fs.readFileSync(path.join(testsDir, file), 'utf8'));
  const out: SpecExample[] = [];
  for (const entry of fs.readdirSync(testsDir).sort()) {
    if (entry.endsWith('.json')) {
      out.push({ file: entry, whole: true, event: read(entry) });
      continue;
    }
    for (const name of fs.readdirSync(path.join(testsDir, entry)).sort()) {
      const file = `${entry}/${name}`;
      const fragment = read(file) as Record<string, unknown>;
      const facets: Record<FacetSlot, Record<string, unknown>> = {
        RunFacet: {},
        JobFacet: {},
        DatasetFacet: {},
        InputDatasetFacet: {},
        OutputDatasetFacet: {},
      };
      for (const [key, value] of Object.entries(fragment)) {
        const slot = slotOf(entry, key, value);
        if (!slot) throw new Error(`${file}: no facet schema places "${key}" in a run, job or dataset`);
        facets[slot][key] = value;
      }
      const job = file.replace(/\.json$/, '');
      out.push({
        file,
        whole: false,
        event: {
          eventType: 'COMPLETE',
          eventTime: '2026-12-06T00:00:00Z',
          producer: 'https://traceprop.dev/test/openlineage-spec-examples',
          schemaURL: 'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent',
          run: { runId: openLineageRunId(`spec-example:${file}`), facets: facets.RunFacet },
          job: { namespace: specExampleNamespace, name: job, facets: facets.JobFacet },
          inputs: [
            {
              namespace: specExampleNamespace,
              name: `${job}/input`,
              facets: facets.DatasetFacet,
              inputFacets: facets.InputDatasetFacet,
            },
          ],
          outputs: [
            {
              namespace: specExampleNamespace,
              name: `${job}/output`,
              outputFacets: facets.OutputDatasetFacet,
            },
          ],
        } as unknown as SpecExample['event'],
      });
    }
  }
  return out;
}
