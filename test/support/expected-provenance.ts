import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';

/**
 * An oracle for the row provenance of the shipped pipelines (`pipelines/*.yaml`), independent of
 * the pipeline code: it reads the CSV files with csv-parse and follows the key joins by hand.
 * Each function returns, per sample key, the list of `"<file name>:<0-based data row>"` the
 * sample must derive from (row 0 is the first record after the header), sorted with the default
 * string order (compare with `[...actual].sort()`).
 */

/** Key a single-table sample by its 0-based data row (files without an id column). */
export const byRowNumber = { rowNumber: true } as const;

/** The CSV dialect of a file (csv-parse options). */
interface Dialect {
  /** Field separator (default `,`). */
  delimiter?: string;
  /** Whether the first record names the columns (default true). */
  header?: boolean;
}

/** A parsed file: its column names (or `c0`, `c1`, … without a header) and data records. */
interface CsvRows {
  name: string;
  columns: string[];
  rows: string[][];
}

function readRows(file: string, dialect: Dialect = {}): CsvRows {
  const records = parse(fs.readFileSync(file), {
    delimiter: dialect.delimiter ?? ',',
    bom: true,
    skip_empty_lines: true,
  }) as string[][];
  const header = dialect.header ?? true;
  const columns = header ? (records.shift() ?? []) : (records[0] ?? []).map((_, i) => `c${i}`);
  return { name: path.basename(file), columns, rows: records };
}

/** Column `name` of every record (throws when the file lacks it). */
function column(t: CsvRows, name: string): string[] {
  const i = t.columns.indexOf(name);
  if (i < 0) throw new Error(`${t.name} has no column ${name} (columns: ${t.columns.join(', ')})`);
  return t.rows.map((r) => r[i]);
}

/** Data rows by the value of a column (every row with that value). */
function rowsBy(t: CsvRows, name: string): Map<string, number[]> {
  const out = new Map<string, number[]>();
  column(t, name).forEach((v, row) => {
    const list = out.get(v);
    if (list) list.push(row);
    else out.set(v, [row]);
  });
  return out;
}

/**
 * The provenance of each sample of a one-table pipeline (`pipelines/german-credit.yaml`,
 * `pipelines/taiwan-credit.yaml`): each sample derives from its own row only. The key is the
 * value of `key` (a column name), or the 0-based data row with {@link byRowNumber}.
 *
 * @example
 * expectedSingleTableProvenance(german, byRowNumber, { delimiter: ' ', header: false }).get('0'); // ['german.data:0']
 */
export function expectedSingleTableProvenance(
  file: string,
  key: string | typeof byRowNumber,
  dialect: Dialect = {},
): Map<string, string[]> {
  const t = readRows(file, dialect);
  const keys = typeof key === 'string' ? column(t, key) : t.rows.map((_, row) => String(row));
  const out = new Map<string, string[]>();
  keys.forEach((k, row) => {
    if (out.has(k)) throw new Error(`${t.name}: key ${k} appears twice (rows ${out.get(k)} and ${row})`);
    out.set(k, [`${t.name}:${row}`]);
  });
  return out;
}

/**
 * The provenance of each loan of `pipelines/berka-loans.yaml`, keyed by loan_id: its loan row,
 * its account row (loan.account_id), the account's district row (account.district_id = A1),
 * the account's disp rows, those dispositions' client rows (disp.client_id) and card rows
 * (card.disp_id), and the account's order rows. `dir` holds the Berka CSV files.
 *
 * @example
 * expectedBerkaProvenance('../shared/datasets/berka_czech_financial').get('5314');
 * // ['account.csv:261', 'client.csv:2049', 'disp.csv:2049', 'district.csv:29', 'loan.csv:0', 'order.csv:2361']
 */
export function expectedBerkaProvenance(dir: string): Map<string, string[]> {
  const read = (name: string) => readRows(path.join(dir, name), { delimiter: ';' });
  const loan = read('loan.csv');
  const account = read('account.csv');
  const district = read('district.csv');
  const disp = read('disp.csv');
  const client = read('client.csv');
  const card = read('card.csv');
  const order = read('order.csv');

  const accountRows = rowsBy(account, 'account_id');
  const accountDistrict = column(account, 'district_id');
  const districtRows = rowsBy(district, 'A1');
  const dispsOfAccount = rowsBy(disp, 'account_id');
  const dispId = column(disp, 'disp_id');
  const dispClient = column(disp, 'client_id');
  const clientRows = rowsBy(client, 'client_id');
  const cardsOfDisp = rowsBy(card, 'disp_id');
  const ordersOfAccount = rowsBy(order, 'account_id');

  const out = new Map<string, string[]>();
  const loanIds = column(loan, 'loan_id');
  column(loan, 'account_id').forEach((accountId, row) => {
    const refs = new Set<string>([`${loan.name}:${row}`]);
    const add = (t: CsvRows, rows: readonly number[] | undefined) => {
      for (const r of rows ?? []) refs.add(`${t.name}:${r}`);
    };
    const accounts = accountRows.get(accountId) ?? [];
    add(account, accounts);
    for (const a of accounts) add(district, districtRows.get(accountDistrict[a]));
    const disps = dispsOfAccount.get(accountId) ?? [];
    add(disp, disps);
    for (const d of disps) {
      add(client, clientRows.get(dispClient[d]));
      add(card, cardsOfDisp.get(dispId[d]));
    }
    add(order, ordersOfAccount.get(accountId));
    out.set(loanIds[row], [...refs].sort());
  });
  return out;
}
