import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import { registerGenerate } from '../../src/cli/commands/generate.js';
import type { CliContext } from '../../src/cli/context.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/util/logger.js';
import { naiveCsv, withTempDir } from './helpers.js';

function captureContext(): { ctx: CliContext; out: string[]; json: unknown[] } {
  const out: string[] = [];
  const json: unknown[] = [];
  const ctx: CliContext = {
    config: loadConfig(),
    logger: createLogger('silent'),
    verbose: false,
    printJson: (v) => json.push(v),
    print: (t) => out.push(t),
    status: () => {},
  };
  return { ctx, out, json };
}

describe('lineage: `generate credit-risk` command', () => {
  it('writes the three files and prints one JSON document with --json', async () => {
    await withTempDir(async (dir) => {
      const { ctx, json } = captureContext();
      const program = new Command('traceprop').exitOverride();
      registerGenerate(program, ctx);
      const out = path.join(dir, 'cr');
      await program.parseAsync(
        ['generate', 'credit-risk', '--applicants', '200', '--seed', '5', '--out', out, '--json'],
        { from: 'user' },
      );
      assert.equal(json.length, 1);
      const doc = json[0] as {
        files: Array<{ name: string; rows: number }>;
        applicants: number;
        seed: number;
      };
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
    const { ctx } = captureContext();
    const program = new Command('traceprop').exitOverride().configureOutput({ writeErr: () => {} });
    registerGenerate(program, ctx);
    for (const sub of program.commands)
      for (const c of [sub, ...sub.commands]) c.exitOverride().configureOutput({ writeErr: () => {} });
    await assert.rejects(
      program.parseAsync(['generate', 'credit-risk', '--applicants', 'many', '--out', '/tmp/x'], {
        from: 'user',
      }),
      /many/,
    );
  });
});
