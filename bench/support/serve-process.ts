import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { packageRoot } from '../../src/config.js';

/** A `traceprop serve` process the bench started. */
export interface ServeProcess {
  url: string;
  pid: number;
  /** Sends SIGTERM (graceful shutdown: the access log is written) and waits for the exit. */
  stop(): Promise<void>;
}

/**
 * Starts `traceprop serve --host 127.0.0.1 --port 0 --json` as its own node process, as a user
 * runs it (the built CLI, dist/src/cli/main.js), against the bench's Neo4j and Redis with `home`
 * as TRACEPROP_HOME, and resolves with its URL once it prints its start-up line. `nodeArgs` go
 * before the script (e.g. `--cpu-prof`). Rejects with the server's stderr if it exits first.
 */
export function startServeProcess(opts: {
  neo4jUri: string;
  redisUrl: string;
  home: string;
  nodeArgs?: string[];
}): Promise<ServeProcess> {
  const cli = path.join(packageRoot, 'dist', 'src', 'cli', 'main.js');
  const child = spawn(
    process.execPath,
    [...(opts.nodeArgs ?? []), cli, 'serve', '--host', '127.0.0.1', '--port', '0', '--json'],
    {
      env: { ...process.env, NEO4J_URI: opts.neo4jUri, REDIS_URL: opts.redisUrl, TRACEPROP_HOME: opts.home },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (s: string) => {
    stderr = (stderr + s).slice(-8000);
  });
  return new Promise((resolve, reject) => {
    let stdout = '';
    const exited = (code: number | null) =>
      reject(new Error(`traceprop serve exited (${code}) before it listened: ${stderr.trim()}`));
    child.once('exit', exited);
    child.stdout?.setEncoding('utf8');
    child.stdout?.on('data', (s: string) => {
      stdout += s;
      const line = stdout.split('\n')[0];
      if (!stdout.includes('\n')) return;
      child.off('exit', exited);
      try {
        const { url } = JSON.parse(line) as { url: string };
        resolve({ url, pid: child.pid ?? -1, stop: () => stopChild(child) });
      } catch (err) {
        child.kill('SIGTERM');
        reject(new Error(`traceprop serve printed ${JSON.stringify(line)}: ${err}`));
      }
    });
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
