import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { packageRoot } from '../../src/config.js';

/** Every .ts file under a folder. */
function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? sources(p) : e.name.endsWith('.ts') ? [p] : [];
  });
}

describe('expressions never run user text as code', () => {
  for (const folder of ['src/expressions', 'src/pipeline-spec']) {
    it(`${folder} uses neither eval, new Function, nor the vm module`, () => {
      const files = sources(path.join(packageRoot, folder));
      assert.ok(files.length > 5, `expected the sources of ${folder}`);
      for (const file of files) {
        const code = fs.readFileSync(file, 'utf8');
        for (const banned of [
          /\beval\s*\(/,
          /\bnew\s+Function\b/,
          /\bFunction\s*\(/,
          /['"]node:vm['"]|['"]vm['"]/,
        ]) {
          assert.doesNotMatch(code, banned, `${path.relative(packageRoot, file)} matches ${banned}`);
        }
      }
    });
  }
});
