import fs from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import { packageRoot } from '../src/config.js';

// Bundles the workbench page (src/web) into dist/web with esbuild, part of `npm run build`: one
// script (cytoscape and the ELK layout included, no CDN), the page and its style sheet.
const source = path.join(packageRoot, 'src', 'web');
const out = path.join(packageRoot, 'dist', 'web');
fs.rmSync(out, { recursive: true, force: true });
fs.mkdirSync(out, { recursive: true });
await build({
  entryPoints: [path.join(source, 'main.ts')],
  bundle: true,
  format: 'iife',
  platform: 'browser',
  target: 'es2022',
  minify: true,
  sourcemap: true,
  legalComments: 'linked',
  tsconfig: path.join(source, 'tsconfig.json'),
  outfile: path.join(out, 'app.js'),
  logLevel: 'warning',
});
for (const file of ['index.html', 'style.css'])
  fs.copyFileSync(path.join(source, file), path.join(out, file));
