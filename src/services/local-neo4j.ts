import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { childEnvironment } from '../config.js';
import { defaults } from '../defaults.js';
import { ServiceUnavailableError, TracepropError } from '../errors.js';
import { isPortOpen, sleep } from '../util/net.js';
import { isProcessAlive, terminate, which } from '../util/process.js';
import { ensureLauncherBuilt } from './launcher-build.js';

/** Where and how a local (embedded) Neo4j runs. */
export interface LocalNeo4jConfig {
  /** Folder for data, import, pid and log files, e.g. `.traceprop/neo4j`. */
  dir: string;
  port: number;
  /** JVM heap, e.g. `1g`. */
  heap: string;
  /** Page cache size, e.g. `256m`. */
  pagecache?: string;
  /** Transaction log between checkpoints, e.g. `256m` (default `defaults.localNeo4jCheckpointVolume`). */
  checkpointVolume?: string;
  /** Password of user `neo4j`; empty disables authentication. */
  password: string;
  /** JAVA_HOME of the JVM to use; otherwise `java` on the PATH. */
  javaHome?: string;
  /** Seconds to wait for Bolt to answer. */
  startTimeoutSeconds?: number;
}

/** What `start` did and where Neo4j listens. */
export interface LocalNeo4jStart {
  uri: string;
  pid: number;
  alreadyRunning: boolean;
  built: boolean;
  buildSeconds: number;
  startSeconds: number;
  logFile: string;
}

/** Paths of the local Neo4j's files under its folder. */
export function localNeo4jPaths(dir: string) {
  return {
    dataDir: path.join(dir, 'data'),
    importDir: path.join(dir, 'import'),
    pidFile: path.join(dir, 'neo4j.pid'),
    logFile: path.join(dir, 'neo4j.log'),
  };
}

/**
 * Address ranges the local Neo4j's `LOAD CSV` may not fetch from (Neo4j 5.26's
 * `internal.dbms.cypher_ip_blocklist`): "this" network, loopback, RFC 1918 private, carrier-grade
 * NAT, link-local (cloud metadata services), benchmarking, multicast and reserved IPv4; IPv6
 * unspecified, loopback, unique-local, link-local and multicast. A query cannot make the database
 * fetch from the machine it runs on or its private network (server-side request forgery).
 * docker/compose.yaml sets the same list (test/foundation/deploy-files.test.ts checks that).
 */
export const cypherIpBlocklist: readonly string[] = [
  '0.0.0.0/8',
  '10.0.0.0/8',
  '100.64.0.0/10',
  '127.0.0.0/8',
  '169.254.0.0/16',
  '172.16.0.0/12',
  '192.0.0.0/24',
  '192.168.0.0/16',
  '198.18.0.0/15',
  '224.0.0.0/4',
  '240.0.0.0/4',
  '::/128',
  '::1/128',
  'fc00::/7',
  'fe80::/10',
  'ff00::/8',
];

// Flags Neo4j's own start scripts pass on Java 17.
const jvmFlags = [
  '--add-opens=java.base/java.nio=ALL-UNNAMED',
  '--add-opens=java.base/java.io=ALL-UNNAMED',
  '--add-opens=java.base/sun.nio.ch=ALL-UNNAMED',
  '--add-opens=java.base/java.lang=ALL-UNNAMED',
  '--add-opens=java.base/java.util=ALL-UNNAMED',
  '-Dio.netty.tryReflectionSetAccessible=true',
  '-XX:+UnlockDiagnosticVMOptions',
  '-XX:-RestrictContended',
  '-XX:+UseParallelGC',
  '-XX:ActiveProcessorCount=2',
];

/** Reads the pid of a running local Neo4j, or undefined (a stale pid file is removed). */
export function runningPid(dir: string): number | undefined {
  const { pidFile } = localNeo4jPaths(dir);
  if (!fs.existsSync(pidFile)) return undefined;
  const pid = Number(fs.readFileSync(pidFile, 'utf8').trim());
  if (Number.isInteger(pid) && pid > 0 && isProcessAlive(pid)) return pid;
  fs.rmSync(pidFile, { force: true });
  return undefined;
}

/**
 * Starts the embedded Neo4j in the background (building the launcher first when needed), with a
 * pid file and a log file, and waits until Bolt accepts connections. Its `LOAD CSV` reads `file:`
 * URLs only inside `<dir>/import` and refuses URLs whose host is in {@link cypherIpBlocklist}.
 */
export async function startLocalNeo4j(
  config: LocalNeo4jConfig,
  onStatus: (line: string) => void = () => {},
): Promise<LocalNeo4jStart> {
  const paths = localNeo4jPaths(config.dir);
  const uri = `bolt://127.0.0.1:${config.port}`;
  const existing = runningPid(config.dir);
  if (existing !== undefined) {
    return {
      uri,
      pid: existing,
      alreadyRunning: true,
      built: false,
      buildSeconds: 0,
      startSeconds: 0,
      logFile: paths.logFile,
    };
  }
  if (await isPortOpen('127.0.0.1', config.port)) {
    throw new ServiceUnavailableError(
      'neo4j.portInUse',
      `Port ${config.port} on 127.0.0.1 is taken by another process; set TRACEPROP_NEO4J_PORT to a free port or NEO4J_URI to the Neo4j already listening there.`,
    );
  }
  const build = await ensureLauncherBuilt(onStatus);
  const java = javaExecutable(config.javaHome);
  fs.mkdirSync(paths.dataDir, { recursive: true });
  fs.mkdirSync(paths.importDir, { recursive: true });
  const log = fs.openSync(paths.logFile, 'a');
  const logOffset = fs.fstatSync(log).size;
  const started = Date.now();
  const args = [
    `-Xmx${config.heap}`,
    ...jvmFlags,
    '-cp',
    build.classpath,
    'io.traceprop.neo4jlocal.Neo4jLocal',
    '--port',
    String(config.port),
    '--data-dir',
    paths.dataDir,
    '--import-dir',
    paths.importDir,
    '--pagecache',
    config.pagecache ?? defaults.localNeo4jPagecache,
    '--checkpoint-volume',
    config.checkpointVolume ?? defaults.localNeo4jCheckpointVolume,
    // LOAD CSV: file URLs resolve only inside the import folder (--import-dir); no blocked addresses.
    '--ip-blocklist',
    cypherIpBlocklist.join(','),
  ];
  const child = spawn(java, args, {
    detached: true,
    stdio: ['ignore', log, log],
    env: childEnvironment({ NEO4J_PASSWORD: config.password }),
  });
  fs.closeSync(log);
  if (child.pid === undefined) throw new TracepropError('neo4j.startFailed', `Could not start ${java}`);
  child.unref();
  fs.writeFileSync(paths.pidFile, String(child.pid));
  await waitUntilReady(
    child.pid,
    config.port,
    paths.logFile,
    logOffset,
    (config.startTimeoutSeconds ?? defaults.localNeo4jStartSeconds) * 1000,
  );
  return {
    uri,
    pid: child.pid,
    alreadyRunning: false,
    built: build.built,
    buildSeconds: build.seconds,
    startSeconds: (Date.now() - started) / 1000,
    logFile: paths.logFile,
  };
}

/** Waits for this start's readiness line (the log is appended to, so earlier starts' lines are skipped). */
async function waitUntilReady(
  pid: number,
  port: number,
  logFile: string,
  logOffset: number,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!isProcessAlive(pid)) {
      throw new TracepropError(
        'neo4j.startFailed',
        `The local Neo4j exited during start-up. Last lines of ${logFile}:\n${tail(logFile)}`,
      );
    }
    if (readFrom(logFile, logOffset).includes(`TRACEPROP_NEO4J_READY bolt://127.0.0.1:${port}`)) return;
    await sleep(200);
  }
  await terminate(pid, 10_000);
  throw new ServiceUnavailableError(
    'neo4j.startTimeout',
    `The local Neo4j did not accept Bolt connections within ${timeoutMs / 1000} s. See ${logFile}.`,
  );
}

/** Stops the local Neo4j cleanly (SIGTERM, then SIGKILL after the deadline). Keeps the data. */
export async function stopLocalNeo4j(
  dir: string,
  timeoutMs: number = defaults.localNeo4jStopMs,
): Promise<{ stopped: boolean; clean: boolean }> {
  const pid = runningPid(dir);
  if (pid === undefined) return { stopped: false, clean: true };
  const clean = await terminate(pid, timeoutMs);
  fs.rmSync(localNeo4jPaths(dir).pidFile, { force: true });
  return { stopped: true, clean };
}

function javaExecutable(javaHome: string | undefined): string {
  const fromHome = javaHome ? path.join(javaHome, 'bin', 'java') : undefined;
  if (fromHome && fs.existsSync(fromHome)) return fromHome;
  const java = which('java');
  if (!java) {
    throw new ServiceUnavailableError(
      'neo4j.noJava',
      'The local Neo4j needs Java 17 or newer (java on the PATH or JAVA_HOME); or set NEO4J_URI to a running Neo4j.',
    );
  }
  return java;
}

function tail(file: string, lines = 20): string {
  try {
    return fs.readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

function readFrom(file: string, offset: number): string {
  const fd = fs.openSync(file, 'r');
  try {
    const size = fs.fstatSync(fd).size;
    const buffer = Buffer.alloc(Math.max(0, size - offset));
    fs.readSync(fd, buffer, 0, buffer.length, offset);
    return buffer.toString('utf8');
  } finally {
    fs.closeSync(fd);
  }
}
