import { InputError } from '../errors.js';

/** A plain identifier: a letter or `_`, then letters, digits or `_` (at most 128 characters). */
const identifierPattern = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;

/**
 * A column or table name as found in real CSV headers: letters, digits, `_`, `-`, `.`, `/`,
 * `(`, `)`, `%`, `+`, `:` and inner spaces (at most 128 characters). Never quotes, backticks,
 * braces, brackets, semicolons, `$` or control characters.
 */
const safeNamePattern = /^[\p{L}\p{N}_][\p{L}\p{N}_\-./()%+: ]{0,127}$/u;

/** True when `value` is a plain identifier (see {@link identifierPattern}). */
export function isIdentifier(value: unknown): value is string {
  return typeof value === 'string' && identifierPattern.test(value);
}

/** True when `value` is a safe column or table name (see {@link safeNamePattern}). */
function isSafeName(value: unknown): value is string {
  return typeof value === 'string' && safeNamePattern.test(value) && value.trimEnd() === value;
}

/**
 * Throws `graph.badName` unless `value` is a plain identifier. Call it on every name taken from
 * input (parameter names, labels, property names) before it reaches Cypher in any form.
 *
 * @example
 * assertIdentifier('parameter name', 'sampleId'); // ok
 * assertIdentifier('parameter name', 'x}) DETACH DELETE n //'); // throws graph.badName
 */
export function assertIdentifier(what: string, value: unknown): asserts value is string {
  if (!isIdentifier(value)) {
    throw new InputError(
      'graph.badName',
      `${what} must be a plain identifier (a letter or _ then letters, digits or _, at most 128 characters), got ${JSON.stringify(value)}`,
    );
  }
}

/**
 * Throws `graph.badName` unless `value` is a safe column or table name (see
 * {@link safeNamePattern}). Such names only ever travel as parameter values; the check keeps
 * hostile text out of the graph and out of auditors' screens.
 */
export function assertSafeName(what: string, value: unknown): asserts value is string {
  if (!isSafeName(value)) {
    throw new InputError(
      'graph.badName',
      `${what} must be a column or table name made of letters, digits, spaces and _-./()%+: (at most 128 characters, no quotes, backticks, braces or $), got ${JSON.stringify(value)}`,
    );
  }
}
