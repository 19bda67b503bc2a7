import { InvalidArgumentError } from 'commander';

/** Commander parser for a non-negative integer option. */
export function parseInteger(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0)
    throw new InvalidArgumentError(`expected a whole number, got "${value}"`);
  return n;
}

/** Commander parser for a finite number option. */
export function parseNumber(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n))
    throw new InvalidArgumentError(`expected a number, got "${value}"`);
  return n;
}

/** Commander parser for a comma-separated list. */
export function parseList(value: string): string[] {
  return value
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
}
