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
