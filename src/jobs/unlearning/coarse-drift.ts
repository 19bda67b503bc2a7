import type { EncoderDrift } from './encoder-drift.js';

/**
 * `x` rounded away from zero to the next value of the 1-2-5 series (…, 0.01, 0.02, 0.05, 0.1, …),
 * sign kept; 0 stays 0.
 *
 * @example
 * roundAwayTo125(-0.034) // -0.05
 */
export function roundAwayTo125(x: number): number {
  if (x === 0 || !Number.isFinite(x)) return x;
  const a = Math.abs(x);
  const e = Math.floor(Math.log10(a));
  const m = a / 10 ** e;
  const step = m <= 1 + 1e-12 ? 1 : m <= 2 + 1e-12 ? 2 : m <= 5 + 1e-12 ? 5 : 10;
  // 10^e as a decimal literal, so the bucket prints as e.g. 0.05, not 0.05000000000000001.
  return Math.sign(x) * Number(`${step}e${e}`);
}

/** Positive `x` rounded down to the 1-2-5 series. */
function roundDownTo125(x: number): number {
  const e = Math.floor(Math.log10(x));
  const m = x / 10 ** e;
  const step = m >= 5 - 1e-12 ? 5 : m >= 2 - 1e-12 ? 2 : 1;
  return Number(`${step}e${e}`);
}

/**
 * An sd ratio coarsened away from 1: above 1, 1 + the excess rounded away from zero; between 0.5
 * and 1, 1 − the shortfall rounded away from zero; below 0.5, the ratio rounded down.
 */
function coarseRatio(r: number): number {
  if (!Number.isFinite(r) || r <= 0 || r === 1) return r;
  if (r > 1) return Number((1 + roundAwayTo125(r - 1)).toPrecision(12));
  if (r >= 0.5) return Number((1 + roundAwayTo125(r - 1)).toPrecision(12));
  return roundDownTo125(r);
}

/**
 * The drift as it is recorded: the mean shift rounded away from zero to the 1-2-5 series, and
 * the sd ratio moved away from 1 likewise (an upper bound on how far a refit would move the
 * state, which is what an auditor needs). The exact values are not recorded: for an erasure of
 * one row, the exact mean shift and the kept mean and sd give that row's value back
 * (x = mean + shift·sd·(1 − n) for a shift over n − 1 kept values).
 */
export function coarseDrift(d: EncoderDrift): EncoderDrift {
  return {
    ...d,
    maxMeanShiftSd: d.maxMeanShiftSd === null ? null : roundAwayTo125(d.maxMeanShiftSd),
    sdRatio: d.sdRatio === null ? null : coarseRatio(d.sdRatio),
  };
}
