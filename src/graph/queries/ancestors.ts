import { NotFoundError, UsageError } from '../../errors.js';
import type { GraphClient } from '../connection.js';
import { cypherText } from '../cypher-library.js';
import { runReadQuery } from '../read-query.js';
import type { OpSummary } from './op-summary.js';

/** An upstream op and its distance. */
export interface AncestorOp extends OpSummary {
  /** Shortest number of AFTER steps from the queried op (1 = a direct input). */
  depth: number;
}

/** Largest depth {@link ancestors} accepts. */
export const maxAncestorDepth = 1_000_000;

/**
 * The ops upstream of an op, up to `depth` AFTER steps (cypher/queries/ancestors.cypher: a
 * breadth-first variable-length pattern that visits each op once). Sorted by depth, then seq.
 * Throws `graph.badDepth` for a depth that is not a whole number in 1..1,000,000 and
 * `graph.notFound` when there is no such op.
 */
export async function ancestors(
  client: GraphClient,
  opId: string,
  depth: number,
): Promise<{ opId: string; depth: number; ancestors: AncestorOp[] }> {
  if (!Number.isInteger(depth) || depth < 1 || depth > maxAncestorDepth) {
    throw new UsageError(
      'graph.badDepth',
      `depth must be a whole number from 1 to ${maxAncestorDepth}, got ${depth}`,
    );
  }
  const records = await runReadQuery(client, cypherText('queries', 'ancestors'), { opId, depth });
  if (records.length === 0)
    throw new NotFoundError(
      'graph.notFound',
      `no Op with id ${JSON.stringify(opId)} (op ids look like <runId>:op:<seq>)`,
    );
  const r = records[0];
  const ids = r.opIds as string[];
  const seqs = r.seqs as number[];
  const kinds = r.kinds as string[];
  const names = r.names as string[];
  const depths = r.depths as number[];
  return {
    opId,
    depth,
    ancestors: ids.map((id, k) => ({ id, seq: seqs[k], kind: kinds[k], name: names[k], depth: depths[k] })),
  };
}
