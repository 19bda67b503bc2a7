import type { FileShare } from '../../evidence/attribution-statement.js';
import type { ShareEdge } from './compute-attribution.js';

/**
 * The mean source share per file of an attribution result (over the predictions with a share on
 * it), for its `attribution` statement; files in the run's order, files without a share left out.
 */
export function fileSharesOf(
  shares: readonly ShareEdge[],
  files: readonly { id: string; name: string; table: string }[],
): FileShare[] {
  const sum = new Map<string, number>();
  const count = new Map<string, number>();
  for (const s of shares) {
    sum.set(s.file, (sum.get(s.file) ?? 0) + s.share);
    count.set(s.file, (count.get(s.file) ?? 0) + 1);
  }
  return files
    .filter((f) => count.has(f.id))
    .map((f) => {
      const predictions = count.get(f.id) ?? 0;
      return {
        file: f.id,
        name: f.name,
        table: f.table,
        predictions,
        meanShare: (sum.get(f.id) ?? 0) / predictions,
      };
    });
}
