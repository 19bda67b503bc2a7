import { UsageError } from '../errors.js';
import { isIdentifier } from '../graph/identifiers.js';

/** A parsed `--key COLUMN=VALUE` option. */
export interface KeyOption {
  /** The key column, a plain identifier (e.g. `SK_ID_CURR`). */
  column: string;
  /** The key value as text (e.g. `100042`). */
  value: string;
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: the point is to find control characters
const controlChars = /[\u0000-\u001f\u007f]/;

/**
 * Parses one `COLUMN=VALUE` option strictly: exactly one `=`; COLUMN a plain identifier (a letter
 * or `_`, then letters, digits or `_`); VALUE non-empty, without surrounding spaces or control
 * characters. Used by `trace --key` and `unlearn --key`.
 *
 * @throws UsageError `cli.badKey` (exit 2) saying what was expected and what was got.
 * @example
 * parseKeyOption('SK_ID_CURR=100042'); // { column: 'SK_ID_CURR', value: '100042' }
 * parseKeyOption('=5');                // throws: no column before "="
 */
export function parseKeyOption(spec: string, option = '--key'): KeyOption {
  const fail = (why: string): never => {
    throw new UsageError(
      'cli.badKey',
      `${option}: expected COLUMN=VALUE (e.g. SK_ID_CURR=100042), got ${JSON.stringify(spec)}: ${why}`,
    );
  };
  const at = spec.indexOf('=');
  if (at < 0) fail('no "=" between the column and the value');
  if (spec.indexOf('=', at + 1) >= 0) fail('more than one "="');
  const column = spec.slice(0, at);
  const value = spec.slice(at + 1);
  if (column === '') fail('no column before "="');
  if (!isIdentifier(column))
    fail(
      `the column ${JSON.stringify(column)} is not a plain identifier (a letter or _, then letters, digits or _)`,
    );
  if (value === '') fail('no value after "="');
  if (value.trim() !== value) fail('the value starts or ends with spaces');
  if (controlChars.test(value)) fail('the value holds control characters');
  return { column, value };
}

/**
 * Parses repeated `--key COLUMN=VALUE` options naming rows of one key column: the column and the
 * distinct values, sorted.
 *
 * @throws UsageError `cli.badKey` on a malformed option, on two different columns, or on none.
 * @example
 * parseKeyOptions(['SK_ID_BUREAU=5', 'SK_ID_BUREAU=3']); // { column: 'SK_ID_BUREAU', keys: ['3', '5'] }
 */
export function parseKeyOptions(
  specs: readonly string[],
  option = '--key',
): { column: string; keys: string[] } {
  if (specs.length === 0)
    throw new UsageError('cli.badKey', `${option}: expected COLUMN=VALUE (e.g. SK_ID_CURR=100042)`);
  const parsed = specs.map((spec) => parseKeyOption(spec, option));
  const column = parsed[0].column;
  const other = parsed.find((p) => p.column !== column);
  if (other)
    throw new UsageError(
      'cli.badKey',
      `${option}: expected one key column per request, got ${column} and ${other.column}`,
    );
  return { column, keys: [...new Set(parsed.map((p) => p.value))].sort() };
}
