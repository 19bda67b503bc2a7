import { UsageError } from '../../errors.js';

/**
 * Without a target model, rows must lead to at most one active model (the one whose run read
 * their files): returns that model and its rows, or all rows when none does.
 *
 * @throws UsageError `unlearning.ambiguousModel` listing each model with its files, when the rows
 *   are in files read by the runs of several active models.
 */
export function rowsOfOneActiveModel<R extends { models: string[]; file: string; fileId: string }>(
  rows: R[],
  what: string,
): { rows: R[]; modelId?: string } {
  const models = [...new Set(rows.flatMap((r) => r.models))].sort();
  if (models.length > 1) {
    const lines = models.map((m) => {
      const files = [
        ...new Set(rows.filter((r) => r.models.includes(m)).map((r) => `${r.file} (${r.fileId})`)),
      ];
      return `  ${m}: ${files.join(', ')}`;
    });
    throw new UsageError(
      'unlearning.ambiguousModel',
      `${what} in files read by the runs of ${models.length} active models; name one with --model:\n${lines.join('\n')}`,
    );
  }
  if (models.length === 0) return { rows };
  return { rows: rows.filter((r) => r.models.includes(models[0])), modelId: models[0] };
}

/**
 * Every active model line the rows lead to, for a request that updates them all: when all of
 * those models' runs read every one of the rows' files that any of them read (several lines on
 * one run, or runs of the same files), the rows they read and the models, sorted. Rows split
 * over models that read different files (e.g. two data sets sharing key values) are as
 * ambiguous as for {@link rowsOfOneActiveModel}.
 *
 * @throws UsageError `unlearning.ambiguousModel`, as {@link rowsOfOneActiveModel}.
 */
export function rowsOfActiveModels<R extends { models: string[]; file: string; fileId: string }>(
  rows: R[],
  what: string,
): { rows: R[]; modelIds: string[] } {
  const modelIds = [...new Set(rows.flatMap((r) => r.models))].sort();
  const read = rows.filter((r) => r.models.length > 0);
  if (modelIds.length <= 1 || read.some((r) => r.models.length !== modelIds.length)) {
    const one = rowsOfOneActiveModel(rows, what);
    return { rows: one.rows, modelIds: one.modelId ? [one.modelId] : [] };
  }
  return { rows: read, modelIds };
}
