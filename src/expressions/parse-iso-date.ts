import { compileDatePattern } from './date-pattern.js';

const iso = compileDatePattern('YYYY-MM-DD');

/** The epoch day of an ISO `YYYY-MM-DD` date, or `undefined` when the text is not one. */
export function parseIsoDate(text: string): number | undefined {
  return iso(text);
}
