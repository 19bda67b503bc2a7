import { InvalidArgumentError } from 'commander';
import { TracepropError, UsageError } from '../errors.js';

/** Commander parser for a non-negative integer option. */
export function parseInteger(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isInteger(n) || n < 0)
    throw new InvalidArgumentError(`expected a whole number, got "${value}"`);
  return n;
}

/** Commander parser for an integer option of at least 1 (counts, sizes, k). */
export function parsePositiveInteger(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isInteger(n) || n < 1)
    throw new InvalidArgumentError(`expected a whole number of at least 1, got "${value}"`);
  return n;
}

/**
 * A commander parser for an integer in `[min, max]`.
 *
 * @example
 * .option('--top <k>', 'training samples kept', integerIn(1, 1000), 10)
 */
export function integerIn(min: number, max: number): (value: string) => number {
  return (value: string) => {
    const n = Number(value);
    if (value.trim() === '' || !Number.isInteger(n) || n < min || n > max)
      throw new InvalidArgumentError(`expected a whole number from ${min} to ${max}, got "${value}"`);
    return n;
  };
}

/** Commander parser for a TCP port (1-65535). */
export const parsePort = integerIn(1, 65535);

/** Commander parser for a JVM memory size such as `512m` or `1g`. */
export function parseMemorySize(value: string): string {
  if (!/^[1-9][0-9]*[kmgKMG]$/.test(value))
    throw new InvalidArgumentError(`expected a size such as 512m or 1g, got "${value}"`);
  return value;
}

/** Commander parser for a finite number option. */
export function parseNumber(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n))
    throw new InvalidArgumentError(`expected a number, got "${value}"`);
  return n;
}

/** Commander parser for a finite number above 0 (strengths such as λ). */
export function parsePositiveNumber(value: string): number {
  const n = parseNumber(value);
  if (!(n > 0)) throw new InvalidArgumentError(`expected a number above 0, got "${value}"`);
  return n;
}

/** Commander parser for a fraction in [0, 1]. */
export function parseFraction(value: string): number {
  const n = parseNumber(value);
  if (n < 0 || n > 1) throw new InvalidArgumentError(`expected a fraction between 0 and 1, got "${value}"`);
  return n;
}

/**
 * Commander parser for a fraction strictly between 0 and 1 (a share of rows that must leave some
 * rows on both sides, e.g. a test fraction or a subset size).
 */
export function parseOpenFraction(value: string): number {
  const n = parseNumber(value);
  if (!(n > 0 && n < 1))
    throw new InvalidArgumentError(`expected a fraction strictly between 0 and 1, got "${value}"`);
  return n;
}

/** Commander parser for a comma-separated list. */
export function parseList(value: string): string[] {
  return value
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
}

/**
 * Runs `check` (a validation that throws `InputError`, e.g. a payload schema) on an argument
 * before any work, turning its failure into a UsageError (exit 2) with the same code and message.
 */
export function asUsageError<T>(check: () => T): T {
  try {
    return check();
  } catch (err) {
    if (err instanceof TracepropError && !(err instanceof UsageError)) throw UsageError.from(err);
    throw err;
  }
}

/**
 * Throws `cli.optionNeedsOption` (a UsageError, exit 2) when `option` was given without `needed`.
 *
 * @example
 * requireWith(options.lambda !== undefined, '--lambda', Boolean(options.train), '--train');
 */
export function requireWith(given: boolean, option: string, present: boolean, needed: string): void {
  if (given && !present)
    throw new UsageError('cli.optionNeedsOption', `${option} only applies with ${needed}`);
}
