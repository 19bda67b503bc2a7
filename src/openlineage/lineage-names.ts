import { createHash } from 'node:crypto';
import path from 'node:path';

/** A local file as OpenLineage names it: namespace `file`, name its absolute path. */
export function fileDataset(file: string): { namespace: string; name: string } {
  return { namespace: 'file', name: path.resolve(file) };
}

/** A dataset Traceprop holds (a run's samples, a model), in namespace `traceprop://<namespace>`. */
export function tracepropDataset(namespace: string, name: string): { namespace: string; name: string } {
  return { namespace: `traceprop://${namespace}`, name };
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The OpenLineage runId of a Traceprop id: the id itself when it is a UUID (the default for runs,
 * models and requests), else a name-based UUID (version 5 layout, SHA-256 of the id) so the same
 * id always maps to the same run.
 */
export function openLineageRunId(id: string): string {
  if (uuidPattern.test(id)) return id.toLowerCase();
  const h = createHash('sha256').update(`traceprop:${id}`).digest();
  h[6] = (h[6] & 0x0f) | 0x50;
  h[8] = (h[8] & 0x3f) | 0x80;
  const hex = h.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
