import { UsageError } from '../errors.js';

/** The attribution methods of Traceprop. */
export const attributionMethods = ['ns', 'if', 'll', 'graddot', 'random'] as const;

/** `ns` Newton step, `if` influence function, `ll` TRAK last layer, `graddot`, `random`. */
export type AttributionMethod = (typeof attributionMethods)[number];

/** Validates a method name. */
export function parseAttributionMethod(name: string): AttributionMethod {
  if ((attributionMethods as readonly string[]).includes(name)) return name as AttributionMethod;
  throw new UsageError(
    'attribution.badMethod',
    `unknown method "${name}" (expected one of ${attributionMethods.join(', ')})`,
  );
}
