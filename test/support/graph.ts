import type { Session } from 'neo4j-driver';
import { clearGraph } from '../../bench/support/clear-graph.js';
import type { GraphClient } from '../../src/graph/connection.js';
import { applySchema } from '../../src/graph/schema.js';
import { trackResource } from './resources.js';
import { newGraphClient } from './services.js';

/**
 * Gives a suite a clean database: in `before`, deletes every node and applies the schema;
 * returns a getter for a tracked client whose driver is closed in `after`.
 *
 * @example
 * describe('writer', () => {
 *   const graph = useCleanGraph();
 *   it('writes', async () => { await withTestSession(graph(), (s) => s.run('RETURN 1')); });
 * });
 */
export function useCleanGraph(): () => GraphClient {
  let client: GraphClient | undefined;
  before(async function () {
    this.timeout(120_000);
    client = newGraphClient();
    await clearGraph(client);
    await applySchema(client);
  });
  after(async () => {
    await client?.driver.close();
    client = undefined;
  });
  return () => {
    if (!client) throw new Error('useCleanGraph() client used outside its suite');
    return client;
  };
}

/** Deletes every node and relationship (in batches): the bench's implementation. */
export { clearGraph };

/** Runs `work` in a session that is tracked for leaks and always closed. */
export async function withTestSession<T>(
  client: GraphClient,
  work: (session: Session) => Promise<T>,
): Promise<T> {
  const session = client.driver.session({ database: client.database });
  const closed = trackResource('neo4j session', () => session.close());
  try {
    return await work(session);
  } finally {
    await session.close();
    closed();
  }
}
