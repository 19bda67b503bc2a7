import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { redisAnswers } from '../../src/services/redis-server.js';
import { freePort, sleep } from '../../src/util/net.js';
import { isProcessAlive, terminate, which } from '../../src/util/process.js';

/** A throw-away Redis Cluster on loopback ports, stopped (and its folder removed) by `stop()`. */
export interface TestRedisCluster {
  /** `redis+cluster://127.0.0.1:p1,127.0.0.1:p2,…`: every master as a seed node. */
  url: string;
  ports: number[];
  pids: number[];
  dir: string;
  stop(): Promise<void>;
}

/** Slots of a Redis Cluster. */
const slots = 16_384;

/**
 * Starts a Redis Cluster of `masters` masters (no replicas) from the installed `redis-server`
 * (Redis 7: `cluster-port` sets the bus port) on free 127.0.0.1 ports, each node in its own
 * folder under one temporary folder, without persistence (`--save '' --appendonly no`). The slots
 * are split evenly with CLUSTER ADDSLOTSRANGE and the nodes joined with CLUSTER MEET (what
 * `redis-cli --cluster create --cluster-replicas 0` does, without needing redis-cli); it returns
 * once every node reports `cluster_state:ok` and knows every other node.
 */
export async function startRedisCluster(masters = 3, timeoutMs = 30_000): Promise<TestRedisCluster> {
  const binary = which('redis-server');
  if (!binary)
    throw new Error('redis-server is not on the PATH: install Redis 7 (apt-get install redis-server)');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'traceprop-redis-cluster-'));
  const ports: number[] = [];
  const busPorts: number[] = [];
  const pids: number[] = [];
  const stop = async () => {
    await Promise.all(pids.map((pid) => terminate(pid, 5000)));
    fs.rmSync(dir, { recursive: true, force: true });
  };
  try {
    for (let i = 0; i < masters; i++) {
      const port = await freePort();
      const busPort = await freePort();
      const nodeDir = path.join(dir, String(port));
      fs.mkdirSync(nodeDir);
      const child = spawn(
        binary,
        [
          '--port',
          String(port),
          '--bind',
          '127.0.0.1',
          '--cluster-enabled',
          'yes',
          '--cluster-port',
          String(busPort),
          '--cluster-config-file',
          path.join(nodeDir, 'nodes.conf'),
          '--cluster-node-timeout',
          '5000',
          // A node learns its own address from a MEET; a lone node would report none in CLUSTER SLOTS.
          '--cluster-announce-ip',
          '127.0.0.1',
          '--dir',
          nodeDir,
          '--save',
          '',
          '--appendonly',
          'no',
        ],
        { stdio: 'ignore' },
      );
      if (child.pid === undefined) throw new Error(`could not start ${binary}`);
      ports.push(port);
      busPorts.push(busPort);
      pids.push(child.pid);
    }
    const deadline = Date.now() + timeoutMs;
    for (const [i, port] of ports.entries()) {
      while (!(await redisAnswers(`redis://127.0.0.1:${port}`, 300))) {
        if (Date.now() > deadline || !isProcessAlive(pids[i]))
          throw new Error(`cluster node on port ${port} did not answer`);
        await sleep(50);
      }
    }
    const nodes = ports.map((port) => new Redis({ host: '127.0.0.1', port, lazyConnect: true }));
    try {
      for (const node of nodes) await node.connect();
      for (const [i, node] of nodes.entries()) {
        const first = Math.floor((i * slots) / masters);
        const last = Math.floor(((i + 1) * slots) / masters) - 1;
        await node.call('CLUSTER', 'ADDSLOTSRANGE', String(first), String(last));
      }
      // The bus port is given: without it MEET assumes port + 10000.
      for (let i = 1; i < masters; i++)
        await nodes[0].call('CLUSTER', 'MEET', '127.0.0.1', String(ports[i]), String(busPorts[i]));
      for (;;) {
        const infos = await Promise.all(nodes.map((n) => n.call('CLUSTER', 'INFO') as Promise<string>));
        const ready = infos.every(
          (info) =>
            /^cluster_state:ok\b/m.test(info) &&
            new RegExp(`^cluster_known_nodes:${masters}\\b`, 'm').test(info),
        );
        if (ready) break;
        if (Date.now() > deadline)
          throw new Error(`the Redis Cluster on ports ${ports.join(', ')} did not reach cluster_state:ok`);
        await sleep(100);
      }
    } finally {
      for (const node of nodes) node.disconnect();
    }
    const url = `redis+cluster://${ports.map((p) => `127.0.0.1:${p}`).join(',')}`;
    // Every node must also route: the client's own check (slots from CLUSTER SLOTS, state ok).
    while (!(await redisAnswers(url, 1000))) {
      if (Date.now() > deadline) throw new Error(`the Redis Cluster at ${url} does not answer as a cluster`);
      await sleep(100);
    }
    return { url, ports, pids, dir, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
