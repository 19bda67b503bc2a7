import { z } from 'zod';
import { parseDatePattern } from '../expressions/date-pattern.js';
import { columnNameSchema, idSchema } from './names.js';

/** Column types a source may declare. */
const sourceColumnTypes = ['number', 'integer', 'string', 'category', 'boolean', 'date'] as const;

/**
 * The header names a column may have in the file, tried in order: the first one the header row
 * has is read, under the column's declared name (e.g. a label that one extract calls `TARGET`
 * and another `DEFAULTED`).
 */
const headerSchema = z
  .array(columnNameSchema)
  .min(1, 'expected at least one header name')
  .describe(
    "Header names the column may have in the file; the first one present is read, under the column's name (default: the column's name)",
  );

/** A date column: its text pattern (`YYMMDD`, `YYYY-MM-DD`, `YYMMDD hh:mm:ss`, …). */
const dateColumnSchema = z.strictObject({
  type: z.literal('date'),
  header: headerSchema.optional(),
  pattern: z
    .string()
    .superRefine((p, ctx) => {
      const parsed = parseDatePattern(p);
      if (typeof parsed === 'string') ctx.addIssue({ code: 'custom', message: parsed });
    })
    .describe('Tokens YYYY, YY, MM, DD, hh, mm, ss; other characters are literal'),
  century: z
    .number()
    .int()
    .multipleOf(100)
    .optional()
    .describe('Century of two-digit years (default: 00-49 → 2000s, 50-99 → 1900s)'),
});

/** A boolean column, optionally with its own true/false spellings. */
const booleanColumnSchema = z.strictObject({
  type: z.literal('boolean'),
  header: headerSchema.optional(),
  true: z
    .array(z.string())
    .min(1)
    .optional()
    .describe('Texts read as true (default: true, 1, yes; any case)'),
  false: z
    .array(z.string())
    .min(1)
    .optional()
    .describe('Texts read as false (default: false, 0, no; any case)'),
});

const plainColumnSchema = z.strictObject({
  type: z.enum(['number', 'integer', 'string', 'category']),
  header: headerSchema.optional(),
});

/**
 * One column's type: a type name, or an object for dates (pattern), booleans (spellings) and
 * columns whose header name varies between files (`header`).
 */
const sourceColumnSchema = z.union([
  z
    .enum(sourceColumnTypes)
    .describe('Column type (a date needs { type: date, pattern }; other header names: { type, header })'),
  z.discriminatedUnion('type', [plainColumnSchema, dateColumnSchema, booleanColumnSchema]),
]);

/** The CSV dialect of a source file. */
const csvDialectSchema = z
  .strictObject({
    delimiter: z.string().length(1, 'expected one character').default(',').describe('Field separator'),
    quote: z.string().length(1, 'expected one character').default('"').describe('Quote character'),
    header: z
      .boolean()
      .default(true)
      .describe('First line names the columns; without it, columns are declared in file order'),
    encoding: z
      .enum(['utf-8', 'latin1'])
      .default('utf-8')
      .describe('Text encoding; a leading UTF-8 byte-order mark is skipped'),
    missing: z
      .array(z.string())
      .default([''])
      .describe('Field texts that mean a missing value, e.g. ["", "?", "NA"]'),
  })
  .describe('CSV dialect');

/** One source table: a CSV file and the columns read from it. */
export const sourceSchema = z
  .strictObject({
    name: idSchema,
    path: z.string().min(1).describe('CSV path, relative to --data DIR (default: the pipeline file folder)'),
    csv: csvDialectSchema.prefault({}),
    columns: z
      .record(columnNameSchema, sourceColumnSchema)
      .refine((c) => Object.keys(c).length > 0, 'expected at least one column')
      .describe('Columns read, by name, with their types (in file order when csv.header is false)'),
    key: columnNameSchema.optional().describe('Business-key column (unique per row)'),
    row_key: columnNameSchema
      .optional()
      .describe(
        "Adds a number column of this name holding each row's 0-based data row (the first record after any header is 0): a key for files without an id column",
      ),
  })
  .describe('A source table');

/** A parsed source. */
export type SourceSpec = z.output<typeof sourceSchema>;
/** A parsed source column type. */
export type SourceColumnSpec = z.output<typeof sourceColumnSchema>;
