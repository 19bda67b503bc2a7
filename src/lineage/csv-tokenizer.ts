/**
 * A streaming RFC 4180 CSV tokenizer working on bytes: UTF-8 (or Latin-1) input in, records of
 * field strings out. It only splits records and fields; field counts, types and header semantics
 * are the caller's business (see `readCsv`). The delimiter and the quote character are
 * configurable ({@link CsvDialect}); the defaults are `,` and `"`.
 *
 * Accepted syntax (shown with the defaults):
 * - an optional UTF-8 byte order mark at the start of UTF-8 input (skipped);
 * - fields separated by the delimiter; records terminated by LF, CRLF or a lone CR (a lone CR is
 *   a record separator, as in old Mac files; CRLF counts as one line break);
 * - empty lines (no characters at all) are skipped; a line holding only `""` is a record with
 *   one empty field, a line holding only `,` a record with two;
 * - a field starting with `"` is quoted: it may contain `,`, CR, LF (kept verbatim) and `""` for
 *   one `"`, and must be followed by `,`, a line break or the end of the input.
 *
 * Anything else (a `"` inside an unquoted field, including one after leading spaces; text after a
 * closing quote; a quoted field still open at the end of the input; for UTF-8 input, bytes that
 * are not valid UTF-8, anywhere in the input) throws {@link CsvSyntaxError}. With a space as
 * the delimiter every space separates two fields (runs of spaces are not merged).
 */
import { isUtf8 } from 'node:buffer';

const COMMA = 0x2c;
const DOUBLE_QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;

/** Where the tokenizer is between two bytes. */
enum State {
  /** At the start of a field (after `,`, a line break, or at the start of the input). */
  FieldStart = 0,
  /** Inside an unquoted field whose first bytes are in `pending`. */
  Unquoted = 1,
  /** Inside a quoted field; content so far in `pending`. */
  Quoted = 2,
  /** Inside a quoted field right after a `"`: either its closing quote or half of a `""`. */
  QuoteSeen = 3,
}

/** What is wrong in a {@link CsvSyntaxError}. */
export type CsvSyntaxErrorKind =
  | 'quoteInUnquotedField'
  | 'textAfterClosingQuote'
  | 'unterminatedQuote'
  | 'invalidUtf8';

/** Malformed quoting found by {@link CsvTokenizer}; positions are those of the offending field. */
export class CsvSyntaxError extends Error {
  /** What is wrong. */
  readonly kind: CsvSyntaxErrorKind;
  /** 0-based index of the record (counting every record emitted before it, header included). */
  readonly record: number;
  /** 0-based index of the field within its record. */
  readonly column: number;
  /**
   * 1-based line of the offending character; for an unterminated quote and for text after a
   * closing quote: of the quote that opened the field.
   */
  readonly line: number;
  /** The problem without the position, e.g. `"y" after the closing quote of a field`. */
  readonly detail: string;
  /** 0-based byte offset in the input (BOM included) of the first byte that is not UTF-8. */
  readonly byteOffset?: number;

  constructor(
    kind: CsvSyntaxErrorKind,
    detail: string,
    record: number,
    column: number,
    line: number,
    byteOffset?: number,
  ) {
    super(
      `${detail} (record ${record}, field ${column}, line ${line}${byteOffset === undefined ? '' : `, byte offset ${byteOffset}`})`,
    );
    this.name = 'CsvSyntaxError';
    this.kind = kind;
    this.detail = detail;
    this.record = record;
    this.column = column;
    this.line = line;
    if (byteOffset !== undefined) this.byteOffset = byteOffset;
  }
}

/**
 * Called once per record. `fields` is reused for the next record: read it (or copy it) before
 * returning. Throwing stops the tokenizer (the error propagates out of `write` / `end`).
 */
export type CsvRecordHandler = (fields: string[]) => void;

/** The CSV dialect a {@link CsvTokenizer} reads. */
export interface CsvDialect {
  /**
   * Field separator: one character other than CR, LF and the quote (default `,`). ASCII for
   * UTF-8 input; any character up to U+00FF for Latin-1 input.
   */
  delimiter?: string;
  /** Quote character, with the same limits as the delimiter (default `"`). */
  quote?: string;
  /**
   * `utf-8` (default): the input is checked to be UTF-8 and a leading byte-order mark is
   * skipped; `latin1`: every byte is one character (U+0000–U+00FF), nothing is refused or skipped.
   */
  encoding?: 'utf-8' | 'latin1';
}

/** The byte of a delimiter or quote character, or a message saying why `text` cannot be one under `encoding`. */
function dialectByte(text: string, what: string, encoding: 'utf-8' | 'latin1'): number | string {
  const max = encoding === 'latin1' ? 0xff : 0x7f;
  const chars = [...text].length;
  if (chars !== 1)
    return `expected the ${what} to be one character, got ${JSON.stringify(text)} (${chars} characters)`;
  const code = text.codePointAt(0)!;
  if (code === LF || code === CR)
    return `expected the ${what} to be a character other than a line break, got ${JSON.stringify(text)}`;
  if (code > max)
    return `expected the ${what} to be ${encoding === 'latin1' ? 'a Latin-1 character (U+0000–U+00FF)' : 'an ASCII character in UTF-8 files'}, got ${JSON.stringify(text)}`;
  return code;
}

/**
 * Fields of at most this many bytes are cut from the chunk's latin1 string (V8 copies short
 * slices); longer ones are decoded on their own so that a kept value never pins a whole chunk.
 */
const SHORT_FIELD = 12;
const BOM = [0xef, 0xbb, 0xbf];

/**
 * Incremental CSV tokenizer: feed it chunks with {@link CsvTokenizer.write} as they arrive (they
 * may split anywhere, even inside a UTF-8 character or the BOM) and call {@link CsvTokenizer.end}
 * at the end of the input. Records are passed to the handler as soon as they are complete.
 *
 * @example
 * const tok = new CsvTokenizer((fields) => rows.push([...fields]));
 * for await (const chunk of fs.createReadStream(file)) tok.write(chunk);
 * tok.end();
 */
export class CsvTokenizer {
  private readonly onRecord: CsvRecordHandler;
  private readonly fields: string[] = [];
  private nf = 0;
  private state = State.FieldStart;
  /** Bytes of a field that spans chunks (quoted fields: content with `""` already unescaped). */
  private pending = new Uint8Array(256);
  private pendingLength = 0;
  private line = 1;
  private recordStart = 1;
  private quoteLine = 1;
  private recordCount = 0;
  private lastByteWasCR = false;
  /** Input before we know whether it starts with a BOM (fewer than 3 bytes so far). */
  private head: Buffer | null = null;
  private started = false;
  private ended = false;
  private skip: Uint8Array | null = null;
  /** Absolute offset in the input of the next byte to scan (the BOM counts). */
  private offset = 0;
  /** The start of a UTF-8 character cut by the end of the last chunk (validated with the next). */
  private carry: Buffer | null = null;
  /** The delimiter byte. */
  private readonly delim: number;
  /** The quote byte. */
  private readonly quote: number;
  /** The largest of the bytes that end an unquoted field (delimiter, quote, CR, LF). */
  private readonly special: number;
  /** Latin-1 input: no UTF-8 check, no BOM, every byte one character. */
  private readonly latin1: boolean;
  /** `0x80` for UTF-8 input (a field with such a byte is decoded as UTF-8), 0 for Latin-1. */
  private readonly highBit: number;

  /**
   * @param onRecord receives each record (see {@link CsvRecordHandler}).
   * @param dialect delimiter, quote and encoding (defaults `,`, `"`, UTF-8); a delimiter or
   *   quote that is not one allowed character, or the same character for both, throws a `RangeError`.
   */
  constructor(onRecord: CsvRecordHandler, dialect: CsvDialect = {}) {
    this.onRecord = onRecord;
    const encoding = dialect.encoding ?? 'utf-8';
    const delim =
      dialect.delimiter === undefined ? COMMA : dialectByte(dialect.delimiter, 'delimiter', encoding);
    const quote = dialect.quote === undefined ? DOUBLE_QUOTE : dialectByte(dialect.quote, 'quote', encoding);
    if (typeof delim === 'string') throw new RangeError(delim);
    if (typeof quote === 'string') throw new RangeError(quote);
    if (delim === quote)
      throw new RangeError(
        `expected different delimiter and quote characters, got ${JSON.stringify(String.fromCharCode(delim))} for both`,
      );
    this.delim = delim;
    this.quote = quote;
    this.special = Math.max(delim, quote, LF, CR);
    this.latin1 = encoding === 'latin1';
    this.highBit = this.latin1 ? 0 : 0x80;
    if (this.latin1) this.started = true;
  }

  /** Records emitted so far (the record being handled is not counted until its handler returns). */
  get records(): number {
    return this.recordCount;
  }

  /** 1-based line where the record being emitted (or the next one) starts. */
  get recordLine(): number {
    return this.recordStart;
  }

  /**
   * Fields whose index `c` has `skipped[c]` true are passed as `''` without decoding (the record
   * keeps its length). For columns the caller drops anyway; takes effect from the next field.
   */
  skipColumns(skipped: readonly boolean[] | null): void {
    this.skip = skipped === null ? null : Uint8Array.from(skipped, (s) => (s ? 1 : 0));
  }

  /** Feeds the next chunk of the input. */
  write(chunk: Uint8Array): void {
    if (this.ended) throw new Error('CsvTokenizer.write after end');
    let buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    if (!this.started) {
      buf = this.head === null ? buf : Buffer.concat([this.head, buf]);
      if (buf.length < BOM.length && buf.every((b, i) => b === BOM[i])) {
        this.head = buf;
        return;
      }
      this.head = null;
      this.started = true;
      if (buf[0] === BOM[0] && buf[1] === BOM[1] && buf[2] === BOM[2]) {
        buf = buf.subarray(BOM.length);
        this.offset = BOM.length;
      }
    }
    if (buf.length === 0) return;
    if (this.latin1) {
      this.scan(buf);
      this.offset += buf.length;
    } else {
      this.scanValid(buf);
    }
  }

  /** Ends the input: emits the last record if it has no final line break, checks for open quotes. */
  end(): void {
    if (this.ended) return;
    if (!this.started) {
      this.started = true;
      // A lone prefix of the BOM is data (and not UTF-8: refused below).
      if (this.head !== null && this.head.length > 0) this.scanValid(this.head);
      this.head = null;
    }
    this.ended = true;
    if (this.carry !== null) throw this.utf8Error(this.carry, 0, this.offset - this.carry.length);
    switch (this.state) {
      case State.Quoted:
        throw new CsvSyntaxError(
          'unterminatedQuote',
          `a quoted field opened at line ${this.quoteLine} and still open at the end of the file`,
          this.recordCount,
          this.nf,
          this.quoteLine,
        );
      case State.QuoteSeen:
      case State.Unquoted:
        this.push(this.takePending());
        this.emit();
        break;
      case State.FieldStart:
        if (this.nf > 0) {
          this.push('');
          this.emit();
        }
        break;
    }
  }

  private push(value: string): void {
    const nf = this.nf;
    this.fields[nf] = this.isSkipped(nf) ? '' : value;
    this.nf = nf + 1;
  }

  private emit(): void {
    const fields = this.fields;
    if (fields.length !== this.nf) fields.length = this.nf;
    this.nf = 0;
    this.onRecord(fields);
    this.recordCount++;
  }

  private isSkipped(nf: number): boolean {
    return this.skip !== null && nf < this.skip.length && this.skip[nf] === 1;
  }

  private appendPending(buf: Uint8Array, start: number, end: number): void {
    const n = end - start;
    if (n <= 0) return;
    const need = this.pendingLength + n;
    if (need > this.pending.length) {
      const next = new Uint8Array(Math.max(need, this.pending.length * 2));
      next.set(this.pending.subarray(0, this.pendingLength));
      this.pending = next;
    }
    this.pending.set(buf.subarray(start, end), this.pendingLength);
    this.pendingLength = need;
  }

  private takePending(): string {
    const p = this.pending;
    const text = Buffer.from(p.buffer, p.byteOffset, this.pendingLength).toString(
      this.latin1 ? 'latin1' : 'utf8',
    );
    this.pendingLength = 0;
    return text;
  }

  /** Handles the line break at `buf[i]` (which follows `prev`): counts the line, ends the record. */
  private lineBreak(c: number, prevWasCR: boolean): void {
    if (c === CR || !prevWasCR) this.line++;
    if (this.nf > 0) this.emit();
    this.recordStart = this.line;
  }

  private syntaxError(kind: CsvSyntaxErrorKind, detail: string, line = this.line): CsvSyntaxError {
    return new CsvSyntaxError(kind, detail, this.recordCount, this.nf, line);
  }

  private quoteInField(text: string): CsvSyntaxError {
    const q = String.fromCharCode(this.quote);
    return this.syntaxError(
      'quoteInUnquotedField',
      `a '${q}' inside an unquoted field after ${JSON.stringify(clip(text))} (a field containing quotes must be quoted as a whole, with each inner quote doubled)`,
    );
  }

  /** The delimiter in messages: `a comma`, or e.g. `the delimiter ";"`. */
  private delimiterName(): string {
    return this.delim === COMMA
      ? 'a comma'
      : `the delimiter ${JSON.stringify(String.fromCharCode(this.delim))}`;
  }

  /**
   * Text after the `"` at `buf[i - 1]`. Reported at the line of the field's opening quote: when
   * the field spans lines, the likely mistake is a quote left open there, not the text here.
   */
  private textAfterQuote(buf: Buffer, i: number): CsvSyntaxError {
    let end = i;
    while (end < buf.length && end < i + 40) {
      const c = buf[end];
      if (c === this.delim || c === LF || c === CR) break;
      end++;
    }
    const text = JSON.stringify(clip(buf.toString(this.latin1 ? 'latin1' : 'utf8', i, end)));
    const sep = this.delimiterName();
    const detail =
      this.quoteLine === this.line
        ? `${text} after the closing quote of a field (expected ${sep} or a line break)`
        : `a quoted field opened at line ${this.quoteLine} runs to a quote at line ${this.line} followed by ${text} (expected ${sep} or a line break after a closing quote; is the quote at line ${this.quoteLine} left open?)`;
    return this.syntaxError('textAfterClosingQuote', detail, this.quoteLine);
  }

  /**
   * Checks that `buf` continues the input as valid UTF-8 (a character may be cut by a chunk
   * boundary: its start is carried to the next chunk) and tokenizes it. On invalid bytes,
   * tokenizes up to them, so the error names the record, field and line they are in.
   */
  private scanValid(buf: Buffer): void {
    let start = 0;
    const carry = this.carry;
    if (carry !== null) {
      // Complete the cut character with the first bytes of this chunk.
      const need = sequenceLength(carry[0]) - carry.length;
      const take = Math.min(need, buf.length);
      const joined = Buffer.concat([carry, buf.subarray(0, take)]);
      if (take < need) {
        if (incompleteTail(joined, 0) !== joined.length)
          throw this.utf8Error(joined, 0, this.offset - carry.length);
        this.carry = joined;
        this.scan(buf);
        this.offset += buf.length;
        return;
      }
      if (!isUtf8(joined)) throw this.utf8Error(joined, 0, this.offset - carry.length);
      this.carry = null;
      start = take;
    }
    const tail = incompleteTail(buf, start);
    const end = buf.length - tail;
    if (!isUtf8(buf.subarray(start, end))) {
      const bad = firstInvalidUtf8(buf, start, end);
      if (bad > 0) this.scan(buf.subarray(0, bad));
      throw this.utf8Error(buf, bad, this.offset + bad);
    }
    if (tail > 0) this.carry = Buffer.from(buf.subarray(end));
    this.scan(buf);
    this.offset += buf.length;
  }

  /** The error for the invalid sequence at `bytes[at]` (absolute offset `offset`), at the current field. */
  private utf8Error(bytes: Uint8Array, at: number, offset: number): CsvSyntaxError {
    const shown = Array.from(
      bytes.subarray(at, at + 4),
      (b) => `0x${b.toString(16).toUpperCase().padStart(2, '0')}`,
    );
    return new CsvSyntaxError(
      'invalidUtf8',
      `bytes that are not UTF-8 (${shown.join(' ')}…)`,
      this.recordCount,
      this.nf,
      this.line,
      offset,
    );
  }

  /**
   * The bytes `[start, end)` of `buf` as a string; `s` is `buf` as latin1, `bits` the OR of the
   * bytes masked with `highBit` (bit 0x80 set: UTF-8 input with a non-ASCII byte, decode as UTF-8).
   */
  private static text(buf: Buffer, s: string, start: number, end: number, bits: number): string {
    if (bits & 0x80) return buf.toString('utf8', start, end);
    return end - start <= SHORT_FIELD ? s.slice(start, end) : buf.toString('latin1', start, end);
  }

  /** Tokenizes one chunk (BOM already removed), continuing from the state the last one left. */
  private scan(buf: Buffer): void {
    const n = buf.length;
    const s = buf.toString('latin1');
    // The dialect's bytes as locals: the loops below compare against them on every byte.
    const delim = this.delim;
    const quote = this.quote;
    const high = this.highBit;
    let i = 0;
    // Finish a field left open by the previous chunk.
    if (this.state === State.Unquoted) {
      while (i < n) {
        const c = buf[i];
        if (c === delim || c === LF || c === CR || c === quote) break;
        i++;
      }
      this.appendPending(buf, 0, i);
      if (i === n) {
        this.lastByteWasCR = false;
        return;
      }
      const c = buf[i];
      if (c === quote) throw this.quoteInField(this.takePending());
      this.state = State.FieldStart;
      this.push(this.takePending());
      if (c !== delim) this.lineBreak(c, false);
      i++;
    } else if (this.state === State.QuoteSeen) {
      const c = buf[0];
      if (c === quote) {
        this.appendPending(buf, 0, 1);
        this.state = State.Quoted;
      } else if (c === delim || c === LF || c === CR) {
        this.state = State.FieldStart;
        this.push(this.takePending());
        if (c !== delim) this.lineBreak(c, false);
      } else {
        throw this.textAfterQuote(buf, 0);
      }
      i = 1;
    }

    if (this.state === State.Quoted) {
      // Continue the quoted field at its content.
      i = this.scanQuoted(buf, s, i, i, true);
      if (i < 0) return;
    }

    while (i < n) {
      // At the start of a field.
      let c = buf[i];
      if (c === quote) {
        this.quoteLine = this.line;
        this.state = State.Quoted;
        i = this.scanQuoted(buf, s, i + 1, i + 1, false);
        if (i < 0) return;
        continue;
      }
      if (c === delim) {
        this.push('');
        i++;
        continue;
      }
      if (c === LF || c === CR) {
        // After a delimiter (`nf > 0`) the record ends with an empty field; else the line may be empty.
        if (this.nf > 0) this.push('');
        this.lineBreak(c, i > 0 ? buf[i - 1] === CR : this.lastByteWasCR);
        i++;
        continue;
      }
      const segStart = i;
      // Loaded here rather than with the locals above: the short live range keeps it in a register
      // in the loop below (loaded at the top of scan, tokenizing measured a few per cent slower).
      const special = this.special;
      let bits = 0;
      do {
        bits |= c;
        if (++i === n) break;
        c = buf[i];
      } while (c > special || (c !== delim && c !== LF && c !== CR && c !== quote));
      if (i === n) {
        this.appendPending(buf, segStart, n);
        this.state = State.Unquoted;
        this.lastByteWasCR = false;
        return;
      }
      if (c === quote) throw this.quoteInField(buf.toString(high ? 'utf8' : 'latin1', segStart, i));
      const nf = this.nf;
      this.fields[nf] = this.isSkipped(nf) ? '' : CsvTokenizer.text(buf, s, segStart, i, bits & high);
      this.nf = nf + 1;
      if (c !== delim) this.lineBreak(c, false);
      i++;
    }
    this.lastByteWasCR = n > 0 && buf[n - 1] === CR;
  }

  /**
   * Scans quoted-field content from `i` (content started at `segStart`, or in `pending` when
   * `continued`). Returns the index after the field and its delimiter handled, or -1 when the
   * chunk ended inside the field (state saved).
   */
  private scanQuoted(buf: Buffer, s: string, i: number, segStart: number, continued: boolean): number {
    const n = buf.length;
    const delim = this.delim;
    const quote = this.quote;
    let bits = 0;
    let usePending = continued;
    for (;;) {
      let c = 0;
      while (i < n) {
        c = buf[i];
        if (c === quote) break;
        if (c === LF) {
          if (i > 0 ? buf[i - 1] !== CR : !this.lastByteWasCR) this.line++;
        } else if (c === CR) {
          this.line++;
        }
        bits |= c;
        i++;
      }
      if (i === n) {
        this.appendPending(buf, segStart, n);
        this.state = State.Quoted;
        this.lastByteWasCR = buf[n - 1] === CR;
        return -1;
      }
      // buf[i] is a quote.
      if (i + 1 === n) {
        this.appendPending(buf, segStart, i);
        this.state = State.QuoteSeen;
        this.lastByteWasCR = false;
        return -1;
      }
      const d = buf[i + 1];
      if (d === quote) {
        // `""`: keep one quote, continue after the pair.
        this.appendPending(buf, segStart, i + 1);
        usePending = true;
        i += 2;
        segStart = i;
        continue;
      }
      if (d !== delim && d !== LF && d !== CR) throw this.textAfterQuote(buf, i + 1);
      let value: string;
      if (this.isSkipped(this.nf)) {
        value = '';
        this.pendingLength = 0;
      } else if (usePending) {
        this.appendPending(buf, segStart, i);
        value = this.takePending();
      } else {
        value = CsvTokenizer.text(buf, s, segStart, i, bits & this.highBit);
      }
      this.state = State.FieldStart;
      this.fields[this.nf++] = value;
      if (d !== delim) this.lineBreak(d, false);
      return i + 2;
    }
  }
}

/** Bytes of the UTF-8 sequence a lead byte starts (1 for ASCII and for bytes no sequence starts with). */
function sequenceLength(lead: number): number {
  if (lead >= 0xf0 && lead <= 0xf4) return 4;
  if (lead >= 0xe0 && lead <= 0xef) return 3;
  if (lead >= 0xc2 && lead <= 0xdf) return 2;
  return 1;
}

/**
 * Length of a UTF-8 sequence cut by the end of `buf` (its lead byte at or after `from`), or 0:
 * the bytes to carry to the next chunk. Only the structure is checked here; `isUtf8` checks the
 * bytes once the sequence is complete.
 */
function incompleteTail(buf: Uint8Array, from: number): number {
  const n = buf.length;
  for (let back = 1; back <= 3 && n - back >= from; back++) {
    const b = buf[n - back];
    if ((b & 0xc0) !== 0x80) return sequenceLength(b) > back ? back : 0;
  }
  return 0;
}

/** Index of the first byte of `buf[from, to)` that starts no valid UTF-8 sequence (error path only). */
function firstInvalidUtf8(buf: Uint8Array, from: number, to: number): number {
  let i = from;
  while (i < to) {
    const len = sequenceLength(buf[i]);
    if (len === 1) {
      if (buf[i] >= 0x80) return i;
      i++;
      continue;
    }
    if (i + len > to || !isUtf8(buf.subarray(i, i + len))) return i;
    i += len;
  }
  return to;
}

function clip(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}
