import { Option } from 'commander';
import { defaults } from '../defaults.js';
import type { CertifyRequest } from '../jobs/train/certification-for.js';
import { parseCertifyOption } from '../unlearning/certified-removal.js';
import { parsePositiveNumber, requireWith } from './options.js';

/** The options {@link addCertifyOptions} adds, as commander parses them. */
export interface CertifyCliOptions {
  certify?: { epsilon: number; delta: number };
  removalBudget?: number;
}

/** `--certify EPS,DELTA` for a command that trains (`train`, `ingest --train`). */
export function certifyOption(prefix = ''): Option {
  return new Option(
    '--certify <eps,delta>',
    `${prefix}train for (ε, δ)-certified removal (Guo et al. 2020): objective perturbation, a removal budget per model line, a retrain from scratch when it runs out (e.g. 1,1e-5)`,
  ).argParser(parseCertifyOption);
}

/** `--removal-budget B` (ε′), beside {@link certifyOption}. */
export function removalBudgetOption(): Option {
  return new Option(
    '--removal-budget <residual>',
    `with --certify: ε′, the gradient residual removals may spend before a retrain (default ${defaults.certifiedResidualBudget}); σ = c·ε′/ε`,
  ).argParser(parsePositiveNumber);
}

/** The certification a command asks for, or undefined; checks `--removal-budget` needs `--certify`. */
export function certifyRequestOf(options: CertifyCliOptions): CertifyRequest | undefined {
  requireWith(options.removalBudget !== undefined, '--removal-budget', Boolean(options.certify), '--certify');
  if (!options.certify) return undefined;
  return {
    ...options.certify,
    ...(options.removalBudget !== undefined ? { budget: options.removalBudget } : {}),
  };
}
