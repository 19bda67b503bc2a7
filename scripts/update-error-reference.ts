import fs from 'node:fs';
import path from 'node:path';
import { packageRoot } from '../src/config.js';
import { errorReferencePath, renderErrorReference } from './error-reference.js';

// Rewrites docs/errors.md from the error catalogue (npm run docs:errors).
const file = path.join(packageRoot, errorReferencePath);
fs.writeFileSync(file, renderErrorReference());
process.stderr.write(`updated the error reference in ${file}\n`);
