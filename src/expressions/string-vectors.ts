import type { StringVector } from './vector.js';

/** A string vector of `rows` copies of one constant. */
export function constantStrings(value: string, rows: number): StringVector {
  return { type: 'string', codes: new Int32Array(rows), dictionary: [value] };
}

/**
 * Re-codes string vectors onto one shared dictionary (the union of theirs, in first-seen
 * order), so their codes can be compared or mixed row by row.
 */
export function unifyStrings(vectors: readonly StringVector[]): {
  dictionary: string[];
  codes: Int32Array[];
} {
  const index = new Map<string, number>();
  const dictionary: string[] = [];
  const codes = vectors.map((v) => {
    const map = new Int32Array(v.dictionary.length);
    v.dictionary.forEach((s, d) => {
      let k = index.get(s);
      if (k === undefined) {
        k = dictionary.length;
        dictionary.push(s);
        index.set(s, k);
      }
      map[d] = k;
    });
    const out = new Int32Array(v.codes.length);
    for (let i = 0; i < out.length; i++) {
      const c = v.codes[i];
      out[i] = c < 0 ? -1 : map[c];
    }
    return out;
  });
  return { dictionary, codes };
}
