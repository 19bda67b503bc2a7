import path from 'node:path';
import type { Command } from 'commander';
import { parseAttributionMethod } from '../../attribution/attribution-method.js';
import type { StoreDtype } from '../../attribution/gradient-store.js';
import { evaluateLds, prepareLds } from '../../attribution/lds-harness.js';
import { loadAdult } from '../../datasets/adult.js';
import { loadTabularCsv } from '../../datasets/load-tabular-csv.js';
import type { TabularDataset } from '../../datasets/tabular-dataset.js';
import { defaults } from '../../defaults.js';
import { UsageError } from '../../errors.js';
import type { CliContext } from '../context.js';
import {
  parseInteger,
  parseList,
  parseOpenFraction,
  parsePositiveInteger,
  parsePositiveNumber,
  requireWith,
} from '../options.js';

/** Options of `traceprop lds`, as parsed by commander. */
interface LdsCommandOptions {
  dataset?: string;
  csv?: string;
  label?: string;
  drop?: string[];
  categorical?: string[];
  positive?: string;
  method: string;
  subsets: number;
  alpha: number;
  testPoints: number;
  testFraction: number;
  k?: number;
  dtype: string;
  ensemble: number;
  seed: number;
  lambda: number;
  dataDir?: string;
  precompute: boolean;
  json?: boolean;
}

/**
 * `traceprop lds`: the LDS protocol of DESIGN §4 for one attribution method, on Adult or on
 * any tabular CSV with a binary label.
 *
 * @example
 * traceprop lds --dataset adult --method ns --json
 * traceprop lds --csv loans.csv --label default --drop id --method if
 */
export function registerLds(program: Command, ctx: CliContext): void {
  program
    .command('lds')
    .description(
      'linear datamodeling score of an attribution method (logistic regression, retrains on subsets)',
    )
    .option('--dataset <name>', 'built-in data set: adult')
    .option('--csv <file>', 'any CSV with a header row')
    .option('--label <column>', 'binary label column of --csv')
    .option('--positive <value>', 'label value of the positive class (detected when omitted)')
    .option('--drop <columns>', 'comma-separated columns to ignore', parseList)
    .option('--categorical <columns>', 'comma-separated columns to one-hot even if numeric', parseList)
    .option('--method <method>', 'ns | if | ll | graddot | random', 'ns')
    .option('--subsets <m>', 'number of subsets', parsePositiveInteger, 100)
    .option('--alpha <fraction>', 'subset fraction, between 0 and 1', parseOpenFraction, 0.5)
    .option('--test-points <count>', 'test points sampled', parsePositiveInteger, 500)
    .option(
      '--test-fraction <fraction>',
      'held-out fraction of --csv rows, between 0 and 1',
      parseOpenFraction,
      0.2,
    )
    .option('--k <dim>', 'll: projected dimension', parsePositiveInteger)
    .option('--dtype <type>', 'll: float32 | float16 | int8', 'float32')
    .option('--ensemble <count>', 'll: projections averaged', parsePositiveInteger, 1)
    .option('--seed <seed>', 'seed of test points, subsets and projections', parseInteger, 0)
    .option('--lambda <l2>', 'L2 strength of every fit (> 0)', parsePositiveNumber, defaults.lambda)
    .option('--data-dir <dir>', 'folder of the built-in data set (default <datasets>/adult)')
    .option(
      '--no-precompute',
      "time the attribution call with the per-model precomputation and the score threads' start in it, as a one-off call without a saved model pays",
    )
    .option('--json', 'print one JSON document')
    .action(async (options: LdsCommandOptions) => {
      const method = parseAttributionMethod(options.method);
      if (!['float32', 'float16', 'int8'].includes(options.dtype)) {
        throw new UsageError(
          'cli.badOption',
          `--dtype must be float32, float16 or int8, got "${options.dtype}"`,
        );
      }
      const data = loadDataset(options, ctx);
      const prep = prepareLds(data, {
        lambda: options.lambda,
        subsets: options.subsets,
        alpha: options.alpha,
        testPoints: options.testPoints,
        seed: options.seed,
        precompute: options.precompute,
        onProgress: (done, total) => {
          if (done === total || done % Math.max(1, Math.floor(total / 10)) === 0)
            ctx.status(`retrained ${done}/${total}`);
        },
      });
      const report = await evaluateLds(prep, method, {
        k: options.k,
        dtype: options.dtype as StoreDtype,
        ensemble: options.ensemble,
        measureWarm: true,
      });
      const doc = {
        dataset: data.name,
        positiveClass: data.encoder.positive,
        lambda: options.lambda,
        ...report,
      };
      if (options.json) {
        ctx.printJson(doc);
      } else {
        ctx.print(
          `${data.name}: ${method} LDS ${report.lds.toFixed(4)} ± ${report.ldsSd.toFixed(4)} ` +
            `(${report.testPoints} test points, ${report.subsets} subsets of ${Math.floor(report.alpha * report.trainRows)} rows, ` +
            `${report.noCorrelation} without correlation)`,
        );
        ctx.print(
          `attribution ${report.attributionSeconds.toFixed(3)} s (warm ${report.attributionWarmSeconds?.toFixed(3)} s, ` +
            `precomputed with the model in ${report.precomputeSeconds.toFixed(3)} s), train ${report.trainSeconds.toFixed(3)} s, ` +
            `retrains ${report.retrainSeconds.toFixed(2)} s; ${report.trainRows} rows × ${report.features} features`,
        );
      }
    });
}

function loadDataset(options: LdsCommandOptions, ctx: CliContext): TabularDataset {
  if (options.dataset !== undefined && options.csv !== undefined) {
    throw new UsageError('cli.badOption', 'give either --dataset or --csv, not both');
  }
  const csv = options.csv !== undefined;
  requireWith(options.label !== undefined, '--label', csv, '--csv');
  requireWith(options.positive !== undefined, '--positive', csv, '--csv');
  requireWith(options.drop !== undefined, '--drop', csv, '--csv');
  requireWith(options.categorical !== undefined, '--categorical', csv, '--csv');
  requireWith(options.dataDir !== undefined, '--data-dir', !csv, '--dataset (not with --csv)');
  if (options.csv !== undefined) {
    if (!options.label)
      throw new UsageError('cli.missingOption', '--csv needs --label COLUMN (the binary label)');
    return loadTabularCsv(options.csv, {
      label: options.label,
      drop: options.drop,
      categorical: options.categorical,
      positive: options.positive,
      testFraction: options.testFraction,
      seed: options.seed,
    });
  }
  const name = options.dataset ?? 'adult';
  if (name !== 'adult')
    throw new UsageError('cli.badOption', `unknown --dataset "${name}" (built in: adult)`);
  return loadAdult(options.dataDir ?? path.join(ctx.config.datasetsDir, 'adult'));
}
