import {
  Integer,
  isDate,
  isDateTime,
  isDuration,
  isLocalDateTime,
  isLocalTime,
  isNode,
  isPath,
  isPoint,
  isRelationship,
  isTime,
} from 'neo4j-driver';

/**
 * Turns a value from a Neo4j record into plain JSON-ready data: nodes become
 * `{ elementId, labels, properties }`, relationships `{ elementId, type, start, end, properties }`,
 * paths a list of their segments, temporal values ISO strings, big Integers numbers (or strings
 * beyond 2^53).
 */
export function plainValue(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value !== 'object') return typeof value === 'bigint' ? bigToPlain(value) : value;
  if (Integer.isInteger(value)) {
    const n = value as Integer;
    return n.inSafeRange() ? n.toNumber() : n.toString();
  }
  if (Array.isArray(value)) return value.map(plainValue);
  if (isNode(value))
    return { elementId: value.elementId, labels: value.labels, properties: plainValue(value.properties) };
  if (isRelationship(value)) {
    return {
      elementId: value.elementId,
      type: value.type,
      start: value.startNodeElementId,
      end: value.endNodeElementId,
      properties: plainValue(value.properties),
    };
  }
  if (isPath(value)) {
    return value.segments.map((s) => ({
      start: plainValue(s.start),
      relationship: plainValue(s.relationship),
      end: plainValue(s.end),
    }));
  }
  if (
    isDate(value) ||
    isDateTime(value) ||
    isLocalDateTime(value) ||
    isLocalTime(value) ||
    isTime(value) ||
    isDuration(value) ||
    isPoint(value)
  ) {
    return value.toString();
  }
  if (ArrayBuffer.isView(value)) return Array.from(value as unknown as ArrayLike<number>);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = plainValue(v);
  return out;
}

function bigToPlain(value: bigint): number | string {
  return value <= BigInt(Number.MAX_SAFE_INTEGER) && value >= BigInt(Number.MIN_SAFE_INTEGER)
    ? Number(value)
    : value.toString();
}
