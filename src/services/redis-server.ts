import { spawn } from 'node:child_process';
import { Cluster, Redis } from 'ioredis';
import { defaults } from '../defaults.js';
import { ServiceUnavailableError } from '../errors.js';
import { freePort, sleep } from '../util/net.js';
import { isProcessAlive, terminate, which } from '../util/process.js';
import {
  type ClusterRedisTarget,
  clusterNodeOptions,
  parseRedisTarget,
  type RedisTarget,
} from './redis-target.js';

/**
 * True when a Redis server answers PING at `url` within `timeoutMs`; for a Redis Cluster
 * (`redis+cluster://`), when a seed node answers and reports `cluster_state:ok` (every slot
 * served), so a half-built or partitioned cluster is reported as unavailable.
 */
export async function redisAnswers(url: string | RedisTarget, timeoutMs = 2000): Promise<boolean> {
  const target = typeof url === 'string' ? parseRedisTarget(url) : url;
  if (target.kind === 'cluster') return clusterAnswers(target, timeoutMs);
  const client = new Redis(target.url, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    connectTimeout: timeoutMs,
    enableOfflineQueue: false,
  });
  client.on('error', () => {});
  try {
    await client.connect();
    return (await client.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

async function clusterAnswers(target: ClusterRedisTarget, timeoutMs: number): Promise<boolean> {
  const client = new Cluster(target.nodes, {
    lazyConnect: true,
    enableOfflineQueue: false,
    clusterRetryStrategy: () => null,
    slotsRefreshTimeout: timeoutMs,
    redisOptions: {
      maxRetriesPerRequest: 0,
      connectTimeout: timeoutMs,
      ...clusterNodeOptions(target),
    },
  });
  client.on('error', () => {});
  const timer = new Promise<false>((resolve) => setTimeout(resolve, timeoutMs * 2, false).unref());
  const probe = (async () => {
    await client.connect();
    const info = String(await client.cluster('INFO'));
    return /^cluster_state:ok\b/m.test(info);
  })().catch(() => false);
  try {
    return await Promise.race([probe, timer]);
  } finally {
    client.disconnect();
  }
}

/** A redis-server started by Traceprop, stopped with `stop()`. */
export interface OwnedRedis {
  url: string;
  port: number;
  pid: number;
  stop(): Promise<void>;
}

/**
 * Starts a throw-away `redis-server` on 127.0.0.1 (no persistence) and waits for PING.
 * `port` defaults to a free one.
 */
export async function startRedisServer(port?: number): Promise<OwnedRedis> {
  const binary = which('redis-server');
  if (!binary) {
    throw new ServiceUnavailableError(
      'queue.noRedis',
      'No Redis answers and redis-server is not on the PATH: install Redis (apt-get install redis-server) or set REDIS_URL to a running one.',
    );
  }
  const chosen = port ?? (await freePort());
  const child = spawn(
    binary,
    ['--port', String(chosen), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    {
      stdio: 'ignore',
    },
  );
  const pid = child.pid;
  if (pid === undefined) throw new ServiceUnavailableError('queue.redisStart', `Could not start ${binary}`);
  const url = `redis://127.0.0.1:${chosen}`;
  const deadline = Date.now() + defaults.localRedisStartMs;
  while (!(await redisAnswers(url, 500))) {
    if (Date.now() > deadline || !isProcessAlive(pid)) {
      await terminate(pid, 2000);
      throw new ServiceUnavailableError(
        'queue.redisStart',
        `redis-server did not answer on port ${chosen} within ${defaults.localRedisStartMs / 1000} s.`,
      );
    }
    await sleep(50);
  }
  return {
    url,
    port: chosen,
    pid,
    stop: async () => {
      await terminate(pid, 5000);
    },
  };
}
