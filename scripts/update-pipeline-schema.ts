import fs from 'node:fs';
import path from 'node:path';
import { packageRoot } from '../src/config.js';
import {
  pipelineJsonSchemaPath,
  renderPipelineJsonSchema,
} from '../src/pipeline-spec/pipeline-json-schema.js';

// Rewrites docs/pipeline-format.schema.json from the zod schema of pipeline files (npm run docs:pipeline).
const target = path.join(packageRoot, pipelineJsonSchemaPath);
fs.writeFileSync(target, renderPipelineJsonSchema());
process.stderr.write(`updated ${target}\n`);
