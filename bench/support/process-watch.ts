import { spawn } from 'node:child_process';
import fs from 'node:fs';

/** What {@link runWatched} measured of a child process. */
export interface WatchedRun {
  code: number | null;
  stdout: string;
  stderr: string;
  seconds: number;
  /** Peak resident set (VmHWM from /proc, sampled), bytes; 0 where /proc is absent. */
  peakRssBytes: number;
  /** The largest value `sample()` returned while the child ran (e.g. the bytes of a folder). */
  peakSample: number;
}

/**
 * Runs a command as a new process and samples, every `everyMs`, its peak resident memory
 * (`VmHWM` in /proc/<pid>/status: the kernel's own high-water mark, so a sample interval cannot
 * miss a peak, only the last moments before exit) and `sample()` (e.g. a folder's size).
 */
export async function runWatched(
  command: string,
  args: string[],
  options: { env?: NodeJS.ProcessEnv; everyMs?: number; sample?: () => number } = {},
): Promise<WatchedRun> {
  const started = performance.now();
  const child = spawn(command, args, { env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => {
    stdout += d;
  });
  child.stderr.on('data', (d: Buffer) => {
    stderr += d;
  });
  let peakRssBytes = 0;
  let peakSample = 0;
  const poll = () => {
    try {
      const status = fs.readFileSync(`/proc/${child.pid}/status`, 'utf8');
      const kb = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0);
      peakRssBytes = Math.max(peakRssBytes, kb * 1024);
    } catch {
      // The child has exited (or there is no /proc): keep the last reading.
    }
    if (options.sample) peakSample = Math.max(peakSample, options.sample());
  };
  const timer = setInterval(poll, options.everyMs ?? 500);
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', resolve);
  });
  clearInterval(timer);
  if (options.sample) peakSample = Math.max(peakSample, options.sample());
  return { code, stdout, stderr, seconds: (performance.now() - started) / 1000, peakRssBytes, peakSample };
}

/** Bytes of the files under `dir` (0 when it does not exist). */
export function folderBytes(dir: string): number {
  let total = 0;
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return 0;
  }
  for (const e of entries) {
    const p = `${dir}/${e.name}`;
    if (e.isDirectory()) total += folderBytes(p);
    else if (e.isFile()) {
      try {
        total += fs.statSync(p).size;
      } catch {
        // removed meanwhile (a pruned log file)
      }
    }
  }
  return total;
}
