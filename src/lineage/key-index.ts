import type { Column } from './column.js';

/** Dense key ids shared by several frames' key columns. */
export interface KeyIds {
  /** Per frame, the key id of each row (`-1` when any key part is missing). */
  ids: Int32Array[];
  /** Number of distinct keys (ids are `0 .. count-1`). */
  count: number;
}

/**
 * Maps the rows of one or more frames to dense ids of their (possibly multi-column) keys, in a
 * space shared by all the frames, so that equal keys get equal ids. Numeric keys compare as
 * numbers, categorical keys as text; a numeric key against a categorical one compares as text.
 * Rows with a missing key part get `-1` (they never match and form no group).
 *
 * @param keyColumns `keyColumns[f][j]` is frame `f`'s column for key part `j`.
 */
export function encodeKeys(keyColumns: ReadonlyArray<readonly Column[]>): KeyIds {
  const frames = keyColumns.length;
  const parts = keyColumns[0].length;
  let ids: Int32Array[] | undefined;
  let count = 0;
  for (let j = 0; j < parts; j++) {
    const part = encodePart(keyColumns.map((cols) => cols[j]));
    if (ids === undefined) {
      ids = part.ids;
      count = part.count;
      continue;
    }
    // Combine (previous id, part id) pairs into new dense ids; pair < rows², exact in a double.
    const map = new Map<number, number>();
    let next = 0;
    const stride = part.count;
    for (let f = 0; f < frames; f++) {
      const a = ids[f];
      const b = part.ids[f];
      const out = new Int32Array(a.length);
      for (let i = 0; i < a.length; i++) {
        if (a[i] < 0 || b[i] < 0) {
          out[i] = -1;
          continue;
        }
        const key = a[i] * stride + b[i];
        let id = map.get(key);
        if (id === undefined) {
          id = next++;
          map.set(key, id);
        }
        out[i] = id;
      }
      ids[f] = out;
    }
    count = next;
  }
  return { ids: ids ?? [], count };
}

function encodePart(columns: readonly Column[]): KeyIds {
  const allNumbers = columns.every((c) => c.kind === 'number');
  if (allNumbers) {
    const map = new Map<number, number>();
    let next = 0;
    const ids = columns.map((c) => {
      const v = (c as { values: Float64Array }).values;
      const out = new Int32Array(v.length);
      for (let i = 0; i < v.length; i++) {
        const x = v[i];
        if (Number.isNaN(x)) {
          out[i] = -1;
          continue;
        }
        let id = map.get(x);
        if (id === undefined) {
          id = next++;
          map.set(x, id);
        }
        out[i] = id;
      }
      return out;
    });
    return { ids, count: next };
  }
  const map = new Map<string, number>();
  let next = 0;
  const ids = columns.map((c) => {
    if (c.kind === 'category') {
      const dictIds = new Int32Array(c.dictionary.length);
      for (let d = 0; d < c.dictionary.length; d++) {
        const s = c.dictionary[d];
        let id = map.get(s);
        if (id === undefined) {
          id = next++;
          map.set(s, id);
        }
        dictIds[d] = id;
      }
      const out = new Int32Array(c.codes.length);
      for (let i = 0; i < out.length; i++) {
        const code = c.codes[i];
        out[i] = code < 0 ? -1 : dictIds[code];
      }
      return out;
    }
    const out = new Int32Array(c.values.length);
    for (let i = 0; i < out.length; i++) {
      const x = c.values[i];
      if (Number.isNaN(x)) {
        out[i] = -1;
        continue;
      }
      const s = String(x);
      let id = map.get(s);
      if (id === undefined) {
        id = next++;
        map.set(s, id);
      }
      out[i] = id;
    }
    return out;
  });
  return { ids, count: next };
}
