import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { packageRoot } from '../../src/config.js';
import { functionCatalogue } from '../../src/expressions/function-catalogue.js';
import {
  pipelineJsonSchemaPath,
  renderPipelineJsonSchema,
} from '../../src/pipeline-spec/pipeline-json-schema.js';
import { stepSchema } from '../../src/pipeline-spec/step-schema.js';

const read = (rel: string) => fs.readFileSync(path.join(packageRoot, rel), 'utf8');

/** Every .ts file under a folder. */
function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? sources(p) : e.name.endsWith('.ts') ? [p] : [];
  });
}

describe('pipeline format documentation', () => {
  const page = read('docs/pipeline-format.md');

  it('publishes the JSON Schema generated from the zod schema (run `npm run docs:pipeline` after changing it)', () => {
    assert.equal(read(pipelineJsonSchemaPath), renderPipelineJsonSchema());
  });

  it('has one example per step kind, each valid against the step schema', () => {
    const blocks = [...page.matchAll(/```yaml\n([\s\S]*?)```/g)]
      .map((m) => m[1])
      .filter((b) => b.startsWith('- id:'));
    const kinds = new Set<string>();
    for (const block of blocks) {
      for (const step of parse(block) as unknown[]) {
        const r = stepSchema.safeParse(step);
        assert.ok(r.success, `${block}\n${JSON.stringify(r.error?.issues)}`);
        kinds.add(r.data.kind);
      }
    }
    const all = stepSchema.options.map((o) => o.shape.kind.value);
    assert.deepEqual([...kinds].sort(), [...all].sort());
  });

  it('documents every expression function', () => {
    for (const name of Object.keys(functionCatalogue)) assert.match(page, new RegExp(`\`${name}\\(`), name);
  });

  it('lists every pipeline.* error code the loader and the expressions can raise', () => {
    const codes = new Set<string>();
    for (const folder of ['src/pipeline-spec', 'src/expressions'])
      for (const file of sources(path.join(packageRoot, folder)))
        for (const m of fs.readFileSync(file, 'utf8').matchAll(/'(pipeline\.[a-zA-Z]+)'/g)) codes.add(m[1]);
    assert.ok(codes.size >= 15, [...codes].join(', '));
    for (const code of codes) assert.match(page, new RegExp(`\\| \`${code.replace('.', '\\.')}\` \\|`), code);
  });
});
