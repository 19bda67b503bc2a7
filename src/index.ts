/**
 * Traceprop's public API, listed by hand. The CLI (`traceprop`) is built on these modules.
 */
export * from './attribution/index.js';
export { type TracepropConfig, loadConfig } from './config.js';
export {
  ExitCode,
  InputError,
  NotFoundError,
  ServiceUnavailableError,
  TracepropError,
  UsageError,
  hasCode,
} from './errors.js';
export {
  type GraphClient,
  type GraphConnectionConfig,
  createGraphClient,
  verifyGraph,
  withSession,
} from './graph/connection.js';
export { applySchema } from './graph/schema.js';
export * from './lineage/index.js';
export type { LineageRun } from './lineage/lineage-run.js';
export { ensureNeo4j, ensureRedis } from './services/ensure-services.js';
export { startLocalNeo4j, stopLocalNeo4j } from './services/local-neo4j.js';
