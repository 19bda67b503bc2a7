/**
 * What an erasure request named, without any erased content: `UnlearningRequest.target` is
 * recorded content-free (a file and row numbers, SourceRow ids, salted hashes of business keys, or a data
 * subject's name and hash), and business keys are the very content an erasure removes. The
 * workbench shows the keys' and rows' counts, never the keys.
 */
export interface ErasureTargetSkeleton {
  /** File the rows were named in (content id, and the name the request gave), when by file. */
  file?: string;
  fileName?: string;
  /** How many rows / keys / row ids it named. */
  rows?: number;
  keys?: number;
  sourceRowIds?: number;
  /** Table or key column the keys were looked up in. */
  table?: string;
  /** A subject request: the kind of subject and the id's salted hash (never the id). */
  subjectName?: string | null;
  subjectHash?: string | null;
}

/** The skeleton of a recorded target (JSON text); null when none was recorded or it is not JSON. */
export function erasureTargetSkeleton(json: unknown): ErasureTargetSkeleton | null {
  if (typeof json !== 'string') return null;
  let target: Record<string, unknown>;
  try {
    target = JSON.parse(json) as Record<string, unknown>;
  } catch {
    return null;
  }
  if (!target || typeof target !== 'object') return null;
  const out: ErasureTargetSkeleton = {};
  const text = (v: unknown) => (typeof v === 'string' ? v : undefined);
  const count = (v: unknown) => (Array.isArray(v) ? v.length : undefined);
  const fields: ErasureTargetSkeleton = {
    file: text(target.file),
    fileName: text(target.fileName),
    table: text(target.table),
    rows: count(target.rows),
    keys: count(target.keys) ?? count(target.keyHashes),
    sourceRowIds: count(target.sourceRowIds),
  };
  for (const [k, v] of Object.entries(fields)) if (v !== undefined) (out as Record<string, unknown>)[k] = v;
  if ('subjectName' in target || 'subjectHash' in target) {
    out.subjectName = text(target.subjectName) ?? null;
    out.subjectHash = text(target.subjectHash) ?? null;
  }
  return out;
}
