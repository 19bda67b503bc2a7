/**
 * Dates are whole days since 1970-01-01 (UTC), stored as numbers so that date columns live in
 * `Float64Array`s like every other numeric column (`NaN` is missing).
 */
const msPerDay = 86_400_000;

/** Days since 1970-01-01 of a calendar date (no validation). */
export function daysFromCivil(year: number, month: number, day: number): number {
  return Math.round(Date.UTC(year, month - 1, day) / msPerDay);
}

/** The calendar date of a day number: `[year, month (1-12), day (1-31)]`. */
export function civilFromDays(days: number): [number, number, number] {
  const d = new Date(days * msPerDay);
  return [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate()];
}

/** True when year-month-day is a real calendar date. */
export function isValidCivil(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  const [y, m, d] = civilFromDays(daysFromCivil(year, month, day));
  return y === year && m === month && d === day;
}
