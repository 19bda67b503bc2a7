import { daysFromCivil, isValidCivil } from './dates.js';

/** The tokens a date pattern may contain; any other character must appear literally. */
const datePatternTokens = ['YYYY', 'YY', 'MM', 'DD', 'hh', 'mm', 'ss'] as const;

type Token = (typeof datePatternTokens)[number];
type Part = { token: Token } | { literal: string };

/** Options of {@link compileDatePattern}. */
export interface DatePatternOptions {
  /**
   * Century of two-digit years (`YY`), e.g. `1900`. Without it, `00`–`49` are 2000–2049 and
   * `50`–`99` are 1950–1999.
   */
  century?: number;
}

/** A date parser: the epoch day of `text`, or `undefined` when `text` does not match. */
export type DateParser = (text: string) => number | undefined;

/**
 * Splits a pattern into tokens and literals; returns a message saying what is wrong, or the parts.
 * A pattern needs a year, a month and a day token, each at most once.
 */
export function parseDatePattern(pattern: string): Part[] | string {
  const parts: Part[] = [];
  const seen = new Set<string>();
  let i = 0;
  while (i < pattern.length) {
    const token = datePatternTokens.find((t) => pattern.startsWith(t, i));
    if (token) {
      const field = token === 'YY' ? 'YYYY' : token;
      if (seen.has(field)) return `date pattern "${pattern}": ${token} appears twice`;
      seen.add(field);
      parts.push({ token });
      i += token.length;
    } else {
      if (/[A-Za-z]/.test(pattern[i]))
        return `date pattern "${pattern}": unknown letter "${pattern[i]}" at ${i} (expected tokens ${datePatternTokens.join(', ')}; other characters are literal)`;
      parts.push({ literal: pattern[i] });
      i++;
    }
  }
  for (const need of ['YYYY', 'MM', 'DD']) {
    if (!seen.has(need))
      return `date pattern "${pattern}": expected a ${need === 'YYYY' ? 'year (YYYY or YY)' : need} token`;
  }
  return parts;
}

/**
 * Compiles a date pattern such as `YYMMDD`, `YYYY-MM-DD` or `YYMMDD hh:mm:ss` into a parser.
 * Each token matches exactly its width in digits; the time of day is checked and then dropped.
 * Throws a `TypeError` for a malformed pattern (the schema rejects those first).
 *
 * @example
 * compileDatePattern('YYMMDD')('930705'); // 8586 (1993-07-05)
 */
export function compileDatePattern(pattern: string, options: DatePatternOptions = {}): DateParser {
  const parts = parseDatePattern(pattern);
  if (typeof parts === 'string') throw new TypeError(parts);
  const width = parts.reduce((n, p) => n + ('token' in p ? p.token.length : 1), 0);
  return (raw: string) => {
    const text = raw.trim();
    if (text.length !== width) return undefined;
    let year = 0;
    let month = 0;
    let day = 0;
    let at = 0;
    for (const p of parts) {
      if ('literal' in p) {
        if (text[at] !== p.literal) return undefined;
        at++;
        continue;
      }
      const digits = text.slice(at, at + p.token.length);
      if (!/^[0-9]+$/.test(digits)) return undefined;
      const n = Number(digits);
      at += p.token.length;
      if (p.token === 'YYYY') year = n;
      else if (p.token === 'YY')
        year = options.century !== undefined ? options.century + n : n < 50 ? 2000 + n : 1900 + n;
      else if (p.token === 'MM') month = n;
      else if (p.token === 'DD') day = n;
      else if ((p.token === 'hh' && n > 23) || n > 59) return undefined;
    }
    return isValidCivil(year, month, day) ? daysFromCivil(year, month, day) : undefined;
  };
}
