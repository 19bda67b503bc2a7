import type { TracepropConfig } from '../config.js';
import { type LineageEmitter, openLineageEmitter } from './lineage-emitter.js';

/**
 * Runs `work` with the deployment's OpenLineage emitter and flushes it before returning (even
 * when `work` throws): a queue processor's events are sent, or spooled, before its job ends.
 * Warnings go to stderr (the worker's log).
 */
export async function withLineageEmitter<R>(
  config: TracepropConfig,
  work: (emitter: LineageEmitter, warn: (message: string) => void) => Promise<R>,
): Promise<R> {
  const warn = (message: string) => {
    process.stderr.write(`${message}\n`);
  };
  const emitter = openLineageEmitter(config.openLineage, warn);
  try {
    return await work(emitter, warn);
  } finally {
    await emitter.flush();
  }
}
