/**
 * A small valid pipeline (line numbers in the comments of the tests refer to this text) and a
 * helper that changes one part of it, failing when the part is not there.
 */
export const miniPipeline = `format: traceprop.pipeline/1
name: mini
sources:
  - name: loan
    path: loan.csv
    csv: { delimiter: ";" }
    key: loan_id
    columns:
      loan_id: integer
      account_id: integer
      amount: number
      status: category
      date: { type: date, pattern: YYMMDD }
  - name: account
    path: account.csv
    columns:
      account_id: integer
      frequency: category
steps:
  - id: big
    kind: filter
    input: loan
    where: amount > 1000
  - id: joined
    kind: join
    left: big
    right: account
    on: [account_id]
    cardinality: many-to-one
  - id: feats
    kind: derive
    input: joined
    columns:
      log_amount: log(amount)
sample:
  table: feats
  key: loan_id
  label: status in ['B', 'D']
  features: [log_amount]
`;

/** `miniPipeline` with `from` replaced by `to` (throws when `from` does not occur once). */
export function mini(from: string, to: string): string {
  const at = miniPipeline.indexOf(from);
  if (at < 0 || miniPipeline.indexOf(from, at + 1) >= 0)
    throw new Error(`mini(): "${from}" must occur exactly once`);
  return miniPipeline.slice(0, at) + to + miniPipeline.slice(at + from.length);
}

/** 1-based line of the first occurrence of `needle` in `text`. */
export function lineOf(text: string, needle: string): number {
  const at = text.indexOf(needle);
  if (at < 0) throw new Error(`lineOf(): "${needle}" not found`);
  return text.slice(0, at).split('\n').length;
}
