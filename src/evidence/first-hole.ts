/**
 * The first index below `array.length` that holds no value (a hole of a sparse array, or
 * undefined), or -1. `indexOf(undefined)` skips holes, so the log's readers use this to find
 * the first entry a page did not deliver.
 */
export function firstHole<T>(array: readonly (T | undefined)[]): number {
  for (let i = 0; i < array.length; i++) if (array[i] === undefined) return i;
  return -1;
}
