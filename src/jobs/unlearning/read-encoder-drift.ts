import type { GraphClient } from '../../graph/connection.js';
import { cypherText } from '../../graph/cypher-library.js';
import { runReadQuery } from '../../graph/read-query.js';
import type { EncoderDriftEntry } from './write-encoder-drift.js';

/**
 * The encoder drift a request recorded, one entry per model line it updated (in update order;
 * empty for an unknown request or one that updated no line). Cypher:
 * `jobs/unlearning/request-encoder-drift`.
 */
export async function readEncoderDrift(client: GraphClient, requestId: string): Promise<EncoderDriftEntry[]> {
  const [row] = await runReadQuery(client, cypherText('jobs/unlearning', 'request-encoder-drift'), {
    id: requestId,
  });
  const entries = (row?.entries as string[] | undefined) ?? [];
  return entries.map((e) => JSON.parse(e) as EncoderDriftEntry);
}
