import fs from 'node:fs';
import path from 'node:path';
import { packageRoot } from '../src/config.js';
import { configurationReferencePath, renderConfigurationReference } from './configuration-reference.js';

// Rewrites docs/configuration.md from src/config.ts and src/defaults.ts (npm run docs:config).
const file = path.join(packageRoot, configurationReferencePath);
fs.writeFileSync(file, renderConfigurationReference());
process.stderr.write(`updated the configuration reference in ${file}\n`);
