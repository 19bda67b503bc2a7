import { spawnSync } from 'node:child_process';
import { sleep } from './net.js';

/** True when a process with this pid exists (and we may signal it). */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Sends SIGTERM and waits up to `timeoutMs` for the process to exit; then SIGKILL.
 * Returns true when it exited within the deadline (a clean stop).
 */
export async function terminate(pid: number, timeoutMs: number): Promise<boolean> {
  if (!isProcessAlive(pid)) return true;
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!isProcessAlive(pid)) return true;
    await sleep(100);
  }
  if (isProcessAlive(pid)) process.kill(pid, 'SIGKILL');
  return false;
}

/** Finds an executable on the PATH, or undefined. */
export function which(command: string): string | undefined {
  const result = spawnSync('sh', ['-c', `command -v "$0"`, command], { encoding: 'utf8' });
  const found = (result.stdout ?? '').trim();
  return result.status === 0 && found ? found : undefined;
}
