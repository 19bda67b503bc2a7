import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { InputError } from '../../src/errors.js';
import { loadCsv } from '../../src/lineage/load-csv.js';
import { parseNumber, parsePlainDecimal } from '../../src/lineage/parse-number.js';
import { Pipeline } from '../../src/lineage/pipeline.js';
import { readCsv } from '../../src/lineage/read-csv.js';
import { requireDataset } from '../support/require-dataset.js';
import { lcg, naiveCsv, withTempDir } from './helpers.js';

async function expectInputError(
  promise: Promise<unknown>,
  code: string,
  parts: Array<string | RegExp>,
): Promise<void> {
  await assert.rejects(promise, (err: unknown) => {
    assert.ok(err instanceof InputError, `expected an InputError, got ${String(err)}`);
    assert.equal(err.code, code, err.message);
    for (const p of parts) {
      if (typeof p === 'string')
        assert.ok(err.message.includes(p), `message "${err.message}" should include "${p}"`);
      else assert.match(err.message, p);
    }
    return true;
  });
}

describe('lineage: CSV loading', () => {
  it('reads a BOM, CRLF, quoted commas/newlines/quotes, exponents and empty fields', async () => {
    await withTempDir(async (dir) => {
      const file = path.join(dir, 'people.csv');
      const text =
        '\ufeffid,name,amount,note\r\n' +
        '1,"Smith, John",5e+05,plain\r\n' +
        '2,"multi\r\nline ""quoted""",-1.5E-3,\r\n' +
        '3,,,"x,y"\r\n' +
        '4,Zed, 42 ,"a\nb"\r\n';
      fs.writeFileSync(file, text);
      const t = await readCsv(file, { keyColumn: 'id' });
      assert.equal(t.rows, 4);
      assert.deepEqual(t.header, ['id', 'name', 'amount', 'note']);
      assert.equal(t.sha256, createHash('sha256').update(fs.readFileSync(file)).digest('hex'));
      assert.deepEqual(t.keys, ['1', '2', '3', '4']);
      const amount = t.columns.get('amount')!;
      assert.equal(amount.kind, 'number');
      if (amount.kind === 'number') {
        assert.equal(amount.values[0], 500000);
        assert.equal(amount.values[1], -0.0015);
        assert.ok(Number.isNaN(amount.values[2]));
        assert.equal(amount.values[3], 42);
      }
      const name = t.columns.get('name')!;
      assert.equal(name.kind, 'category');
      if (name.kind === 'category') {
        const text = (i: number) => (name.codes[i] < 0 ? undefined : name.dictionary[name.codes[i]]);
        assert.equal(text(0), 'Smith, John');
        assert.equal(text(1), 'multi\r\nline "quoted"');
        assert.equal(text(2), undefined);
      }
      // The independent reader agrees on every cell.
      const naive = naiveCsv(file);
      assert.equal(naive.rows.length, t.rows);
      assert.equal(naive.rows[3][3], 'a\nb');
      assert.deepEqual(t.columns.get('id')!.sources, ['people.id']);
    });
  });

  it('honours declared types, drops undeclared columns on request and registers the file', async () => {
    await withTempDir(async (dir) => {
      const file = path.join(dir, 'codes.csv');
      fs.writeFileSync(file, 'code,n,extra\n007,1,a\n008,2,b\n');
      const p = new Pipeline({ name: 't', mode: 'row' });
      const f = await loadCsv(p, file, {
        table: 'codes',
        types: { code: 'category', n: 'number' },
        extraColumns: 'drop',
        keyColumn: 'code',
      });
      assert.deepEqual(f.names, ['code', 'n']);
      const code = f.cat('code');
      assert.deepEqual(
        [...code.codes].map((c) => code.dictionary[c]),
        ['007', '008'],
      );
      assert.equal(p.files.length, 1);
      assert.equal(p.files[0].table, 'codes');
      assert.equal(p.files[0].keyColumn, 'code');
      assert.deepEqual(p.files[0].keys, ['007', '008']);
      assert.deepEqual([...f.sourceRows(1)], [1]);
      assert.equal(p.ops[0].kind, 'load');
      assert.equal(p.ops[0].fileId, p.files[0].id);
    });
  });

  it('reports a missing file', async () => {
    await expectInputError(readCsv('/nonexistent/dir/bureau.csv'), 'ingest.missingFile', [
      'bureau.csv',
      'not found',
    ]);
  });

  it('reports an empty file and a header without rows', async () => {
    await withTempDir(async (dir) => {
      const empty = path.join(dir, 'empty.csv');
      fs.writeFileSync(empty, '');
      await expectInputError(readCsv(empty), 'ingest.emptyFile', ['empty.csv', 'empty file']);
      const bomOnly = path.join(dir, 'bom.csv');
      fs.writeFileSync(bomOnly, '\ufeff\r\n');
      await expectInputError(readCsv(bomOnly), 'ingest.emptyFile', ['bom.csv']);
      const headerOnly = path.join(dir, 'header.csv');
      fs.writeFileSync(headerOnly, 'a,b\r\n');
      await expectInputError(readCsv(headerOnly), 'ingest.emptyFile', [
        'header.csv',
        'data row 0',
        'got none',
      ]);
    });
  });

  it('reports missing required columns, naming what was found', async () => {
    await withTempDir(async (dir) => {
      const file = path.join(dir, 'bureau.csv');
      fs.writeFileSync(file, 'SK_ID_BUREAU,AMT\n1,2\n');
      await expectInputError(
        readCsv(file, { required: ['SK_ID_CURR', 'SK_ID_BUREAU'] }),
        'ingest.missingColumn',
        ['bureau.csv', 'SK_ID_CURR', 'got columns SK_ID_BUREAU, AMT'],
      );
    });
  });

  it('reports ragged rows with the data row and column', async () => {
    await withTempDir(async (dir) => {
      const file = path.join(dir, 'ragged.csv');
      fs.writeFileSync(file, 'a,b,c\n1,2,3\n"x\ny",5,6\n7,8\n');
      await expectInputError(readCsv(file), 'ingest.badCsv', [
        'ragged.csv',
        'data row 2',
        'column 2 ("c")',
        'expected 3 fields, got 2',
        '(line 5)',
      ]);
      const extra = path.join(dir, 'extra.csv');
      fs.writeFileSync(extra, 'a,b\n1,2,3\n');
      await expectInputError(readCsv(extra), 'ingest.badCsv', [
        'extra.csv',
        'data row 0',
        'expected 2 fields, got 3',
      ]);
    });
  });

  it('reports text where a number is required, with file, row, column, expected and got', async () => {
    await withTempDir(async (dir) => {
      const file = path.join(dir, 'application.csv');
      fs.writeFileSync(file, 'SK_ID_CURR,AMT_CREDIT\r\n1,5e+05\r\n2,"1,5"\r\n3,abc\r\n');
      await expectInputError(readCsv(file, { types: { AMT_CREDIT: 'number' } }), 'ingest.badNumber', [
        'application.csv',
        'data row 1',
        'column "AMT_CREDIT"',
        'expected a number',
        'got "1,5"',
      ]);
      for (const bad of ['0x10', 'Infinity', '1e', '--1']) {
        fs.writeFileSync(file, `SK_ID_CURR,AMT_CREDIT\n1,${bad}\n`);
        await expectInputError(readCsv(file, { types: { AMT_CREDIT: 'number' } }), 'ingest.badNumber', [
          'data row 0',
          JSON.stringify(bad),
        ]);
      }
    });
  });

  it('reports duplicate keys with both rows', async () => {
    await withTempDir(async (dir) => {
      const file = path.join(dir, 'prev.csv');
      fs.writeFileSync(file, 'SK_ID_PREV,x\n10,1\n11,2\n12,3\n11,4\n');
      await expectInputError(readCsv(file, { keyColumn: 'SK_ID_PREV' }), 'ingest.duplicateKey', [
        'prev.csv',
        'data row 3',
        'column "SK_ID_PREV"',
        '"11"',
        'first at data row 1',
      ]);
      const t = await readCsv(file, { keyColumn: 'SK_ID_PREV', uniqueKey: false });
      assert.equal(t.rows, 4);
    });
  });

  it('reports malformed quoting as ingest.badCsv', async () => {
    await withTempDir(async (dir) => {
      const file = path.join(dir, 'broken.csv');
      fs.writeFileSync(file, 'a,b\n1,2\n3,"unterminated\n');
      await expectInputError(readCsv(file), 'ingest.badCsv', ['broken.csv', /data row \d/]);
      fs.writeFileSync(file, 'a,b\n1,2\n3,x"y"z\n');
      await expectInputError(readCsv(file), 'ingest.badCsv', ['broken.csv', /data row \d/]);
    });
  });

  it('names the row, column, column name and line of malformed quoting', async () => {
    await withTempDir(async (dir) => {
      const file = path.join(dir, 'broken.csv');
      fs.writeFileSync(file, 'a,b\r\n1,"two\r\nlines"\r\n3,x"y"z\r\n');
      await expectInputError(readCsv(file), 'ingest.badCsv', [
        'broken.csv: data row 1, column 1 ("b") (line 4): expected well-formed CSV, got: ',
        'x',
      ]);
      fs.writeFileSync(file, 'a,b\n1,2\n"3"4,5\n');
      await expectInputError(readCsv(file), 'ingest.badCsv', [
        'data row 1, column 0 ("a") (line 3)',
        '"4" after the closing quote',
      ]);
      fs.writeFileSync(file, 'a,b\n1,2\n\n3,"open\n\n');
      await expectInputError(readCsv(file), 'ingest.badCsv', [
        'data row 1, column 1 ("b") (line 4)',
        'still open at the end of the file',
      ]);
      fs.writeFileSync(file, 'a,"b"c\n1,2\n');
      await expectInputError(readCsv(file), 'ingest.badCsv', ['broken.csv: header row, column 1 (line 1)']);
    });
  });

  it('refuses a file that is not UTF-8 (the Home Credit column dictionary is Latin-1), naming row, column and byte offset', async () => {
    // Issue 8 item 8: such a file was accepted, its 0x85 read as U+FFFD.
    const file = requireDataset('home_credit_sample/HomeCredit_columns_description.csv');
    await expectInputError(readCsv(file), 'ingest.badEncoding', [
      /^HomeCredit_columns_description\.csv: data row \d+, column 3 \("Description"\) \(line \d+, byte offset 1270\): expected UTF-8 text, got bytes that are not UTF-8 \(0x85 /,
    ]);
    await withTempDir(async (dir) => {
      // A UTF-8 BOM is still fine; a bad byte in a dropped column is refused too.
      const ok = path.join(dir, 'ok.csv');
      fs.writeFileSync(ok, Buffer.concat([Buffer.from('\ufeffid,name\r\n1,Zoë\r\n')]));
      const t = await readCsv(ok);
      assert.deepEqual(t.header, ['id', 'name']);
      const bad = path.join(dir, 'bad.csv');
      fs.writeFileSync(
        bad,
        Buffer.concat([Buffer.from('id,name\n1,Zo'), Buffer.from([0xeb]), Buffer.from('\n')]),
      );
      await expectInputError(
        readCsv(bad, { types: { id: 'number' }, extraColumns: 'drop' }),
        'ingest.badEncoding',
        ['bad.csv: data row 0, column 1 ("name") (line 2, byte offset 12)'],
      );
    });
  });

  it('reports a quote left open at the row and line where it opened, not where the next quote closes it', async () => {
    await withTempDir(async (dir) => {
      const file = path.join(dir, 'open-quote.csv');
      const lines = ['id,note'];
      for (let r = 0; r < 9; r++) lines.push(`${r},ok`);
      lines.push('9,"never closed');
      for (let r = 10; r < 44; r++) lines.push(`${r},fine`);
      lines.push('44,"quoted" text', '45,end');
      fs.writeFileSync(file, `${lines.join('\n')}\n`);
      await expectInputError(readCsv(file), 'ingest.badCsv', [
        'open-quote.csv: data row 9, column 1 ("note") (line 11): expected well-formed CSV, got: a quoted field opened at line 11 runs to a quote at line 46',
      ]);
    });
  });

  it('reads a multi-chunk file with quoted multi-line and non-ASCII fields like the naive reader', async () => {
    await withTempDir(async (dir) => {
      const file = path.join(dir, 'big.csv');
      const r = lcg(99);
      const words = ['plain', 'é', '日本', '😀', 'a,b', 'say "hi"', 'two\nlines', 'cr\r\nlf', ''];
      const cell = () =>
        words[Math.floor(r() * words.length)] + (r() < 0.5 ? String(Math.floor(r() * 1e6)) : '');
      const quote = (s: string) => (/[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s);
      const lines = ['\ufeffid,x,y,z'];
      for (let i = 0; i < 60000; i++)
        lines.push([i, cell(), cell(), cell()].map(String).map(quote).join(','));
      fs.writeFileSync(file, `${lines.join('\r\n')}\r\n`);
      assert.ok(fs.statSync(file).size > 2 * 1024 * 1024, 'the file spans several read chunks');
      const types = { x: 'category', y: 'category', z: 'category' } as const;
      const t = await readCsv(file, { types, keyColumn: 'id' });
      const naive = naiveCsv(file);
      assert.equal(t.rows, naive.rows.length);
      assert.deepEqual(t.header, naive.header);
      assert.deepEqual(
        t.keys,
        naive.rows.map((row) => row[0]),
      );
      for (const [c, col] of ['x', 'y', 'z'].entries()) {
        const column = t.columns.get(col)!;
        assert.equal(column.kind, 'category');
        if (column.kind !== 'category') continue;
        for (let i = 0; i < t.rows; i++) {
          const want = naive.rows[i][c + 1];
          const got: string = column.codes[i] < 0 ? '' : column.dictionary[column.codes[i]];
          if (got !== want)
            assert.fail(
              `row ${i}, column ${col}: expected ${JSON.stringify(want)}, got ${JSON.stringify(got)}`,
            );
        }
      }
    });
  });

  it('parses plain decimals exactly like parseNumber', () => {
    const r = lcg(7);
    const alphabet = '0123456789012345678901234567890123456789.-+e ';
    const texts = ['0', '-0', '007', '-0.0', '5.', '.5', '-', '1.2.3', '9007199254740993', '123456789012345'];
    for (let k = 0; k < 20000; k++) {
      let s = '';
      const n = 1 + Math.floor(r() * 19);
      for (let j = 0; j < n; j++) s += alphabet[Math.floor(r() * (r() < 0.9 ? 31 : alphabet.length))];
      texts.push(s);
      const x = (r() - 0.5) * 10 ** Math.floor(r() * 30 - 10);
      texts.push(String(x), x.toFixed(Math.floor(r() * 12)), x.toPrecision(1 + Math.floor(r() * 17)));
    }
    for (const s of texts) {
      assert.ok(
        Object.is(parsePlainDecimal(s), parseNumber(s)),
        `${JSON.stringify(s)}: ${parsePlainDecimal(s)}`,
      );
    }
  });
});
