import { type Column, categoryColumn, numberColumn } from './column.js';
import { parseNumber } from './parse-number.js';

/** Appends numbers into a growable `Float64Array`. */
export class NumberBuilder {
  private data = new Float64Array(1024);
  private n = 0;

  push(v: number): void {
    if (this.n === this.data.length) {
      const next = new Float64Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.n++] = v;
  }

  /** The values pushed so far (trimmed copy). */
  finish(): Float64Array {
    return this.data.slice(0, this.n);
  }
}

/**
 * Dictionary-encodes strings into a growable `Int32Array` of codes (`-1` for missing). Used for
 * categorical columns and, while loading, for columns whose type is still being inferred.
 */
export class DictionaryBuilder {
  private codes = new Int32Array(1024);
  private n = 0;
  private readonly index = new Map<string, number>();
  private readonly dictionary: string[] = [];

  /** Appends a value; `undefined` is missing. */
  push(text: string | undefined): void {
    let code = -1;
    if (text !== undefined) {
      const found = this.index.get(text);
      if (found === undefined) {
        code = this.dictionary.length;
        this.index.set(text, code);
        this.dictionary.push(text);
      } else {
        code = found;
      }
    }
    if (this.n === this.codes.length) {
      const next = new Int32Array(this.codes.length * 2);
      next.set(this.codes);
      this.codes = next;
    }
    this.codes[this.n++] = code;
  }

  /** A categorical column of the values pushed so far. */
  finishCategory(sources: readonly string[]): Column {
    return categoryColumn(this.codes.slice(0, this.n), this.dictionary, sources);
  }

  /**
   * A numeric column when every distinct value is a number (or all are missing), else a
   * categorical one: type inference at the cost of one parse per distinct value.
   */
  finishInferred(sources: readonly string[]): Column {
    const numbers = new Float64Array(this.dictionary.length);
    for (let d = 0; d < this.dictionary.length; d++) {
      const v = parseNumber(this.dictionary[d]);
      if (Number.isNaN(v)) return this.finishCategory(sources);
      numbers[d] = v;
    }
    const out = new Float64Array(this.n);
    for (let i = 0; i < this.n; i++) {
      const c = this.codes[i];
      out[i] = c < 0 ? Number.NaN : numbers[c];
    }
    return numberColumn(out, sources);
  }
}
