import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const cli = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));

/** Starts `traceprop worker` and waits for its start-up log line (or 30 s). */
export async function startWorker(env: NodeJS.ProcessEnv, args: string[] = []): Promise<ChildProcess> {
  const child = spawn(process.execPath, [cli, 'worker', ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(resolve, 30_000);
    const seen = (d: Buffer) => {
      output += d.toString();
      if (/worker|listening|started/i.test(output)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', seen);
    child.stderr?.on('data', seen);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`traceprop worker exited ${code}: ${output.slice(-2000)}`));
    });
  });
  return child;
}

/** Stops a worker with SIGTERM (its graceful shutdown), SIGKILL after 40 s. */
export async function stopWorker(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 40_000))]);
  if (child.exitCode === null) child.kill('SIGKILL');
}
