import assert from 'node:assert/strict';
import {
  type CsvDialect,
  CsvSyntaxError,
  type CsvSyntaxErrorKind,
  CsvTokenizer,
} from '../../src/lineage/csv-tokenizer.js';
import { lcg } from './helpers.js';

/** A record as tokenized, with the line it started on. */
interface Tokenized {
  fields: string[];
  line: number;
}

/** Tokenizes `bytes` fed as chunks of the given sizes (cycled), returning records and lines. */
function tokenize(
  bytes: Uint8Array,
  chunkSizes: readonly number[] = [bytes.length || 1],
  dialect: CsvDialect = {},
): Tokenized[] {
  const out: Tokenized[] = [];
  const tok = new CsvTokenizer((fields) => out.push({ fields: [...fields], line: tok.recordLine }), dialect);
  let at = 0;
  for (let k = 0; at < bytes.length; k++) {
    const size = chunkSizes[k % chunkSizes.length];
    tok.write(bytes.subarray(at, at + size));
    at += size;
  }
  tok.end();
  return out;
}

const records = (bytes: Uint8Array, chunkSizes?: readonly number[], dialect?: CsvDialect) =>
  tokenize(bytes, chunkSizes, dialect).map((r) => r.fields);

/** Every way to cut `bytes` into two chunks, plus 1-byte chunks. */
function allSplits(bytes: Uint8Array): number[][] {
  const splits: number[][] = [[1]];
  for (let cut = 0; cut <= bytes.length; cut++) splits.push([cut, bytes.length - cut]);
  return splits;
}

/** Tokenizing must throw a CsvSyntaxError of this kind at this record, field and line. */
function expectSyntaxError(
  text: string,
  chunkSizes: readonly number[],
  want: { kind: CsvSyntaxErrorKind; record: number; column: number; line: number },
): void {
  assert.throws(
    () => tokenize(Buffer.from(text), chunkSizes),
    (err: unknown) => {
      assert.ok(err instanceof CsvSyntaxError, `expected a CsvSyntaxError, got ${String(err)}`);
      assert.deepEqual(
        { kind: err.kind, record: err.record, column: err.column, line: err.line },
        want,
        `${JSON.stringify(text)} in chunks ${chunkSizes.join('/')}: ${err.message}`,
      );
      return true;
    },
  );
}

/** Like {@link expectSyntaxError}, in a dialect and in every two-chunk split. */
function expectSyntaxErrorIn(
  text: string,
  dialect: CsvDialect,
  want: { kind: CsvSyntaxErrorKind; record: number; column: number; line: number },
): void {
  for (const split of allSplits(Buffer.from(text))) {
    assert.throws(
      () => tokenize(Buffer.from(text), split, dialect),
      (err: unknown) => {
        assert.ok(err instanceof CsvSyntaxError, `expected a CsvSyntaxError, got ${String(err)}`);
        assert.deepEqual({ kind: err.kind, record: err.record, column: err.column, line: err.line }, want);
        return true;
      },
    );
  }
}

const pieces = [
  'a',
  'Zed',
  '42',
  '-1.5e3',
  ' ',
  ',',
  '"',
  '""',
  '\n',
  '\r\n',
  '\r',
  'é',
  '日本',
  '😀',
  'x y',
];

/** A random field: empty (often) or a few pieces, some of which force quoting. */
function randomField(r: () => number): string {
  if (r() < 0.15) return '';
  let s = '';
  const n = 1 + Math.floor(r() * 4);
  for (let k = 0; k < n; k++) s += pieces[Math.floor(r() * pieces.length)];
  return s;
}

/** RFC 4180 serialisation: quote when needed (and sometimes when not); `""` for a lone empty field. */
function serialiseField(field: string, alone: boolean, r: () => number): string {
  const needs = /[",\r\n]/.test(field) || (alone && field === '');
  return needs || r() < 0.1 ? `"${field.replaceAll('"', '""')}"` : field;
}

/** Line breaks in `text` (CRLF counts once), i.e. the 1-based line at its end minus one. */
function countLineBreaks(text: string): number {
  return text.match(/\r\n|\r|\n/g)?.length ?? 0;
}

describe('lineage: CSV tokenizer', () => {
  it('round-trips random tables (quotes, commas, CR/LF, non-ASCII, empty fields) in any chunking', () => {
    const r = lcg(20240611);
    for (let t = 0; t < 300; t++) {
      const rows = Math.floor(r() * 8);
      const table: string[][] = [];
      let text = r() < 0.3 ? '\ufeff' : '';
      const lines: number[] = [];
      for (let i = 0; i < rows; i++) {
        const cols = 1 + Math.floor(r() * 5);
        const record = Array.from({ length: cols }, () => randomField(r));
        table.push(record);
        while (r() < 0.15) text += ['\n', '\r\n', '\r'][Math.floor(r() * 3)]; // empty lines
        lines.push(countLineBreaks(text) + 1);
        text += record.map((f) => serialiseField(f, cols === 1, r)).join(',');
        // Line breaks between records; the last one is optional.
        if (i < rows - 1 || r() < 0.5) {
          text += ['\n', '\r\n', '\r'][Math.floor(r() * 3)];
        }
      }
      const bytes = Buffer.from(text);
      const chunkings: number[][] = [[bytes.length || 1], [1], [2, 3], [1 + Math.floor(r() * 17)]];
      chunkings.push(Array.from({ length: 5 }, () => 1 + Math.floor(r() * 9)));
      for (const chunks of chunkings) {
        const got = tokenize(bytes, chunks);
        const where = `table ${t} in chunks ${chunks.join('/')}: ${JSON.stringify(text)}`;
        assert.deepEqual(
          got.map((g) => g.fields),
          table,
          where,
        );
        assert.deepEqual(
          got.map((g) => g.line),
          lines,
          where,
        );
      }
    }
  });

  it('decodes UTF-8 split anywhere, including inside characters, quoted or not', () => {
    const text = 'é,日本,😀\n"x😀,é","日""本"\nplain,ascii,only\n';
    const bytes = Buffer.from(text);
    const want = [
      ['é', '日本', '😀'],
      ['x😀,é', '日"本'],
      ['plain', 'ascii', 'only'],
    ];
    for (const split of allSplits(bytes)) assert.deepEqual(records(bytes, split), want, split.join('/'));
  });

  it('skips a BOM split across chunks, and only at the start', () => {
    const bytes = Buffer.from('\ufeffid,x\r\n1,2\r\n');
    for (const split of [...allSplits(bytes), [1, 1, 1, 100], [2, 1, 100]]) {
      assert.deepEqual(
        records(bytes, split),
        [
          ['id', 'x'],
          ['1', '2'],
        ],
        split.join('/'),
      );
    }
    assert.deepEqual(records(Buffer.from('a\n\ufeffb\n')), [['a'], ['\ufeffb']]);
    // A file that is just part of a BOM is data, not silently dropped: bytes that are not UTF-8.
    assert.throws(
      () => records(Buffer.from([0xef, 0xbb]), [1]),
      (err: unknown) => err instanceof CsvSyntaxError && err.kind === 'invalidUtf8' && err.byteOffset === 0,
    );
    assert.deepEqual(records(Buffer.from('\ufeff'), [1]), []);
  });

  it('treats CRLF as one line break wherever the chunks split it', () => {
    const text = 'a,b\r\n"q\r\nr",2\r\n\r\n3,\r\n4,"x"\r\n';
    const bytes = Buffer.from(text);
    for (const split of allSplits(bytes)) {
      assert.deepEqual(
        tokenize(bytes, split),
        [
          { fields: ['a', 'b'], line: 1 },
          { fields: ['q\r\nr', '2'], line: 2 },
          { fields: ['3', ''], line: 5 },
          { fields: ['4', 'x'], line: 6 },
        ],
        split.join('/'),
      );
    }
    // A lone CR is a record separator (and a line break); inside quotes it is data.
    assert.deepEqual(tokenize(Buffer.from('a\rb\r"c\rd"\n\re')), [
      { fields: ['a'], line: 1 },
      { fields: ['b'], line: 2 },
      { fields: ['c\rd'], line: 3 },
      { fields: ['e'], line: 6 },
    ]);
  });

  it('skips empty lines but keeps lines with an empty quoted field or only commas', () => {
    for (const split of allSplits(Buffer.from('\n\na\n\r\n""\n,\n\n ,x\n\n'))) {
      assert.deepEqual(
        records(Buffer.from('\n\na\n\r\n""\n,\n\n ,x\n\n'), split),
        [['a'], [''], ['', ''], [' ', 'x']],
        split.join('/'),
      );
    }
    assert.deepEqual(records(Buffer.from('')), []);
    assert.deepEqual(records(Buffer.from('\r\n\n\r')), []);
    // The last record needs no line break, even when it ends with an empty field.
    assert.deepEqual(records(Buffer.from('a,b\n1,')), [
      ['a', 'b'],
      ['1', ''],
    ]);
    assert.deepEqual(records(Buffer.from('a,b\n1,""')), [
      ['a', 'b'],
      ['1', ''],
    ]);
  });

  it('keeps a field spanning many chunks intact', () => {
    const big = `${'x'.repeat(5000)}é${'"'.repeat(3)}\n${'y'.repeat(3000)}`;
    const text = `h1,h2\n1,"${big.replaceAll('"', '""')}"\n2,${'z'.repeat(7000)}\n`;
    for (const chunks of [[1], [7], [100], [4096]]) {
      assert.deepEqual(
        records(Buffer.from(text), chunks),
        [
          ['h1', 'h2'],
          ['1', big],
          ['2', 'z'.repeat(7000)],
        ],
        chunks.join('/'),
      );
    }
  });

  it('reports each kind of malformed quoting with its record, field and line, in any chunking', () => {
    const cases: Array<[string, { kind: CsvSyntaxErrorKind; record: number; column: number; line: number }]> =
      [
        ['a,b\n1,2\n3,x"y"z\n', { kind: 'quoteInUnquotedField', record: 2, column: 1, line: 3 }],
        ['a,b\r\n"1\r\n",2\r\n3, "x"\r\n', { kind: 'quoteInUnquotedField', record: 2, column: 1, line: 4 }],
        ['a,b\nxy"\n', { kind: 'quoteInUnquotedField', record: 1, column: 0, line: 2 }],
        ['a,b\n1,"x"y\n', { kind: 'textAfterClosingQuote', record: 1, column: 1, line: 2 }],
        // The field opened at line 2: report that line, not the line of the quote that closes it.
        ['a,b\n"1\n2" ,3\n', { kind: 'textAfterClosingQuote', record: 1, column: 0, line: 2 }],
        ['a,"b"é\n', { kind: 'textAfterClosingQuote', record: 0, column: 1, line: 1 }],
        ['a,b\n1,2\n3,"unterminated\n', { kind: 'unterminatedQuote', record: 2, column: 1, line: 3 }],
        ['a,b\n\n1,"x""\n\n', { kind: 'unterminatedQuote', record: 1, column: 1, line: 3 }],
        ['"', { kind: 'unterminatedQuote', record: 0, column: 0, line: 1 }],
      ];
    for (const [text, want] of cases) {
      for (const split of allSplits(Buffer.from(text))) expectSyntaxError(text, split, want);
    }
  });

  it('reports a quote left open many lines earlier at the line and record where it opened', () => {
    // Issue 8: data row 9 (line 11) opens a quote that is never closed; the next quote, at line
    // 46, is followed by text. The error must point at line 11 and data row 9 (record 10).
    const lines = ['id,note'];
    for (let r = 0; r < 9; r++) lines.push(`${r},ok`);
    lines.push('9,"never closed');
    for (let r = 10; r < 44; r++) lines.push(`${r},fine`);
    lines.push('44,"quoted" text', '45,end');
    const text = `${lines.join('\n')}\n`;
    assert.equal(text.split('\n')[45].startsWith('44,"quoted"'), true); // line 46
    for (const split of [[text.length], [1], [7], [64]]) {
      expectSyntaxError(text, split, { kind: 'textAfterClosingQuote', record: 10, column: 1, line: 11 });
    }
    assert.throws(() => tokenize(Buffer.from(text)), /opened at line 11 runs to a quote at line 46/);
  });

  it('refuses bytes that are not UTF-8 with their record, field, line and byte offset, in any chunking', () => {
    const cases: Array<[Buffer, { record: number; column: number; line: number; byteOffset: number }]> = [
      // Latin-1 é (0xE9) in an unquoted field of data row 1 (record 2, line 3).
      [
        Buffer.concat([Buffer.from('a,b\n1,2\n3,caf'), Buffer.from([0xe9]), Buffer.from('\n')]),
        { record: 2, column: 1, line: 3, byteOffset: 13 },
      ],
      // In a quoted field spanning lines, after a BOM (the BOM counts in the offset).
      [
        Buffer.concat([Buffer.from('\ufeffa,b\n"x\ny'), Buffer.from([0xff]), Buffer.from('",2\n')]),
        { record: 1, column: 0, line: 3, byteOffset: 11 },
      ],
      // In the header; a truncated 3-byte sequence followed by ASCII.
      [
        Buffer.concat([Buffer.from('a,'), Buffer.from([0xe6, 0x97]), Buffer.from('x\n1,2\n')]),
        { record: 0, column: 1, line: 1, byteOffset: 2 },
      ],
      // A character cut by the end of the input.
      [
        Buffer.concat([Buffer.from('a,b\n1,'), Buffer.from([0xf0, 0x9f, 0x98])]),
        { record: 1, column: 1, line: 2, byteOffset: 6 },
      ],
      // An overlong encoding and a surrogate are not UTF-8 either.
      [
        Buffer.concat([Buffer.from('a\n'), Buffer.from([0xc0, 0xaf]), Buffer.from('\n')]),
        { record: 1, column: 0, line: 2, byteOffset: 2 },
      ],
      [
        Buffer.concat([Buffer.from('a\n"'), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from('"\n')]),
        { record: 1, column: 0, line: 2, byteOffset: 3 },
      ],
    ];
    for (const [bytes, want] of cases) {
      for (const split of allSplits(bytes)) {
        assert.throws(
          () => tokenize(bytes, split),
          (err: unknown) => {
            assert.ok(err instanceof CsvSyntaxError, String(err));
            assert.deepEqual(
              {
                kind: err.kind,
                record: err.record,
                column: err.column,
                line: err.line,
                byteOffset: err.byteOffset,
              },
              { kind: 'invalidUtf8', ...want },
              `${bytes.toString('hex')} in chunks ${split.join('/')}: ${err.message}`,
            );
            return true;
          },
        );
      }
    }
    // Records before the bad bytes were emitted; a skipped column is checked too.
    const seen: string[][] = [];
    const tok = new CsvTokenizer((fields) => {
      seen.push([...fields]);
      tok.skipColumns([true, false]);
    });
    tok.write(Buffer.from('a,b\nx,1\n'));
    assert.throws(() => tok.write(Buffer.from([0x80, 0x2c, 0x32, 0x0a])), /not UTF-8/);
    assert.deepEqual(seen, [
      ['a', 'b'],
      ['', '1'],
    ]);
  });

  it('passes skipped columns as empty strings and keeps the record length', () => {
    const seen: string[][] = [];
    const tok = new CsvTokenizer((fields) => {
      seen.push([...fields]);
      if (seen.length === 1) tok.skipColumns([false, true, false, true]);
    });
    tok.write(Buffer.from('a,b,c\n1,2,3\n"4","5",6,7,8\n9,"x""y"\n'));
    tok.end();
    assert.deepEqual(seen, [
      ['a', 'b', 'c'],
      ['1', '', '3'],
      ['4', '', '6', '', '8'],
      ['9', ''],
    ]);
  });

  it("round-trips random tables in other dialects (`;`, tab, space, `§`; quote `'`), UTF-8 and Latin-1, in any chunking", () => {
    const dialects: Array<{ delimiter: string; quote: string; encoding: 'utf-8' | 'latin1' }> = [
      { delimiter: ';', quote: '"', encoding: 'utf-8' },
      { delimiter: '\t', quote: "'", encoding: 'utf-8' },
      { delimiter: ' ', quote: '"', encoding: 'utf-8' },
      { delimiter: '|', quote: "'", encoding: 'latin1' },
      { delimiter: '\u00a7', quote: '"', encoding: 'latin1' }, // § is one byte in Latin-1
    ];
    const r = lcg(7);
    for (const d of dialects) {
      const dialectPieces = ['a', '42', ',', d.delimiter, d.quote, d.quote + d.quote, '\n', '\r\n', ' ', '"'];
      dialectPieces.push(...(d.encoding === 'latin1' ? ['é', 'ß', '\u00ff', '\u00a0'] : ['é', '日本', '😀']));
      const field = (): string => {
        if (r() < 0.15) return '';
        let s = '';
        for (let k = 1 + Math.floor(r() * 3); k > 0; k--)
          s += dialectPieces[Math.floor(r() * dialectPieces.length)];
        return s;
      };
      const special = new Set([d.delimiter, d.quote, '\r', '\n']);
      const serialise = (f: string, alone: boolean) =>
        [...f].some((ch) => special.has(ch)) || (alone && f === '')
          ? `${d.quote}${f.replaceAll(d.quote, d.quote + d.quote)}${d.quote}`
          : f;
      for (let t = 0; t < 150; t++) {
        const table: string[][] = [];
        let text = '';
        const rows = 1 + Math.floor(r() * 6);
        for (let i = 0; i < rows; i++) {
          const cols = 1 + Math.floor(r() * 5);
          const record = Array.from({ length: cols }, field);
          table.push(record);
          text += `${record.map((f) => serialise(f, cols === 1)).join(d.delimiter)}\n`;
        }
        const bytes = Buffer.from(text, d.encoding === 'latin1' ? 'latin1' : 'utf8');
        for (const chunks of [[bytes.length], [1], [1 + Math.floor(r() * 13)]]) {
          assert.deepEqual(
            records(bytes, chunks, d),
            table,
            `${JSON.stringify(d)} table ${t} in chunks ${chunks.join('/')}: ${JSON.stringify(text)}`,
          );
        }
      }
    }
  });

  it('splits space-separated lines like german.data at every space, a comma being plain text', () => {
    const text = 'A11 6 A34 A43 1169 A65\nA12 48 "x y" a,b  end\n';
    for (const split of allSplits(Buffer.from(text))) {
      assert.deepEqual(
        records(Buffer.from(text), split, { delimiter: ' ' }),
        [
          ['A11', '6', 'A34', 'A43', '1169', 'A65'],
          ['A12', '48', 'x y', 'a,b', '', 'end'], // two spaces: an empty field between them
        ],
        split.join('/'),
      );
    }
    assert.deepEqual(records(Buffer.from('a;"b;c";d\n'), undefined, { delimiter: ';' }), [['a', 'b;c', 'd']]);
    assert.deepEqual(records(Buffer.from("'it''s',\"x\"\n"), undefined, { quote: "'" }), [["it's", '"x"']]);
  });

  it('names the dialect in syntax errors and keeps their positions', () => {
    expectSyntaxErrorIn(
      'a;b\n1;"x"y\n',
      { delimiter: ';' },
      { kind: 'textAfterClosingQuote', record: 1, column: 1, line: 2 },
    );
    assert.throws(
      () => tokenize(Buffer.from('a;b\n1;"x"y;z\n'), undefined, { delimiter: ';' }),
      /"y" after the closing quote of a field \(expected the delimiter ";" or a line break\)/,
    );
    assert.throws(
      () => tokenize(Buffer.from("a,b\n1,x'y\n"), undefined, { quote: "'" }),
      /a ''' inside an unquoted field after "x"/,
    );
    // With `'` as the quote, `"` is plain text; `'` inside an unquoted field is refused.
    expectSyntaxErrorIn(
      "a,b\n1,x'y\n",
      { quote: "'" },
      { kind: 'quoteInUnquotedField', record: 1, column: 1, line: 2 },
    );
    expectSyntaxErrorIn(
      "a\n'open\n",
      { quote: "'" },
      { kind: 'unterminatedQuote', record: 1, column: 0, line: 2 },
    );
  });

  it('reads Latin-1 bytes as characters (no UTF-8 check, no BOM skipped); UTF-8 refuses them', () => {
    // Zoë, Müller, § in Latin-1: ë = 0xEB, ü = 0xFC, § = 0xA7; the file starts with the bytes of a BOM.
    const bytes = Buffer.concat([
      Buffer.from([0xef, 0xbb, 0xbf]),
      Buffer.from('id;name\n1;Zo'),
      Buffer.from([0xeb]),
      Buffer.from(';M'),
      Buffer.from([0xfc]),
      Buffer.from('ller;"'),
      Buffer.from([0xa7, 0x22, 0x22, 0x22, 0x0a]),
    ]);
    for (const split of allSplits(bytes)) {
      assert.deepEqual(
        records(bytes, split, { delimiter: ';', encoding: 'latin1' }),
        [
          ['\u00ef\u00bb\u00bfid', 'name'],
          ['1', 'Zoë', 'Müller', '§"'],
        ],
        split.join('/'),
      );
    }
    assert.throws(
      () => records(bytes, undefined, { delimiter: ';' }),
      (err: unknown) =>
        err instanceof CsvSyntaxError &&
        err.kind === 'invalidUtf8' &&
        err.record === 1 &&
        err.byteOffset === 15,
    );
    // A long Latin-1 field (decoded on its own, not cut from the chunk string).
    const long = Buffer.concat([Buffer.alloc(40, 0x61), Buffer.from([0xe9]), Buffer.from('\n')]);
    assert.deepEqual(records(long, undefined, { encoding: 'latin1' }), [[`${'a'.repeat(40)}é`]]);
  });

  it('refuses a delimiter or quote that is not one allowed character', () => {
    const refused: Array<[CsvDialect, RegExp]> = [
      [{ delimiter: '' }, /delimiter to be one character, got "" \(0 characters\)/],
      [{ delimiter: ';;' }, /delimiter to be one character, got ";;"/],
      [{ delimiter: '\n' }, /delimiter to be a character other than a line break/],
      [{ quote: '\r' }, /quote to be a character other than a line break/],
      [{ delimiter: '"' }, /different delimiter and quote characters, got "\\"" for both/],
      [{ delimiter: '§' }, /delimiter to be an ASCII character in UTF-8 files, got "§"/],
      [
        { delimiter: '€', encoding: 'latin1' },
        /delimiter to be a Latin-1 character \(U\+0000–U\+00FF\), got "€"/,
      ],
    ];
    for (const [dialect, message] of refused) {
      assert.throws(
        () => new CsvTokenizer(() => {}, dialect),
        (err: unknown) => {
          assert.ok(err instanceof RangeError, String(err));
          assert.match(err.message, message);
          return true;
        },
      );
    }
  });

  it('reuses one fields array and stops at an error thrown by the handler', () => {
    const arrays = new Set<string[]>();
    const tok = new CsvTokenizer((fields) => {
      arrays.add(fields);
      if (fields[0] === 'stop') throw new Error('stop here');
    });
    tok.write(Buffer.from('a,b\nc,d\ne\n'));
    assert.equal(arrays.size, 1);
    assert.equal(tok.records, 3);
    assert.throws(() => tok.write(Buffer.from('stop\nnever\n')), /stop here/);
    assert.equal(tok.records, 3);
  });
});
