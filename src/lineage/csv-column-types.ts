import { InputError, UsageError } from '../errors.js';
import { parsePlainDecimal } from './parse-number.js';

/** A boolean column: its spellings (matched after trimming, in any case) become 1 and 0. */
export interface CsvBooleanType {
  readonly type: 'boolean';
  /** Texts read as 1 (default `true`, `1`, `yes`). */
  readonly true?: readonly string[];
  /** Texts read as 0 (default `false`, `0`, `no`). */
  readonly false?: readonly string[];
}

/** A date column: each text becomes its epoch day (days since 1970-01-01) through `parse`. */
export interface CsvDateType {
  readonly type: 'date';
  /** The pattern `parse` reads, for messages only (e.g. `YYMMDD`). */
  readonly pattern: string;
  /** The epoch day of a text, or `undefined` when the text is not such a date. */
  readonly parse: (text: string) => number | undefined;
}

/**
 * Declared type of a CSV column. `category` gives a dictionary-encoded column; every other type a
 * numeric one: `number` (decimal text), `integer` (decimal text of a whole number within ±2^53),
 * `boolean` (1/0), `date` (epoch days).
 */
export type CsvColumnType = 'number' | 'integer' | 'category' | 'boolean' | CsvBooleanType | CsvDateType;

/** How the fields of a numeric column other than `number` are read. */
export interface FieldParser {
  /** The value of a (non-missing) field, `NaN` when the text is not one. */
  readonly parse: (text: string) => number;
  /**
   * The error for a text `parse` refused, at `at` (e.g. `loan.csv: data row 3, column "date"`):
   * `ingest.badInteger`, `ingest.badBoolean` or `ingest.badDate`, naming the value.
   */
  readonly refuse: (at: string, text: string) => InputError;
}

const defaultTrue = ['true', '1', 'yes'];
const defaultFalse = ['false', '0', 'no'];

/**
 * The parser of an `integer`, `boolean` or `date` column (`where` names it in messages, e.g.
 * `loan.csv, column "paid"`). Throws `ingest.badDialect` (a `UsageError`) for boolean spellings
 * that name one text both true and false.
 */
export function fieldParser(
  type: 'integer' | 'boolean' | CsvBooleanType | CsvDateType,
  where: string,
): FieldParser {
  if (type === 'integer') {
    return {
      parse: (text) => {
        const v = parsePlainDecimal(text);
        return Number.isSafeInteger(v) ? v : Number.NaN;
      },
      refuse: (at, text) =>
        new InputError('ingest.badInteger', `${at}: expected an integer, got ${JSON.stringify(text)}`),
    };
  }
  if (type === 'boolean' || type.type === 'boolean')
    return booleanParser(type === 'boolean' ? {} : type, where);
  const { parse, pattern } = type;
  return {
    parse: (text) => parse(text) ?? Number.NaN,
    refuse: (at, text) =>
      new InputError(
        'ingest.badDate',
        `${at}: expected a date of the form ${pattern}, got ${JSON.stringify(text)}`,
      ),
  };
}

function booleanParser(type: Partial<CsvBooleanType>, where: string): FieldParser {
  const trueTexts = type.true ?? defaultTrue;
  const falseTexts = type.false ?? defaultFalse;
  const values = new Map<string, number>();
  for (const t of trueTexts) values.set(t.trim().toLowerCase(), 1);
  for (const f of falseTexts) {
    const key = f.trim().toLowerCase();
    if (values.get(key) === 1)
      throw new UsageError(
        'ingest.badDialect',
        `${where}: expected different true and false spellings, got ${JSON.stringify(f)} in both (spellings are matched in any case)`,
      );
    values.set(key, 0);
  }
  return {
    parse: (text) => values.get(text.trim().toLowerCase()) ?? Number.NaN,
    refuse: (at, text) =>
      new InputError(
        'ingest.badBoolean',
        `${at}: expected a boolean (true: ${trueTexts.join(', ')}; false: ${falseTexts.join(', ')}; any case), got ${JSON.stringify(text)}`,
      ),
  };
}
