import type { z } from 'zod';
import { InputError } from '../errors.js';
import { type JobPayload, payloadSchemas } from './payload-schemas.js';
import type { QueueKind } from './queue-kind.js';

/**
 * Validates and normalises a payload with `schema` (default: the kind's), throwing
 * {@link InputError} `queue.badPayload` with every problem and its path.
 *
 * @example
 * parsePayload('attribution', { modelId: '' })
 * // throws: bad attribution payload: modelId: modelId must be a non-empty string
 */
export function parsePayload<K extends QueueKind>(kind: K, payload: unknown): JobPayload<K>;
export function parsePayload<S extends z.ZodType>(kind: string, payload: unknown, schema: S): z.output<S>;
export function parsePayload(kind: string, payload: unknown, schema?: z.ZodType): unknown {
  const used = schema ?? payloadSchemas[kind as QueueKind];
  const result = used.safeParse(payload);
  if (result.success) return result.data;
  const problems = result.error.issues.map(
    (issue) => `${issue.path.length ? `${issue.path.join('.')}: ` : ''}${issue.message}`,
  );
  throw new InputError('queue.badPayload', `bad ${kind} payload: ${problems.join('; ')}`);
}
