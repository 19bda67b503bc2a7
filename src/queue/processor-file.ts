import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { QueueKind } from './queue-kind.js';

/**
 * The compiled processor file of each kind, relative to this module (so
 * `dist/src/queue/processors/<kind>.js` at run time).
 */
const processorUrls: Record<QueueKind, URL> = {
  attribution: new URL('./processors/attribution.js', import.meta.url),
  unlearning: new URL('./processors/unlearning.js', import.meta.url),
  train: new URL('./processors/train.js', import.meta.url),
  predictions: new URL('./processors/predictions.js', import.meta.url),
};

/** Absolute path of the sandboxed processor file of a kind. */
export function processorFile(kind: QueueKind): string {
  return fileURLToPath(processorUrls[kind]);
}

/** True when the processor file of a kind has been built (the worker CLI skips kinds without one). */
export function hasProcessorFile(kind: QueueKind): boolean {
  return fs.existsSync(processorFile(kind));
}
