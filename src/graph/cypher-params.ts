import neo4j from 'neo4j-driver';
import { UsageError } from '../errors.js';
import { assertIdentifier } from './identifiers.js';

/** Types a `--param` may declare: `name:int=5`. Without a type the value is a string. */
const cypherParamTypes = ['string', 'int', 'float', 'bool', 'json'] as const;

/** One of {@link cypherParamTypes}. */
type CypherParamType = (typeof cypherParamTypes)[number];

/**
 * Parses one `--param` argument into a parameter name and value. The value is always passed to
 * Neo4j as a parameter, never put into the query text.
 *
 * - `name=value` → the string `value` (even when it looks like a number: `id=007` stays `"007"`)
 * - `name:int=5` → the integer 5 (`neo4j.int`; whole numbers only)
 * - `name:float=0.5` → the float 0.5
 * - `name:bool=true` → `true` (`true`/`false` only)
 * - `name:json=[1,"a"]` → a list or map (whole numbers in it become integers)
 * - `name:string=x` → the string `x`
 *
 * The name must be a plain identifier. Throws `UsageError` `cypher.badParam` otherwise.
 *
 * @example
 * parseCypherParam('depth:int=10'); // ['depth', Integer(10)]
 * parseCypherParam("sampleId=x'}) DETACH DELETE n //"); // ['sampleId', "x'}) DETACH DELETE n //"]
 */
function parseCypherParam(text: string): [string, unknown] {
  const eq = text.indexOf('=');
  if (eq < 0)
    throw new UsageError(
      'cypher.badParam',
      `--param expects name=value or name:type=value, got ${JSON.stringify(text)}`,
    );
  const head = text.slice(0, eq);
  const raw = text.slice(eq + 1);
  const colon = head.indexOf(':');
  const name = colon < 0 ? head : head.slice(0, colon);
  const type = (colon < 0 ? 'string' : head.slice(colon + 1)) as CypherParamType;
  try {
    assertIdentifier('parameter name', name);
  } catch (err) {
    throw new UsageError('cypher.badParam', (err as Error).message);
  }
  const bad = (what: string): never => {
    throw new UsageError('cypher.badParam', `--param ${name}: expected ${what}, got ${JSON.stringify(raw)}`);
  };
  switch (type) {
    case 'string':
      return [name, raw];
    case 'int': {
      if (!/^[+-]?\d+$/.test(raw.trim())) bad('a whole number');
      const value = BigInt(raw.trim());
      if (value > 2n ** 63n - 1n || value < -(2n ** 63n)) bad('a whole number within 64 bits');
      return [name, neo4j.int(raw.trim())];
    }
    case 'float': {
      const value = Number(raw);
      if (raw.trim() === '' || !Number.isFinite(value)) bad('a finite number');
      return [name, value];
    }
    case 'bool':
      if (raw !== 'true' && raw !== 'false') bad('true or false');
      return [name, raw === 'true'];
    case 'json': {
      let value: unknown;
      try {
        value = JSON.parse(raw);
      } catch {
        bad('JSON');
      }
      return [name, jsonToParam(value)];
    }
    default:
      throw new UsageError(
        'cypher.badParam',
        `--param ${name}: unknown type ${JSON.stringify(type)} (use one of ${cypherParamTypes.join(', ')})`,
      );
  }
}

/** Parses every `--param` into a parameter map; a name given twice is an error. */
export function parseCypherParams(texts: readonly string[]): Record<string, unknown> {
  const params: Record<string, unknown> = {};
  for (const text of texts) {
    const [name, value] = parseCypherParam(text);
    if (Object.hasOwn(params, name))
      throw new UsageError('cypher.badParam', `--param ${name} is given twice`);
    params[name] = value;
  }
  return params;
}

function jsonToParam(value: unknown): unknown {
  if (typeof value === 'number' && Number.isSafeInteger(value)) return neo4j.int(value);
  if (Array.isArray(value)) return value.map(jsonToParam);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = jsonToParam(v);
    return out;
  }
  return value;
}
