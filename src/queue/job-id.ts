import { createHash } from 'node:crypto';

/**
 * The deterministic job id of a request: `<kind>-<first 32 hex of sha256(canonical JSON)>` of the
 * normalised payload (object keys sorted), so submitting the same request twice names one job.
 * (BullMQ ids may not contain `:` and must not be plain integers.)
 *
 * @example
 * jobIdFor('attribution', { top: 10, modelId: 'm1' }) === jobIdFor('attribution', { modelId: 'm1', top: 10 })
 */
export function jobIdFor(kind: string, normalisedPayload: unknown): string {
  const digest = createHash('sha256')
    .update(kind)
    .update('\0')
    .update(canonicalJson(normalisedPayload))
    .digest('hex');
  return `${kind}-${digest.slice(0, 32)}`;
}

/** JSON with object keys sorted at every level (undefined members dropped, as JSON does). */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return v;
    const sorted: Record<string, unknown> = {};
    for (const key of Object.keys(v).sort()) sorted[key] = (v as Record<string, unknown>)[key];
    return sorted;
  });
}
