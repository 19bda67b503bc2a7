import fs from 'node:fs';
import path from 'node:path';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { loadConfig, packageRoot } from '../../src/config.js';

// ajv-formats is CommonJS: from an ES module its function is the default export's `default`.
const addFormats = ((addFormatsModule as { default?: unknown }).default ?? addFormatsModule) as (
  ajv: Ajv2020,
) => void;

/** The OpenLineage specification shipped beside the checkout (../shared/openlineage/spec). */
export function openLineageSpecDir(): string {
  return path.join(path.dirname(loadConfig().datasetsDir), 'openlineage', 'spec');
}

interface SpecValidator {
  /** Problems of one event (empty when it is valid): the core schema, then every facet by its key. */
  problems(event: unknown): string[];
}

let cached: SpecValidator | undefined;

/**
 * A validator of RunEvents against the OpenLineage JSON Schema (draft 2020-12, ajv's 2020
 * dialect with formats) and of each facet against its own schema, found by the facet's key in
 * the facet files' `properties` (every standard facet added by its `$id`, plus Traceprop's
 * `docs/openlineage/TracepropRunFacet.json`). A facet no schema declares is a problem.
 */
export function openLineageValidator(): SpecValidator {
  if (cached) return cached;
  const dir = openLineageSpecDir();
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  const core = JSON.parse(fs.readFileSync(path.join(dir, 'OpenLineage.json'), 'utf8'));
  ajv.addSchema(core);
  const facetFiles = fs
    .readdirSync(path.join(dir, 'facets'))
    .filter((f) => f.endsWith('.json'))
    .map((f) => path.join(dir, 'facets', f));
  facetFiles.push(path.join(packageRoot, 'docs', 'openlineage', 'TracepropRunFacet.json'));
  const facetByKey = new Map<string, ValidateFunction>();
  for (const file of facetFiles) {
    const schema = JSON.parse(fs.readFileSync(file, 'utf8'));
    ajv.addSchema(schema);
  }
  for (const file of facetFiles) {
    const schema = JSON.parse(fs.readFileSync(file, 'utf8'));
    const validate = ajv.getSchema(schema.$id);
    if (!validate) throw new Error(`facet schema ${schema.$id} did not compile`);
    for (const key of Object.keys(schema.properties ?? {})) facetByKey.set(key, validate);
  }
  const runEvent = ajv.getSchema(`${core.$id}#/$defs/RunEvent`);
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
