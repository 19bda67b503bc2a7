import { UsageError } from '../errors.js';

/** The kinds of jobs Traceprop queues; each kind has its own BullMQ queue. */
export const queueKinds = ['attribution', 'unlearning', 'train', 'predictions'] as const;

/** `attribution`, `unlearning`, `train` or `predictions` (an erasure's follow-up: a new version's test predictions). */
export type QueueKind = (typeof queueKinds)[number];

/**
 * The BullMQ queue name of a kind: `<prefix><kind>`. The prefix (default empty) lets several
 * deployments or test runs share one Redis, e.g. `queueName('attribution', 't-3f2a-')`.
 */
export function queueName(kind: QueueKind, prefix = ''): string {
  return `${prefix}${kind}`;
}

/** Validates a kind name given by a user (CLI `--queues`). */
export function parseQueueKind(name: string): QueueKind {
  if ((queueKinds as readonly string[]).includes(name)) return name as QueueKind;
  throw new UsageError('queue.badKind', `unknown queue "${name}" (expected one of ${queueKinds.join(', ')})`);
}
