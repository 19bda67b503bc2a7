import path from 'node:path';
import type { TracepropConfig } from '../config.js';
import { ServiceUnavailableError } from '../errors.js';
import { createGraphClient, type GraphClient, graphAnswers } from '../graph/connection.js';
import { startLocalNeo4j, stopLocalNeo4j } from './local-neo4j.js';
import { redisAnswers, startRedisServer } from './redis-server.js';

/** A service in use, and how to release what Traceprop started for it. */
export interface EnsuredService {
  url: string;
  /** True when Traceprop started it (and `release` stops it). */
  started: boolean;
  release(): Promise<void>;
}

/** The local Neo4j folder of a configuration: `<TRACEPROP_HOME>/neo4j`. */
export function localNeo4jDir(config: TracepropConfig): string {
  return path.join(config.home, 'neo4j');
}

/**
 * Uses the Neo4j at NEO4J_URI when it answers; otherwise, when NEO4J_URI was not set explicitly,
 * starts the local embedded Neo4j (stopped again by `release`).
 */
export async function ensureNeo4j(
  config: TracepropConfig,
  onStatus: (line: string) => void = () => {},
): Promise<EnsuredService> {
  const probe = clientFor(config, config.neo4jUri);
  const answers = await graphAnswers(probe);
  await probe.driver.close();
  if (answers) return { url: config.neo4jUri, started: false, release: async () => {} };
  if (config.neo4jUriExplicit) {
    throw new ServiceUnavailableError(
      'graph.unavailable',
      `Neo4j is not reachable at NEO4J_URI=${config.neo4jUri}. Start it, or unset NEO4J_URI to let Traceprop start a local one.`,
    );
  }
  onStatus(`no Neo4j answers at ${config.neo4jUri}; starting the local one…`);
  const dir = localNeo4jDir(config);
  const started = await startLocalNeo4j(
    {
      dir,
      port: config.localNeo4jPort,
      heap: config.localNeo4jHeap,
      pagecache: config.localNeo4jPagecache,
      checkpointVolume: config.localNeo4jCheckpointVolume,
      password: config.neo4jPassword,
      javaHome: config.javaHome,
    },
    onStatus,
  );
  return {
    url: started.uri,
    started: !started.alreadyRunning,
    release: async () => {
      if (!started.alreadyRunning) await stopLocalNeo4j(dir);
    },
  };
}

/**
 * Uses the Redis at REDIS_URL when it answers; otherwise starts a throw-away redis-server on a free
 * port when one is on the PATH (stopped again by `release`); otherwise one clear error.
 */
export async function ensureRedis(
  config: TracepropConfig,
  onStatus: (line: string) => void = () => {},
): Promise<EnsuredService> {
  if (await redisAnswers(config.redisUrl))
    return { url: config.redisUrl, started: false, release: async () => {} };
  onStatus(`no Redis answers at ${config.redisUrl}; starting redis-server on a free port…`);
  try {
    const owned = await startRedisServer();
    return { url: owned.url, started: true, release: () => owned.stop() };
  } catch (err) {
    if (err instanceof ServiceUnavailableError && err.code === 'queue.noRedis') {
      throw new ServiceUnavailableError(
        'queue.redisUnavailable',
        `Redis is not reachable at ${config.redisUrl} and redis-server is not installed: install Redis (apt-get install redis-server) or set REDIS_URL.`,
        { cause: err },
      );
    }
    throw err;
  }
}

/** A graph client for the configuration's credentials at `uri`. */
export function clientFor(config: TracepropConfig, uri: string): GraphClient {
  return createGraphClient({
    uri,
    user: config.neo4jUser,
    password: config.neo4jPassword,
    database: config.neo4jDatabase,
  });
}
