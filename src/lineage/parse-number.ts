const NUMBER = /^\s*[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?\s*$/;

/**
 * Parses a CSV field as a decimal number (`12`, `-3.5`, `.5`, `5e+05`, surrounding spaces
 * allowed). Returns `NaN` for text that is not a plain decimal number (hex, `Infinity`, words).
 * The empty string is not handled here: callers map it to a missing value first.
 */
export function parseNumber(text: string): number {
  return NUMBER.test(text) ? Number(text) : Number.NaN;
}
