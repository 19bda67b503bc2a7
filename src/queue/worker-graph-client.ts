import neo4j from 'neo4j-driver';
import { defaults } from '../defaults.js';
import type { GraphClient, GraphConnectionConfig } from '../graph/connection.js';

/**
 * A graph client for queue workers. Unlike the CLI's client it gives up on an unreachable Neo4j
 * after `retryMs` (default 3 s) instead of 15 s: the job then fails with a retriable error and
 * BullMQ retries it with exponential backoff, which is the retry loop that survives outages.
 */
export function createWorkerGraphClient(
  config: GraphConnectionConfig,
  retryMs: number = defaults.workerGraphRetryMs,
): GraphClient {
  const auth = config.password
    ? neo4j.auth.basic(config.user, config.password)
    : { scheme: 'none', principal: '', credentials: '' };
  const driver = neo4j.driver(config.uri, auth, {
    disableLosslessIntegers: true,
    connectionAcquisitionTimeout: defaults.workerGraphAcquisitionTimeoutMs,
    maxTransactionRetryTime: retryMs,
    connectionTimeout: defaults.workerGraphConnectionTimeoutMs,
    logging: { level: 'error', logger: () => {} },
  });
  return { driver, database: config.database, uri: config.uri };
}
