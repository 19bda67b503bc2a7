import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { runTraceprop } from '../support/cli.js';
import { naiveCsv, withTempDir } from './helpers.js';

describe('lineage: `generate credit-risk` command', () => {
  it('writes the three files and prints one JSON document with --json', async () => {
    await withTempDir(async (dir) => {
      const out = path.join(dir, 'cr');
      const doc = (
        await runTraceprop([
          'generate',
          'credit-risk',
          '--applicants',
          '200',
          '--seed',
          '5',
          '--out',
          out,
          '--json',
        ])
      ).json<{
        files: Array<{ name: string; rows: number }>;
        applicants: number;
        seed: number;
      }>();
      assert.equal(doc.applicants, 200);
      assert.equal(doc.seed, 5);
      assert.deepEqual(
        doc.files.map((f) => f.name),
        ['application.csv', 'bureau.csv', 'previous_application.csv'],
      );
      for (const f of doc.files) assert.equal(naiveCsv(path.join(out, f.name)).rows.length, f.rows);
      assert.ok(fs.existsSync(path.join(out, 'bureau.csv')));
    });
  });

  it('rejects a non-numeric --applicants', async () => {
    const run = await runTraceprop(['generate', 'credit-risk', '--applicants', 'many', '--out', '/tmp/x']);
    assert.equal(run.code, 2, run.stderr);
    assert.match(run.stderr, /many/);
  });
});
