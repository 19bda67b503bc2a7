import type { ReplacedRows } from '../../models/replaced-rows.js';
import type { RunMatrix } from '../../models/run-matrix.js';
import { type FittedEncoders, fittedEncodersOf } from './fitted-encoders.js';

/**
 * How far a model line's kept encoder and scaler state (fitted on the run's rows, erased ones
 * included) is from the state a refit on the rows the line now holds would learn. Traceprop keeps
 * the fitted state (see docs/unlearning.md, "Fitted encoder state"); this records by how much.
 */
export interface EncoderDrift {
  /**
   * `measured`: every fitted column was measured; `partial`: some were not (`unmeasured`);
   * `unknown`: none could be (the run matrix keeps no fitted state; `note` says why).
   */
  status: 'measured' | 'partial' | 'unknown';
  /** Why the drift is unknown or partial. */
  note: string | null;
  /** Rows the state was fitted on (the run's train samples; all samples for steps fitted on all rows). */
  fitRows: number;
  /** Of those, the rows a refit would use now (dropped samples out; re-derived ones with their new rows). */
  refitRows: number;
  /**
   * Of the standardised columns, the shift of the mean a refit would learn, in units of the
   * fitted sd (`(mean′ − mean) / sd`), largest in absolute value (signed); null: none measured.
   */
  maxMeanShiftSd: number | null;
  /** The column that shift is of. */
  maxMeanShiftFeature: string | null;
  /** Of the standardised columns, the ratio refit sd / fitted sd farthest from 1 (in log terms). */
  sdRatio: number | null;
  /** The column that ratio is of. */
  sdRatioFeature: string | null;
  /**
   * One-hot levels of the fitted state that no row a refit would use has: all their training
   * occurrences were erased rows. Only how many and in which columns: the level texts are the
   * erased persons' data and are not repeated here.
   */
  levelsOnlyErased: number;
  /** The one-hot columns those levels are of (each once, sorted). */
  levelsOnlyErasedFeatures: string[];
  /** Fitted columns (and impute steps, as `step <id>`) whose drift was not measured. */
  unmeasured: string[];
}

/** The rows a model line holds after an update (`computeUnlearning`'s output has them). */
export interface LineRows {
  /** Run-matrix rows of the training set (ascending). */
  trainRows: ArrayLike<number>;
  /** Run-matrix rows still scored (the test rows minus dropped samples). */
  testRows: ArrayLike<number>;
  /** Re-derived rows (recompute mode), replacing the run matrix's. */
  replaced?: ReplacedRows;
}

/** Σ v (sd units) of a standardised column equals 0 on its fit rows to within this, relative to Σ v². */
const fitTolerance = 1e-6;

/**
 * The drift of the run's fitted encoder and scaler state for a model line (see
 * {@link EncoderDrift}), from the run matrix alone. A standardised feature keeps
 * `v = (x − mean) / sd` (0 for a missing value), so the shift of the refit mean in sd units is
 * the mean of `v` over the refit rows' non-missing values and the sd ratio their sd; the count
 * of non-missing fit values is Σ v² over the fit rows. A one-hot level counts its indicator's
 * ones. The fit rows are the run's train samples (every sample for a step fitted on all rows);
 * the refit rows are those the line still holds, with their re-derived rows in recompute mode
 * (cumulative: every erasure so far on the line). A column is measured only where the fit rows
 * give back its fitted state (Σ v = 0, Σ v² a count of rows; every level seen), which fails
 * when the step's rows are not the samples (e.g. standardised before an aggregate); such
 * columns are listed in `unmeasured`. A value exactly at the mean is stored as 0 like a missing
 * one; the refit keeps such values in proportion to the zero rows it keeps.
 *
 * @example
 * const drift = encoderDrift(matrix, { trainRows: result.trainRows, testRows: result.testRows, replaced: result.replaced });
 */
export function encoderDrift(matrix: RunMatrix, line: LineRows): EncoderDrift {
  return encoderDriftLevels(matrix, line).drift;
}

/** A one-hot level of the fitted state: its column and its text (a category value). */
export interface FittedLevel {
  column: string;
  level: string;
}

/**
 * {@link encoderDrift}, with the levels it counts in `levelsOnlyErased` named (column and text),
 * for the erasure inventory to check which stores still keep those texts. The texts are the
 * erased persons' values: never record or print them (the drift itself does not carry them).
 */
export function encoderDriftLevels(
  matrix: RunMatrix,
  line: LineRows,
): { drift: EncoderDrift; levels: FittedLevel[] } {
  // The lines of one request usually hold the same rows of the same loaded matrix (same run,
  // same split, the same samples erased): their drift is measured once.
  const seen = driftsMeasured.get(matrix) ?? [];
  const hit = seen.find((m) => sameLineRows(m.line, line));
  if (hit) return structuredClone(hit.result);
  const result = measureDriftLevels(matrix, line);
  driftsMeasured.set(matrix, [
    ...seen.slice(-3),
    { line: copyLineRows(line), result: structuredClone(result) },
  ]);
  return result;
}

/** Drifts measured per loaded matrix (a few lines' worth), by the rows of the line. */
const driftsMeasured = new WeakMap<
  RunMatrix,
  { line: LineRows; result: { drift: EncoderDrift; levels: FittedLevel[] } }[]
>();

function copyLineRows(line: LineRows): LineRows {
  return {
    trainRows: Uint32Array.from(line.trainRows),
    testRows: Uint32Array.from(line.testRows),
    ...(line.replaced
      ? {
          replaced: {
            samples: line.replaced.samples.slice(),
            x: {
              ...line.replaced.x,
              rowPtr: line.replaced.x.rowPtr.slice(),
              colIdx: line.replaced.x.colIdx.slice(),
              values: line.replaced.x.values.slice(),
            },
          },
        }
      : {}),
  };
}

function sameLineRows(a: LineRows, b: LineRows): boolean {
  if (!sameArray(a.trainRows, b.trainRows) || !sameArray(a.testRows, b.testRows)) return false;
  if (!a.replaced || !b.replaced) return !a.replaced && !b.replaced;
  const [p, q] = [a.replaced, b.replaced];
  return (
    sameArray(p.samples, q.samples) &&
    sameArray(p.x.rowPtr, q.x.rowPtr) &&
    sameArray(p.x.colIdx, q.x.colIdx) &&
    sameArray(p.x.values, q.x.values)
  );
}

function sameArray(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function measureDriftLevels(
  matrix: RunMatrix,
  line: LineRows,
): { drift: EncoderDrift; levels: FittedLevel[] } {
  const fitted = fittedEncodersOf(matrix);
  if (!fitted)
    return unknownDrift(
      `run ${matrix.runId}'s matrix was saved without its pipeline recipe, so its fitted encoder state is not known`,
    );
  const slots = slotsOf(matrix, fitted);
  const held = new Uint8Array(matrix.features.rows);
  for (let k = 0; k < line.trainRows.length; k++)
    if (matrix.split[line.trainRows[k]] === 0) held[line.trainRows[k]] = 1;
  for (let k = 0; k < line.testRows.length; k++)
    if (matrix.split[line.testRows[k]] !== 0) held[line.testRows[k]] = 1;
  const kept = (i: number): boolean => {
    const y = matrix.labels[i];
    if (y !== 0 && y !== 1) return true; // never in the model, never dropped
    return held[i] === 1;
  };
  const at = new Map<number, number>();
  if (line.replaced)
    for (let k = 0; k < line.replaced.samples.length; k++) at.set(line.replaced.samples[k], k);

  const k = slots.allRows.length;
  const m = matrix.features;
  const baseline = storedBaseline(matrix.fitBaseline, k);
  if (!baseline && matrix.scrubbedRows?.size)
    return unknownDrift(
      `run ${matrix.runId}'s matrix was scrubbed without keeping its fit baseline, so the rows its encoder state was fitted on are gone`,
    );
  const fit = baseline ?? fitSums(matrix, slots);
  const after = newSums(k);
  const afterRows = [0, 0]; // [train-fitted, all-rows-fitted]
  for (let i = 0; i < m.rows; i++) {
    const r = at.get(i);
    if (r === undefined && matrix.scrubbedRows?.has(i)) continue; // erased: in no line any more
    if (!kept(i)) continue;
    const isTrain = matrix.split[i] === 0;
    const src = r === undefined ? m : (line.replaced as ReplacedRows).x;
    const row = r === undefined ? i : r;
    addRow(after, slots, src.colIdx, src.values, src.rowPtr[row], src.rowPtr[row + 1], isTrain);
    afterRows[0] += isTrain ? 1 : 0;
    afterRows[1]++;
  }
  const rows = { before: fit.rows, after: afterRows };
  const before: Sums = {
    count: Float64Array.from(fit.count),
    s1: Float64Array.from(fit.s1),
    s2: Float64Array.from(fit.s2),
  };
  return summarise(fitted, slots, before, after, rows);
}

/** Sums over the rows as fitted (every row of the matrix as ingested), per slot. */
interface FitSums {
  /** Rows: [train rows, all rows]. */
  rows: number[];
  count: number[];
  s1: number[];
  s2: number[];
}

/** What {@link encoderFitBaseline} returns: {@link FitSums} tagged with its format. */
interface StoredBaseline extends FitSums {
  format: 'traceprop.encoder-fit/1';
  slots: number;
}

function fitSums(matrix: RunMatrix, slots: Slots): FitSums {
  const sums = newSums(slots.allRows.length);
  const rows = [0, 0];
  const m = matrix.features;
  for (let i = 0; i < m.rows; i++) {
    const isTrain = matrix.split[i] === 0;
    addRow(sums, slots, m.colIdx, m.values, m.rowPtr[i], m.rowPtr[i + 1], isTrain);
    rows[0] += isTrain ? 1 : 0;
    rows[1]++;
  }
  return { rows, count: Array.from(sums.count), s1: Array.from(sums.s1), s2: Array.from(sums.s2) };
}

/**
 * The aggregates {@link encoderDrift} needs of the rows a run's encoders were fitted on, to be
 * saved with the run matrix before its first scrub (`RunMatrixScrubRequest.fitBaseline`), since a
 * scrub removes some of those rows. Per standardised column: the count of non-zero values and
 * Σ v, Σ v² of the standardised values (≈ 0 and the non-missing count: nothing the fitted mean
 * and sd do not already say); per one-hot level only whether it occurs (1) or not (0), not how
 * often, so the baseline and the scrubbed matrix together do not tell which level an erased row
 * had. Null when the matrix keeps no fitted state.
 */
export function encoderFitBaseline(matrix: RunMatrix): StoredBaseline | null {
  const fitted = fittedEncodersOf(matrix);
  if (!fitted) return null;
  const slots = slotsOf(matrix, fitted);
  const sums = fitSums(matrix, slots);
  const scaled = new Set(slots.scaled.filter((s) => s >= 0));
  for (let s = 0; s < slots.allRows.length; s++) {
    if (scaled.has(s)) continue;
    sums.count[s] = sums.count[s] > 0 ? 1 : 0;
    sums.s1[s] = 0;
    sums.s2[s] = 0;
  }
  return { format: 'traceprop.encoder-fit/1', slots: slots.allRows.length, ...sums };
}

/** The stored baseline when it is one of this format for `k` slots; null otherwise. */
function storedBaseline(value: unknown, k: number): FitSums | null {
  const b = value as Partial<StoredBaseline> | undefined;
  if (b?.format !== 'traceprop.encoder-fit/1' || b.slots !== k) return null;
  const ok = (xs: unknown, n: number) => Array.isArray(xs) && xs.length === n && xs.every(Number.isFinite);
  if (!ok(b.rows, 2) || !ok(b.count, k) || !ok(b.s1, k) || !ok(b.s2, k)) return null;
  return b as FitSums;
}

/** A drift that cannot be measured, and why (no level named). */
function unknownDrift(note: string): { drift: EncoderDrift; levels: FittedLevel[] } {
  const drift: EncoderDrift = {
    status: 'unknown',
    note,
    fitRows: 0,
    refitRows: 0,
    maxMeanShiftSd: null,
    maxMeanShiftFeature: null,
    sdRatio: null,
    sdRatioFeature: null,
    levelsOnlyErased: 0,
    levelsOnlyErasedFeatures: [],
    unmeasured: [],
  };
  return { drift, levels: [] };
}

/** Matrix column → accumulator slot, and what each slot is. */
interface Slots {
  /** Slot of each matrix column (−1: none). */
  ofColumn: Int32Array;
  /** Per slot: fitted on all rows (1) or on the train rows (0). */
  allRows: Uint8Array;
  /** Per scaled column (in `fitted.scaled` order): its slot, or −1 when not a matrix feature. */
  scaled: number[];
  /** Per one-hot column: its levels' slots (null when some level has no indicator column). */
  onehot: (number[] | null)[];
}

function slotsOf(matrix: RunMatrix, fitted: FittedEncoders): Slots {
  const index = new Map<string, number>();
  matrix.featureNames.forEach((name, j) => {
    index.set(name, j);
  });
  const ofColumn = new Int32Array(matrix.features.cols).fill(-1);
  const allRows: number[] = [];
  const take = (name: string, all: boolean): number => {
    const j = index.get(name);
    if (j === undefined || ofColumn[j] !== -1) return -1;
    ofColumn[j] = allRows.length;
    allRows.push(all ? 1 : 0);
    return ofColumn[j];
  };
  const scaled = fitted.scaled.map((c) => take(c.column, c.allRows));
  const onehot = fitted.onehot.map((c) => {
    const levels = c.categories.map((v) => take(`${c.column}=${v}`, c.allRows));
    return levels.includes(-1) ? null : levels;
  });
  return { ofColumn, allRows: Uint8Array.from(allRows), scaled, onehot };
}

/** Per slot: non-zero count, Σ v, Σ v². */
interface Sums {
  count: Float64Array;
  s1: Float64Array;
  s2: Float64Array;
}

function newSums(k: number): Sums {
  return { count: new Float64Array(k), s1: new Float64Array(k), s2: new Float64Array(k) };
}

function addRow(
  into: Sums,
  slots: Slots,
  colIdx: Uint32Array,
  values: Float64Array,
  from: number,
  to: number,
  isTrain: boolean,
): void {
  for (let q = from; q < to; q++) {
    const s = slots.ofColumn[colIdx[q]];
    if (s < 0 || (!isTrain && slots.allRows[s] === 0)) continue;
    const v = values[q];
    into.count[s]++;
    into.s1[s] += v;
    into.s2[s] += v * v;
  }
}

function summarise(
  fitted: FittedEncoders,
  slots: Slots,
  before: Sums,
  after: Sums,
  rows: { before: number[]; after: number[] },
): { drift: EncoderDrift; levels: FittedLevel[] } {
  const unmeasured: string[] = [];
  let measured = 0;
  let shift: { v: number; f: string } | null = null;
  let ratio: { v: number; f: string } | null = null;
  fitted.scaled.forEach((c, idx) => {
    const s = slots.scaled[idx];
    const fitN = rows.before[c.allRows ? 1 : 0];
    const refitN = rows.after[c.allRows ? 1 : 0];
    const m = s < 0 ? null : scaledDrift(c.mean, c.sd, s, before, after, fitN, refitN);
    if (!m) {
      unmeasured.push(c.column);
      return;
    }
    measured++;
    if (!shift || Math.abs(m.shift) > Math.abs(shift.v)) shift = { v: m.shift, f: c.column };
    if (!ratio || Math.abs(Math.log(m.ratio)) > Math.abs(Math.log(ratio.v)))
      ratio = { v: m.ratio, f: c.column };
  });
  const levels: FittedLevel[] = [];
  const levelColumns = new Set<string>();
  fitted.onehot.forEach((c, idx) => {
    const levelSlots = slots.onehot[idx];
    // Every kept level was seen in the fit rows; else these are not the rows it was fitted on.
    if (!levelSlots || levelSlots.some((s) => before.count[s] === 0)) {
      unmeasured.push(c.column);
      return;
    }
    measured++;
    levelSlots.forEach((s, k) => {
      if (after.count[s] > 0) return;
      levels.push({ column: c.column, level: c.categories[k] });
      levelColumns.add(c.column);
    });
  });
  for (const step of fitted.notMeasured) unmeasured.push(`step ${step}`);
  const anyTrain = fitted.scaled.some((c) => !c.allRows) || fitted.onehot.some((c) => !c.allRows);
  const status = unmeasured.length === 0 ? 'measured' : measured > 0 ? 'partial' : 'unknown';
  const s = shift as { v: number; f: string } | null;
  const r = ratio as { v: number; f: string } | null;
  const drift: EncoderDrift = {
    status,
    note:
      unmeasured.length === 0
        ? null
        : `not measured: ${unmeasured.join(', ')} (an impute step, or a column whose fitted state the run's samples do not give back: fitted on other rows than the samples)`,
    fitRows: rows.before[anyTrain ? 0 : 1],
    refitRows: rows.after[anyTrain ? 0 : 1],
    maxMeanShiftSd: s ? s.v : null,
    maxMeanShiftFeature: s ? s.f : null,
    sdRatio: r ? r.v : null,
    sdRatioFeature: r ? r.f : null,
    levelsOnlyErased: levels.length,
    levelsOnlyErasedFeatures: [...levelColumns].sort(),
    unmeasured,
  };
  return { drift, levels };
}

/**
 * The mean shift (fitted sd units) and sd ratio of one standardised column, or null when its fit
 * rows do not give back its fitted state. Mirrors `StandardScaler.fit`: population sd of the
 * non-missing values, mean 0 without any, sd 0 → 1.
 */
function scaledDrift(
  mean: number,
  sd: number,
  s: number,
  before: Sums,
  after: Sums,
  fitRows: number,
  refitRows: number,
): { shift: number; ratio: number } | null {
  const n0 = Math.round(before.s2[s]);
  if (before.count[s] === 0 && before.s2[s] === 0) return { shift: 0, ratio: 1 }; // constant or all missing
  const tol = fitTolerance * before.s2[s] + fitTolerance;
  if (Math.abs(before.s1[s]) > tol || Math.abs(before.s2[s] - n0) > tol) return null;
  if (n0 < before.count[s] || n0 > fitRows) return null;
  // Values exactly at the mean are stored as 0, like missing ones: Σ v² counts them (n0 − count),
  // and the refit keeps them in the share of the zero rows it keeps (exact when the zero rows are
  // all at the mean or all missing).
  const zeros0 = fitRows - before.count[s];
  const atMean = n0 - before.count[s];
  const n1 = after.count[s] + (zeros0 > 0 ? (atMean * (refitRows - after.count[s])) / zeros0 : 0);
  if (n1 === 0) return { shift: -mean / sd, ratio: 1 / sd };
  const m = after.s1[s] / n1;
  const refitSd = sd * Math.sqrt(Math.max(after.s2[s] / n1 - m * m, 0));
  return { shift: m, ratio: (refitSd > 0 && Number.isFinite(refitSd) ? refitSd : 1) / sd };
}
