import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig, type TracepropConfig } from '../../src/config.js';
import { createGraphClient, type GraphClient, graphAnswers } from '../../src/graph/connection.js';
import { startLocalNeo4j, stopLocalNeo4j } from '../../src/services/local-neo4j.js';
import { redisAnswers, startRedisServer } from '../../src/services/redis-server.js';
import { freePort } from '../../src/util/net.js';

/** The services a test run uses: a real Neo4j and a real Redis. */
export interface TestServices {
  config: TracepropConfig;
  neo4jUri: string;
  redisUrl: string;
  /** Temporary TRACEPROP_HOME of this run (artifacts, local Neo4j when started). */
  home: string;
  release(): Promise<void>;
}

let current: TestServices | undefined;

/**
 * Uses NEO4J_URI when it answers (its database is wiped by the tests!), otherwise starts a private
 * local Neo4j on a free port in a temporary folder; uses REDIS_URL (default 127.0.0.1:6379) when it
 * answers, otherwise starts a redis-server on a free port.
 */
export async function startTestServices(): Promise<TestServices> {
  const base = loadConfig();
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'traceprop-test-'));
  const releases: Array<() => Promise<void>> = [];
  let neo4jUri = base.neo4jUri;
  const probe = createGraphClient({
    uri: neo4jUri,
    user: base.neo4jUser,
    password: base.neo4jPassword,
    database: base.neo4jDatabase,
  });
  const external = base.neo4jUriExplicit && (await graphAnswers(probe));
  await probe.driver.close();
  if (!external) {
    const dir = path.join(home, 'neo4j');
    const port = await freePort();
    process.stderr.write(`[test] starting a private Neo4j on port ${port} in ${dir}\n`);
    const started = await startLocalNeo4j(
      { dir, port, heap: '1g', pagecache: '256m', password: base.neo4jPassword, javaHome: base.javaHome },
      (line) => process.stderr.write(`[test] ${line}\n`),
    );
    process.stderr.write(`[test] Neo4j ready in ${started.startSeconds.toFixed(1)} s\n`);
    neo4jUri = started.uri;
    releases.push(async () => {
      await stopLocalNeo4j(dir);
    });
  }
  let redisUrl = base.redisUrl;
  if (!(await redisAnswers(redisUrl))) {
    const owned = await startRedisServer();
    process.stderr.write(`[test] started redis-server at ${owned.url}\n`);
    redisUrl = owned.url;
    releases.push(() => owned.stop());
  }
  const config: TracepropConfig = {
    ...base,
    neo4jUri,
    neo4jUriExplicit: true,
    redisUrl,
    redisUrlExplicit: true,
    home,
  };
  current = {
    config,
    neo4jUri,
    redisUrl,
    home,
    release: async () => {
      for (const release of releases.reverse()) await release();
      fs.rmSync(home, { recursive: true, force: true });
    },
  };
  return current;
}

/** The services of this test run (started by the root hook). */
export function testServices(): TestServices {
  if (!current)
    throw new Error('test services are not started: run the tests with mocha and the root hook (npm test)');
  return current;
}

/** Environment for a CLI child process that talks to this run's services. */
export function testEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const services = testServices();
  return {
    ...process.env,
    NEO4J_URI: services.neo4jUri,
    REDIS_URL: services.redisUrl,
    TRACEPROP_HOME: services.home,
    ...extra,
  };
}

/** A graph client for this run's Neo4j. Close it (its driver) after use. */
export function newGraphClient(): GraphClient {
  const { config } = testServices();
  return createGraphClient({
    uri: config.neo4jUri,
    user: config.neo4jUser,
    password: config.neo4jPassword,
    database: config.neo4jDatabase,
  });
}

/**
 * The routing-scheme form of a Bolt URI (`bolt://h:p` → `neo4j://h:p`, `bolt+s` → `neo4j+s`), the
 * scheme of a cluster or Aura; the local Neo4j answers routing requests, naming itself for every role.
 */
export function routingUri(uri: string): string {
  return uri.replace(/^bolt(\+s|\+ssc)?:/, 'neo4j$1:');
}
