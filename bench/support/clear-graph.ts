import type { GraphClient } from '../../src/graph/connection.js';

/**
 * Deletes every node and relationship of the bench's Neo4j, in transactions of 10,000 nodes
 * (constraints and indexes stay). Sections that time an ingest into an empty graph call it first.
 */
export async function clearGraph(client: GraphClient): Promise<void> {
  const session = client.driver.session({ database: client.database });
  try {
    await session.run('MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS');
  } finally {
    await session.close();
  }
}
