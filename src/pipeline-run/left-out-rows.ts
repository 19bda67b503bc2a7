import { InputError } from '../errors.js';
import type { Frame } from '../lineage/frame.js';
import type { StepOf } from '../pipeline-spec/step-schema.js';
import type { LeftOutReport } from './declared-run-types.js';
import type { RunContext, TableState } from './run-context.js';

/** Rows named in a report or an error. */
const exampleCount = 5;

/**
 * Checks what a filter step with `max_left_out` left out of its input (`keep[i]` is 0 for a row
 * left out) and reports it: the count, the rate and the first few rows with the values of the
 * columns its condition reads go to `ctx.leftOut` and a warning. A rate above the limit, or
 * leaving out every row (whatever the limit), stops the run (`pipeline.tooManyLeftOut`) before
 * anything is written. A re-run that reuses an earlier
 * run's state (recompute-mode unlearning, often on a few rows only) neither checks nor reports.
 */
export function checkLeftOut(
  ctx: RunContext,
  step: StepOf<'filter'>,
  input: TableState,
  keep: Uint8Array,
  reads: readonly string[],
): void {
  const max = step.max_left_out;
  if (max === undefined || ctx.reuse) return;
  const rows = keep.length;
  let count = 0;
  const examples: LeftOutReport['examples'] = [];
  let dataRows: ArrayLike<number> | undefined;
  for (let i = 0; i < rows; i++) {
    if (keep[i] !== 0) continue;
    count++;
    if (examples.length < exampleCount) {
      if (input.dataRows) dataRows ??= input.dataRows();
      examples.push({ row: dataRows?.[i] ?? i, values: valuesAt(input.frame, reads, i) });
    }
  }
  const report: LeftOutReport = {
    input: step.input,
    count,
    rows,
    rate: rows === 0 ? 0 : count / rows,
    examples,
  };
  const what = `step "${step.id}" left out ${count} of ${rows} rows of ${step.input} (${percent(report.rate)}) for which "${step.where}" is not true`;
  const eg = exampleText(report, input.dataRows !== undefined);
  if (count === rows && rows > 0)
    throw new InputError(
      'pipeline.tooManyLeftOut',
      `${what}: all of them (${eg}); is the condition (or the column it reads) the right one?`,
    );
  if (report.rate > max)
    throw new InputError(
      'pipeline.tooManyLeftOut',
      `${what}, more than its max_left_out ${percent(max)} allows (${eg}); fix the data or raise max_left_out`,
    );
  ctx.leftOut[step.id] = report;
  if (count > 0) ctx.warnings.push(`${what} (${eg})`);
}

/** The values of some columns of row `i` (null: missing). */
function valuesAt(frame: Frame, names: readonly string[], i: number): Record<string, number | string | null> {
  const out: Record<string, number | string | null> = {};
  for (const name of names) {
    const c = frame.column(name);
    if (c.kind === 'number') out[name] = Number.isNaN(c.values[i]) ? null : c.values[i];
    else out[name] = c.codes[i] < 0 ? null : c.dictionary[c.codes[i]];
  }
  return out;
}

/** `e.g. data row 3: TARGET 2, data row 20: TARGET missing, …`. */
function exampleText(report: LeftOutReport, dataRows: boolean): string {
  const shown = report.examples.map((e) => {
    const values = Object.entries(e.values)
      .map(([k, v]) => `${k} ${v === null ? 'missing' : JSON.stringify(v)}`)
      .join(', ');
    return `${dataRows ? 'data row' : 'row'} ${e.row}${values ? `: ${values}` : ''}`;
  });
  return `e.g. ${shown.join('; ')}${report.count > report.examples.length ? '; …' : ''}`;
}

/** `1.5%`, `0.03%`. */
function percent(x: number): string {
  const p = 100 * x;
  return `${p > 0 && p < 0.1 ? p.toPrecision(1) : p.toFixed(1)}%`;
}
