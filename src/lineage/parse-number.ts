const NUMBER = /^\s*[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?\s*$/;

/**
 * Parses a CSV field as a decimal number (`12`, `-3.5`, `.5`, `5e+05`, surrounding spaces
 * allowed). Returns `NaN` for text that is not a plain decimal number (hex, `Infinity`, words).
 * The empty string is not handled here: callers map it to a missing value first.
 */
export function parseNumber(text: string): number {
  return NUMBER.test(text) ? Number(text) : Number.NaN;
}

/** Exact powers of ten as doubles (10^0 … 10^22 are all representable exactly). */
const POW10 = Array.from({ length: 23 }, (_, k) => 10 ** k);

/**
 * {@link parseNumber} with a fast path for the common `-?digits[.digits]` with at most 15
 * digits: the digits as an integer (exact below 2^53) divided by an exact power of ten is the
 * correctly rounded value, i.e. what `Number(text)` gives. Anything else goes to `parseNumber`.
 */
export function parsePlainDecimal(text: string): number {
  const n = text.length;
  const i = text.charCodeAt(0) === 0x2d ? 1 : 0;
  if (i === n || n - i > 16) return parseNumber(text);
  let mantissa = 0;
  let point = -1;
  for (let k = i; k < n; k++) {
    const d = text.charCodeAt(k) - 0x30;
    if (d >= 0 && d <= 9) mantissa = mantissa * 10 + d;
    else if (d === -2 && point < 0 && k > i && k < n - 1) point = k;
    else return parseNumber(text);
  }
  if (point < 0 && n - i > 15) return parseNumber(text);
  const v = point < 0 ? mantissa : mantissa / POW10[n - 1 - point];
  return i === 1 ? -v : v;
}
