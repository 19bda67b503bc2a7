import type { z } from 'zod';
import { describeValue, valueAtPath } from './describe-value.js';
import { allowedFields } from './schema-fields.js';

type Issue = z.core.$ZodIssue;

/** A schema problem, ready to be located: its code, path, message, and whether it is about a key. */
export interface SchemaProblem {
  code: 'pipeline.missingField' | 'pipeline.unknownField' | 'pipeline.invalidValue';
  path: PropertyKey[];
  message: string;
  /** True when the problem is a key (point at the key, not the value). */
  atKey: boolean;
}

/**
 * Turns a zod issue into one actionable sentence: what was expected and what was got (read from
 * the raw document), choosing the most relevant branch of a union.
 */
export function formatZodIssue(issue: Issue, raw: unknown, schema: z.core.$ZodType): SchemaProblem {
  const path = [...issue.path];
  const got = valueAtPath(raw, path);
  switch (issue.code) {
    case 'invalid_type':
      if (got === undefined)
        return {
          code: 'pipeline.missingField',
          path,
          message: `missing field (expected ${article(issue.expected)})`,
          atKey: false,
        };
      return {
        code: 'pipeline.invalidValue',
        path,
        message: `expected ${article(issue.expected)}, got ${describeValue(got)}`,
        atKey: false,
      };
    case 'unrecognized_keys': {
      const key = issue.keys[0];
      const more = issue.keys.length > 1 ? ` (also: ${issue.keys.slice(1).join(', ')})` : '';
      return {
        code: 'pipeline.unknownField',
        path: [...path, key],
        message: `unknown field "${key}"${more}; expected ${expectedKeys(schema, raw, path)}`,
        atKey: true,
      };
    }
    case 'invalid_value':
      return {
        code: 'pipeline.invalidValue',
        path,
        message: `expected ${issue.values.map((v) => JSON.stringify(v)).join(' | ')}, got ${describeValue(got)}`,
        atKey: false,
      };
    case 'invalid_union': {
      const disc = (issue as { discriminator?: string }).discriminator;
      if (disc !== undefined && issue.errors.length === 0) {
        const p = path[path.length - 1] === disc ? path : [...path, disc];
        const v = valueAtPath(raw, p);
        return {
          code: v === undefined ? 'pipeline.missingField' : 'pipeline.invalidValue',
          path: p,
          message: `expected ${disc} to be one of ${((issue as { options?: unknown[] }).options ?? []).map(String).join(', ')}, got ${describeValue(v)}`,
          atKey: false,
        };
      }
      const best = bestBranch(issue.errors);
      if (best) return formatZodIssue({ ...best, path: [...path, ...best.path] } as Issue, raw, schema);
      return {
        code: 'pipeline.invalidValue',
        path,
        message: `${issue.message}, got ${describeValue(got)}`,
        atKey: false,
      };
    }
    default:
      return {
        code: 'pipeline.invalidValue',
        path,
        message: `${lowerFirst(issue.message)}, got ${describeValue(got)}`,
        atKey: false,
      };
  }
}

/**
 * The most telling issue among union branches: one whose value had the right shape (not a bare
 * type mismatch at the root), preferring the deepest path.
 */
function bestBranch(branches: readonly (readonly Issue[])[]): Issue | undefined {
  const candidates = branches.flatMap((b) => (b.length ? [b[0]] : []));
  const shaped = candidates.filter((i) => !(i.code === 'invalid_type' && i.path.length === 0));
  const pool = shaped.length ? shaped : candidates;
  return [...pool].sort((a, b) => b.path.length - a.path.length)[0];
}

function expectedKeys(schema: z.core.$ZodType, raw: unknown, path: readonly PropertyKey[]): string {
  const fields = allowedFields(schema, raw, path);
  return fields.length
    ? `one of ${fields.join(', ')}`
    : 'only the documented fields (see docs/pipeline-format.md)';
}

function article(type: string): string {
  if (type === 'array') return 'a list';
  if (type === 'object') return 'a mapping';
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

function lowerFirst(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1);
}
