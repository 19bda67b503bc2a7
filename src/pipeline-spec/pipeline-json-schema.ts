import { z } from 'zod';
import { pipelineSchema } from './pipeline-schema.js';

/** Where the generated JSON Schema is published, relative to the package root. */
export const pipelineJsonSchemaPath = 'docs/pipeline-format.schema.json';

/**
 * The JSON Schema (draft 2020-12) of pipeline files, generated from the same zod schema the
 * loader uses (input side: fields with defaults are optional). Editors can validate YAML with
 * it; the semantic checks (ids, columns, expression types) need `traceprop pipeline validate`.
 */
export function renderPipelineJsonSchema(): string {
  const schema = z.toJSONSchema(pipelineSchema, { io: 'input', target: 'draft-2020-12' });
  const doc = {
    $schema: schema.$schema,
    title: 'Traceprop pipeline file (format traceprop.pipeline/1)',
    ...schema,
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}
