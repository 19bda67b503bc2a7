import neo4j from 'neo4j-driver';
import { UsageError } from '../errors.js';

/** A Cypher parameter name: letters, digits and underscores, not starting with a digit. */
const parameterName = /^[A-Za-z_][A-Za-z0-9_]{0,99}$/;

/**
 * The parameters of a JSON body as Cypher parameters: names checked (`cypher.badParam`), whole
 * numbers sent as Cypher integers (JSON has one number type; `LIMIT $n` and integer properties
 * need integers), everything else as given. Values are only ever parameters: nothing from the
 * body is spliced into the query text.
 *
 * @example
 * jsonCypherParams({ id: 's1', k: 5 }) // → { id: 's1', k: Integer(5) }
 */
export function jsonCypherParams(params: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(params)) {
    if (!parameterName.test(name))
      throw new UsageError(
        'cypher.badParam',
        `parameter names are letters, digits and _ (not starting with a digit), got ${JSON.stringify(name.slice(0, 100))}`,
      );
    out[name] = toCypher(value);
  }
  return out;
}

function toCypher(value: unknown): unknown {
  if (typeof value === 'number' && Number.isSafeInteger(value)) return neo4j.int(value);
  if (Array.isArray(value)) return value.map(toCypher);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = toCypher(v);
    return out;
  }
  return value;
}
