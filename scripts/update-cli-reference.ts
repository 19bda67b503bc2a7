import fs from 'node:fs';
import path from 'node:path';
import { renderCliReference, replaceCliReference } from '../src/cli/cli-reference.js';
import { packageRoot } from '../src/config.js';

// Rewrites the CLI reference in README.md from commander's help (npm run docs:cli).
const readmePath = path.join(packageRoot, 'README.md');
fs.writeFileSync(readmePath, replaceCliReference(fs.readFileSync(readmePath, 'utf8'), renderCliReference()));
process.stderr.write(`updated the CLI reference in ${readmePath}\n`);
