import path from 'node:path';
import type { Command } from 'commander';
import { generateCreditRisk } from '../../pipelines/credit-risk-generator.js';
import type { CliContext } from '../context.js';
import { parseInteger, parsePositiveInteger } from '../options.js';

/**
 * `traceprop generate credit-risk --applicants N --seed S --out DIR [--json]`: writes the
 * synthetic Home Credit–like tables (application, bureau, previous_application).
 */
export function registerGenerate(program: Command, ctx: CliContext): void {
  const generate = program.command('generate').description('generate synthetic data sets');
  generate
    .command('credit-risk')
    .description(
      'write application.csv, bureau.csv and previous_application.csv (Home Credit column names, ~9 rows per applicant)',
    )
    .option('--applicants <n>', 'number of applicants (at least 1)', parsePositiveInteger, 20000)
    .option('--seed <n>', 'PRNG seed (same seed, same bytes)', parseInteger, 7)
    .requiredOption('--out <dir>', 'output directory (created if missing)')
    .option('--json', 'print one JSON document to stdout')
    .action(async (opts: { applicants: number; seed: number; out: string; json?: boolean }) => {
      const outDir = path.resolve(opts.out);
      ctx.status(`generating credit-risk data: ${opts.applicants} applicants, seed ${opts.seed} → ${outDir}`);
      const ds = await generateCreditRisk({ applicants: opts.applicants, seed: opts.seed, outDir });
      if (opts.json) {
        ctx.printJson(ds);
        return;
      }
      for (const f of ds.files)
        ctx.print(`${f.name.padEnd(26)} ${String(f.rows).padStart(9)} rows  sha256 ${f.sha256}`);
      ctx.print(`total ${ds.totalRows} rows, default rate ${(ds.defaultRate * 100).toFixed(1)}%`);
    });
}
