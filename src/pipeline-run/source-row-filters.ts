import { UsageError } from '../errors.js';
import { filterByMask } from '../lineage/filter.js';
import type { Frame } from '../lineage/frame.js';

/**
 * Leaves out the given data rows of a just-loaded source (a `filter` op naming them; `erased by
 * <request ids>` when the requests are known), as the credit-risk pipeline does for
 * recompute-mode unlearning.
 */
export function leaveOutRows(
  frame: Frame,
  source: string,
  rows: readonly number[] | undefined,
  requestIds?: readonly string[],
): Frame {
  if (!rows || rows.length === 0) return frame;
  const mask = new Uint8Array(frame.rows).fill(1);
  for (const r of rows) {
    checkRow(r, frame.rows, `excludeRows.${source}`);
    mask[r] = 0;
  }
  const left = [...new Set(rows)].sort((a, b) => a - b);
  if (requestIds && requestIds.length > 0) {
    const shown = requestIds.slice(0, 3).join(', ');
    const more = requestIds.length > 3 ? ` and ${requestIds.length - 3} more` : '';
    return filterByMask(frame, mask, `erased by ${shown}${more}`, [], {
      rule: 'source rows erased by unlearning requests (their tombstones) are left out',
      table: source,
      requestIds: [...requestIds],
      count: left.length,
      rows: left,
    });
  }
  return filterByMask(frame, mask, `erase ${source} rows`, [], {
    rule: 'source rows erased by an unlearning request are left out',
    table: source,
    rows: left,
  });
}

/**
 * Keeps only the given data rows of a source (after `leaveOutRows` took out `excluded`): a
 * `filter` op `only rows of re-derived samples`.
 */
export function onlyGivenRows(
  frame: Frame,
  source: string,
  excluded: readonly number[] | undefined,
  only: ReadonlySet<number> | undefined,
): Frame {
  if (!only) return frame;
  const loaded = frame.rows + new Set(excluded ?? []).size;
  for (const r of only) checkRow(r, loaded, `onlyRows.${source}`);
  const dataRows = keptDataRows(loaded, excluded);
  const mask = new Uint8Array(frame.rows);
  let kept = 0;
  for (let i = 0; i < mask.length; i++) {
    if (only.has(dataRows[i])) {
      mask[i] = 1;
      kept++;
    }
  }
  return filterByMask(frame, mask, 'only rows of re-derived samples', [], {
    rule: 'only the source rows that the re-derived samples of an earlier run derive from',
    table: source,
    count: kept,
  });
}

/**
 * The data row of each row that `leaveOutRows(excluded)`, then `onlyGivenRows(only)`, keep of a
 * table of `loaded` data rows, in order.
 */
export function keptDataRows(
  loaded: number,
  excluded: readonly number[] | undefined,
  only?: ReadonlySet<number>,
): Uint32Array {
  if ((excluded === undefined || excluded.length === 0) && !only) {
    const all = new Uint32Array(loaded);
    for (let r = 0; r < loaded; r++) all[r] = r;
    return all;
  }
  const out = new Set(excluded ?? []);
  const rows: number[] = [];
  for (let r = 0; r < loaded; r++) if (!out.has(r) && (!only || only.has(r))) rows.push(r);
  return Uint32Array.from(rows);
}

function checkRow(r: number, rows: number, what: string): void {
  if (!Number.isInteger(r) || r < 0 || r >= rows)
    throw new UsageError(
      'pipelines.badExcludeRows',
      `${what}: expected 0-based data rows below ${rows}, got ${r}`,
    );
}
