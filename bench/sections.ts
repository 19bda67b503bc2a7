import { loadConfig } from '../src/config.js';
import type { GraphClient } from '../src/graph/connection.js';
import { applySchema } from '../src/graph/schema.js';
import {
  clientFor,
  type EnsuredService,
  ensureNeo4j,
  ensureRedis,
  localNeo4jDir,
} from '../src/services/ensure-services.js';
import { localNeo4jPaths } from '../src/services/local-neo4j.js';
import { runCertifiedErasureBench } from './erasure.js';
import { measureErasureCompleteness } from './erasure-completeness.js';
import { measureEveryLineSpeedup } from './erasure-every-line-speed.js';
import { runEvidenceBench } from './evidence.js';
import { runGraphBench } from './graph.js';
import { runOpenLineageBench } from './openlineage.js';
import { runPipelinesBench } from './pipelines.js';
import { runQueueBench } from './queue.js';
import { runServeBench } from './serve.js';
import { assertPrivateNeo4j } from './support/private-graph.js';
import { runUnlearningBench } from './unlearning.js';

/** A bench section: runs and returns its JSON object. */
export type BenchSection = (quick: boolean) => Promise<unknown>;

/** Neo4j and Redis for the sections that need them, found or started once per bench run. */
interface BenchServices {
  client: GraphClient;
  redisUrl: string;
  release(): Promise<void>;
}

let services: Promise<BenchServices> | undefined;

/** Finds or starts Neo4j and Redis (like the demo) the first time a section needs them. */
function benchServices(log: (line: string) => void): Promise<BenchServices> {
  services ??= (async () => {
    const config = loadConfig();
    const held: EnsuredService[] = [];
    const neo4j = await ensureNeo4j(config, log);
    held.push(neo4j);
    const redis = await ensureRedis(config, log);
    held.push(redis);
    const client = clientFor(config, neo4j.url);
    await applySchema(client);
    return {
      client,
      redisUrl: redis.url,
      release: async () => {
        await client.driver.close();
        for (const service of held.reverse()) await service.release();
      },
    };
  })();
  return services;
}

/** Stops what {@link benchServices} started, if anything. */
export async function releaseBenchServices(): Promise<void> {
  if (services) await (await services).release();
  services = undefined;
}

/** The sections that need Neo4j or Redis, or run the unlearning experiments or the pipelines. */
export function sectionRunners(log: (line: string) => void): Record<string, BenchSection> {
  return {
    graph: async (quick) => {
      const { client } = await benchServices(log);
      // LOAD CSV reads from the local Neo4j's import folder (the launcher's default).
      const importDir = localNeo4jPaths(localNeo4jDir(loadConfig())).importDir;
      return runGraphBench({ quick, log, client, importDir });
    },
    unlearning: (quick) => runUnlearningBench({ quick, log }),
    queue: async (quick) => {
      const { client, redisUrl } = await benchServices(log);
      return runQueueBench({ quick, log, client, redisUrl });
    },
    pipelines: async (quick) => {
      const { client } = await benchServices(log);
      return runPipelinesBench({ quick, log, client });
    },
    erasure: async (quick) => {
      const { client, redisUrl } = await benchServices(log);
      const parts = erasureParts();
      const certified = parts.has('certified') ? await runCertifiedErasureBench({ quick, log }) : {};
      const speed = parts.has('speed') ? await measureEveryLineSpeedup({ client, quick, log }) : {};
      const completeness = parts.has('completeness')
        ? await measureErasureCompleteness({ client, redisUrl, quick, log })
        : {};
      return { ...completeness, ...certified, ...speed, ...(parts.size < 3 ? { parts: [...parts] } : {}) };
    },
    evidence: async (quick) => {
      // Before Neo4j is found or started: the section wipes the transparency log.
      assertPrivateNeo4j(
        'evidence',
        'the transparency log (LogEntry, Statement, TreeHead, SigningKey, LogState)',
      );
      const { client } = await benchServices(log);
      return runEvidenceBench({ quick, log, client });
    },
    openlineage: async (quick) => {
      const { client } = await benchServices(log);
      return runOpenLineageBench({ quick, log, client });
    },
    serve: async (quick) => {
      const { client, redisUrl } = await benchServices(log);
      return runServeBench({ quick, log, client, redisUrl });
    },
  };
}

/**
 * The parts of the `erasure` section to run: TRACEPROP_BENCH_ERASURE_PARTS (comma-separated:
 * `certified`, `speed` (the every-line speed), `completeness`), else all three. The JSON names
 * the parts when not all of them ran.
 */
function erasureParts(): Set<string> {
  const known = ['certified', 'speed', 'completeness'];
  const given = process.env.TRACEPROP_BENCH_ERASURE_PARTS;
  if (!given) return new Set(known);
  const parts = given.split(',').map((s) => s.trim());
  const unknown = parts.filter((p) => !known.includes(p));
  if (unknown.length)
    throw new Error(
      `TRACEPROP_BENCH_ERASURE_PARTS: unknown part(s) ${unknown.join(', ')}; known: ${known.join(', ')}`,
    );
  return new Set(parts);
}
