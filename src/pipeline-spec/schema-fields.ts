import type { z } from 'zod';
import { valueAtPath } from './describe-value.js';

/** Any zod schema. */
export type AnySchema = z.core.$ZodType;
/** The parts of a zod schema's definition that the walkers here read. */
type Def = {
  type: string;
  innerType?: AnySchema;
  shape?: Record<string, AnySchema>;
  element?: AnySchema;
  valueType?: AnySchema;
  options?: AnySchema[];
  discriminator?: string;
  values?: unknown[];
};

/** The definition of a zod schema (`type` is `object`, `record`, `array`, `union`, …). */
export const defOf = (s: AnySchema): Def => (s as unknown as { _zod: { def: Def } })._zod.def;

/**
 * The field names the schema allows for the mapping at `path` of `raw` (following arrays,
 * records, defaults and, for unions, the branch that matches the data), or `[]` when unknown.
 * Used to say what was expected when a field is not recognised.
 */
export function allowedFields(schema: AnySchema, raw: unknown, path: readonly PropertyKey[]): string[] {
  let s: AnySchema | undefined = schema;
  for (let i = 0; i <= path.length && s; i++) {
    s = resolveSchema(s, valueAtPath(raw, path.slice(0, i)));
    if (!s) return [];
    if (i === path.length) break;
    const d = defOf(s);
    const seg = path[i];
    if (d.type === 'object') s = d.shape?.[String(seg)];
    else if (d.type === 'array') s = d.element;
    else if (d.type === 'record') s = d.valueType;
    else return [];
  }
  const d = s ? defOf(s) : undefined;
  return d?.type === 'object' && d.shape ? Object.keys(d.shape) : [];
}

/** Unwraps defaults/optionals and picks the union branch that fits `value`. */
export function resolveSchema(s: AnySchema, value: unknown): AnySchema | undefined {
  for (let guard = 0; guard < 20; guard++) {
    const d = defOf(s);
    if ((d.type === 'default' || d.type === 'prefault' || d.type === 'optional') && d.innerType) {
      s = d.innerType;
      continue;
    }
    if (d.type === 'union' && d.options) {
      const objects = d.options.filter((o) => ['object', 'union'].includes(defOf(o).type));
      if (d.discriminator && value && typeof value === 'object') {
        const tag = (value as Record<string, unknown>)[d.discriminator];
        const hit = objects.find((o) => {
          const lit = defOf(o).shape?.[d.discriminator!];
          return lit && (defOf(lit).values ?? []).includes(tag);
        });
        if (!hit) return undefined;
        s = hit;
        continue;
      }
      if (!objects.length) return undefined;
      s = objects[0];
      continue;
    }
    return s;
  }
  return undefined;
}
