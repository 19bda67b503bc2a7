import { Worker } from 'node:worker_threads';
import type { ParentWatchdogData } from './parent-watchdog-thread.js';

/** Options of {@link watchParentProcess}. */
export interface ParentWatchdogOptions {
  /** Milliseconds between checks of the parent pid (default 250). */
  intervalMs?: number;
}

let watching: Worker | undefined;

/**
 * Makes a forked child die with its parent. Started once in every sandboxed processor child (by
 * `defineProcessor`); a no-op in a process that was not forked with an IPC channel (tests that
 * import a processor module, the CLI).
 *
 * Why a thread: a SIGKILLed worker cannot tell its children anything, Node has no
 * `prctl(PR_SET_PDEATHSIG)`, and the child's own `'disconnect'` event or a timer on its main
 * thread never run while the child computes synchronously (attribution, Newton steps) — which is
 * exactly when an orphan burns CPU for minutes. A small unref'd worker thread polls the parent pid
 * instead, independent of the main thread, and SIGKILLs the child (process.exit on a thread would
 * only end the thread; SIGTERM would wait for the job). The killed child's Neo4j transaction is
 * rolled back by the server, and the job is recovered as stalled by the next worker.
 *
 * @example
 * watchParentProcess(); // at the top of a sandboxed processor module
 */
export function watchParentProcess(options: ParentWatchdogOptions = {}): void {
  if (watching || typeof process.send !== 'function') return;
  const data: ParentWatchdogData = { parentPid: process.ppid, intervalMs: options.intervalMs ?? 250 };
  watching = new Worker(new URL('./parent-watchdog-thread.js', import.meta.url), {
    workerData: data,
    // A few MB are plenty for a timer; keeps the cost per child small.
    resourceLimits: { maxOldGenerationSizeMb: 8, maxYoungGenerationSizeMb: 2 },
  });
  watching.on('error', (err) => process.stderr.write(`parent watchdog stopped: ${err.message}\n`));
  watching.unref();
}
