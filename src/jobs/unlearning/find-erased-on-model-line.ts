import type { ManagedTransaction } from 'neo4j-driver';
import { cypherText } from '../../graph/cypher-library.js';

/** Rows of a request that earlier requests on the same model line had already erased. */
export interface ErasedOnModelLine {
  /** SourceRow ids already erased (sorted). */
  rowIds: string[];
  /** The completed requests that erased them, oldest first. */
  requestIds: string[];
}

/**
 * Which of `rowIds` completed requests on the model line of `modelId` (the model or an ancestor
 * along SUPERSEDES) already erased: a repeated request leaves them out, and a request whose rows
 * are all among them is a no-op. Rows erased only for another model line are not returned (that
 * line still has to forget them).
 */
export async function findErasedOnModelLine(
  tx: ManagedTransaction,
  rowIds: string[],
  modelId: string,
): Promise<ErasedOnModelLine> {
  const result = await tx.run(cypherText('jobs/unlearning', 'erased-on-model-line'), { rowIds, modelId });
  const rows = new Set<string>();
  const requests: string[] = [];
  for (const r of result.records) {
    rows.add(r.get('rowId') as string);
    const id = r.get('requestId') as string;
    if (!requests.includes(id)) requests.push(id);
  }
  return { rowIds: [...rows].sort(), requestIds: requests };
}
