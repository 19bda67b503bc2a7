import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {
  configurationReferencePath,
  environmentVariables,
  readDefaultDocs,
  renderConfigurationReference,
} from '../../scripts/configuration-reference.js';
import { sourceFiles } from '../../scripts/error-code-sites.js';
import { packageRoot } from '../../src/config.js';
import { defaults } from '../../src/defaults.js';

const src = path.join(packageRoot, 'src');

describe('defaults', () => {
  it('live in a module without imports (the maths layers may use it)', () => {
    const text = fs.readFileSync(path.join(src, 'defaults.ts'), 'utf8');
    assert.doesNotMatch(text, /^\s*import\s/m);
    assert.doesNotMatch(text, /process\.env/);
  });

  it('each have a doc comment and a section', () => {
    const docs = readDefaultDocs();
    assert.deepEqual(
      docs.map((d) => d.name),
      Object.keys(defaults),
    );
    for (const d of docs) {
      assert.ok(d.doc.length > 10, `${d.name} has no doc comment`);
      assert.ok(d.section, `${d.name} is in no section`);
    }
  });

  it('hold the one default λ: no other module falls back to a literal', () => {
    const copies = sourceFiles(src)
      .filter((f) => !f.endsWith(`${path.sep}defaults.ts`))
      .filter((f) =>
        /lambda\s*\?\?\s*[0-9]|default\(1e-3\)|parsePositiveNumber, 1e-3/.test(fs.readFileSync(f, 'utf8')),
      )
      .map((f) => path.relative(src, f));
    assert.deepEqual(copies, []);
    assert.equal(defaults.lambda, 1e-3);
  });

  it('document every environment variable src/config.ts reads', () => {
    const read = new Set(
      [...fs.readFileSync(path.join(src, 'config.ts'), 'utf8').matchAll(/\benv\.([A-Z][A-Z0-9_]*)/g)].map(
        (m) => m[1],
      ),
    );
    assert.deepEqual([...read].sort(), environmentVariables.map(([name]) => name).sort());
  });

  it(`are what ${configurationReferencePath} documents (run \`npm run docs:config\` after changing them)`, () => {
    const file = path.join(packageRoot, configurationReferencePath);
    assert.ok(fs.existsSync(file), `${configurationReferencePath} is missing: run npm run docs:config`);
    assert.equal(fs.readFileSync(file, 'utf8'), renderConfigurationReference());
  });
});
