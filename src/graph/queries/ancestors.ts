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
const maxAncestorDepth = 1_000_000;

/**
 * The walk bounds of the `ancestors-within-<bound>` query files, smallest first: a depth up to a
 * bound runs that file (the walk stops after `bound` steps); a deeper one runs the unbounded
 * `ancestors` file.
 */
const ancestorWalkBounds = [10, 100, 1000] as const;

/**
 * The query file {@link ancestors} runs for a depth: `ancestors-within-<b>` for the smallest
 * bound b of {@link ancestorWalkBounds} that is at least `depth`, else `ancestors`.
 *
 * @example
 * ancestorsQueryName(7); // 'ancestors-within-10'
 * ancestorsQueryName(5000); // 'ancestors'
 */
export function ancestorsQueryName(depth: number): string {
  const bound = ancestorWalkBounds.find((b) => depth <= b);
  return bound === undefined ? 'ancestors' : `ancestors-within-${bound}`;
}

/**
 * The ops upstream of an op, up to `depth` AFTER steps (cypher/queries/ancestors.cypher: a
 * breadth-first variable-length pattern that visits each op once; for a depth up to 1000 its
 * bounded twin `ancestors-within-<bound>`, see {@link ancestorsQueryName}). One read query, which
 * also tells a missing op apart. Sorted by depth, then seq.
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
  const records = await runReadQuery(client, cypherText('queries', ancestorsQueryName(depth)), {
    opId,
    depth,
  });
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
