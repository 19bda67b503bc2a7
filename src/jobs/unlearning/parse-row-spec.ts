import { UsageError } from '../../errors.js';

/**
 * Parses a row list such as `3,17,40-45` into sorted distinct 0-based row numbers.
 *
 * @throws UsageError `unlearning.badRows` on anything else (negative, reversed range, text).
 * @example
 * parseRowSpec('3,17,40-42') // [3, 17, 40, 41, 42]
 */
export function parseRowSpec(spec: string, maxRows = 1_000_000): number[] {
  const rows = new Set<number>();
  for (const part of spec.split(',').map((p) => p.trim())) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part);
    if (!m)
      throw new UsageError(
        'unlearning.badRows',
        `--rows: expected numbers and ranges like 3,17,40-45, got "${part}"`,
      );
    const lo = Number(m[1]);
    const hi = m[2] === undefined ? lo : Number(m[2]);
    if (hi < lo) throw new UsageError('unlearning.badRows', `--rows: range ${part} runs backwards`);
    if (rows.size + hi - lo + 1 > maxRows)
      throw new UsageError('unlearning.badRows', `--rows: more than ${maxRows} rows in one request`);
    for (let r = lo; r <= hi; r++) rows.add(r);
  }
  return [...rows].sort((a, b) => a - b);
}
