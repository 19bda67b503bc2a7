/**
 * The body of the thread {@link watchParentProcess} starts in a sandboxed child: every
 * `intervalMs` it compares `process.ppid` with the pid of the worker that forked the child, and
 * SIGKILLs the whole child process as soon as they differ (the worker died and the child was
 * adopted by init or a subreaper). It runs on its own thread, so it fires while the child's main
 * thread is busy with a long synchronous computation.
 */
import { workerData } from 'node:worker_threads';

/** What the watchdog thread receives. */
export interface ParentWatchdogData {
  /** The pid of the parent (the BullMQ worker) when the child started. */
  parentPid: number;
  /** Milliseconds between checks. */
  intervalMs: number;
}

const { parentPid, intervalMs } = workerData as ParentWatchdogData;

setInterval(() => {
  // process.ppid is read from the OS on every access, also on a worker thread.
  if (process.ppid !== parentPid) process.kill(process.pid, 'SIGKILL');
}, intervalMs);
