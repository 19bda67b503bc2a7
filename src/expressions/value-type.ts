/**
 * The four value types of pipeline expressions. Source column types map onto them:
 * `number`/`integer` → `number`, `string`/`category` → `string`, `boolean` → `boolean`,
 * `date` → `date`.
 */
export type ValueType = 'number' | 'string' | 'boolean' | 'date';

/** The type of each column visible to an expression, by column name. */
export type ColumnTypes = ReadonlyMap<string, ValueType>;
